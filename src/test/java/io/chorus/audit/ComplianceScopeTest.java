package io.chorus.audit;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** A compliance officer limited to departments sees only what involves their members. */
@ChorusIntegrationTest
class ComplianceScopeTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;

    AuditSetup audit;

    @BeforeEach
    void setUp() {
        audit = new AuditSetup(clients, trail, jdbc);
    }

    @Test
    void aScopedOfficerSeesOnlyEntriesInvolvingMembersOfTheirDepartments() {
        TestUser admin = clients.orgAdmin();
        RestApi asAdmin = clients.rest(admin);
        String finance = asAdmin.post("/api/v1/org/departments", body("name", "Finance " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        String audits = asAdmin.post("/api/v1/org/departments", body("name", "Audit team", "parentId", finance))
                .status(201).json().get("id").asString();
        TestUser inScope = clients.user("fin");
        TestUser inSubDepartment = clients.user("aud");
        TestUser outside = clients.user("eng");
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + finance + "/members/" + inScope.id(),
                body("title", "Accountant")).status(201);
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + audits + "/members/" + inSubDepartment.id(),
                body("title", "Auditor")).status(201);
        TestUser scoped = audit.officer();
        TestUser unscoped = audit.officer();
        JsonNode scope = asAdmin.exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + scoped.id() + "/scope",
                body("departmentIds", List.of(finance))).ok().json();
        assertThat(scope.get("scoped").asBoolean()).isTrue();

        String finGroup = group(inScope, "Ledger");
        String audGroup = group(inSubDepartment, "Findings");
        String engGroup = group(outside, "Builds");

        audit.awaitEntries(unscoped, "action=conversation.created&actorId=" + outside.id(), found -> found.size() == 1);
        audit.awaitEntries(unscoped, "action=conversation.created&actorId=" + inSubDepartment.id(),
                found -> found.size() == 1);
        List<JsonNode> seen = audit.entries(scoped, "action=conversation.created");
        List<String> conversations = seen.stream().map(e -> e.get("conversationId").asString()).toList();
        assertThat(conversations).contains(finGroup, audGroup).doesNotContain(engGroup);
        assertThat(audit.entries(scoped, "actorId=" + outside.id())).isEmpty();
        assertThat(audit.entries(unscoped, "action=conversation.created").stream()
                .map(e -> e.get("conversationId").asString())).contains(finGroup, audGroup, engGroup);

        // The export honours the same scope.
        String export = clients.rest(scoped).get("/api/v1/audit/export?format=csv&action=conversation.created")
                .ok().body();
        assertThat(export).contains(finGroup, audGroup).doesNotContain(engGroup);

        // The org_admin lifting the scope is recorded, and the officer sees everything again.
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + scoped.id() + "/scope",
                body("departmentIds", List.of())).ok();
        assertThat(audit.entries(scoped, "action=conversation.created").stream()
                .map(e -> e.get("conversationId").asString())).contains(engGroup);
        List<JsonNode> changes = audit.awaitEntries(unscoped, "action=audit.officer_scope_changed&targetType=USER"
                + "&targetId=" + scoped.id(), found -> found.size() == 2);
        assertThat(changes.get(0).get("actorId").asString()).isEqualTo(admin.id().toString());
        assertThat(changes.get(0).get("detail").get("newDepartmentIds").get(0).asString()).isEqualTo(finance);
    }

    @Test
    void scopesNameRealDepartmentsAndOnlyOrgAdminsSetThem() {
        TestUser officer = audit.officer();
        RestApi asAdmin = clients.rest(clients.orgAdmin());
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + officer.id() + "/scope",
                body("departmentIds", List.of(UUID.randomUUID()))).problem(422, "SCOPE_DEPARTMENT_NOT_FOUND");
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + UUID.randomUUID() + "/scope",
                body("departmentIds", List.of())).problem(404, "OFFICER_NOT_FOUND");
        clients.rest(officer).exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + officer.id() + "/scope",
                body("departmentIds", List.of())).problem(403, "FORBIDDEN");
        JsonNode own = clients.rest(officer).get("/api/v1/audit/officers/" + officer.id() + "/scope").ok().json();
        assertThat(own.get("scoped").asBoolean()).isFalse();
        clients.rest(officer).get("/api/v1/audit/officers/" + UUID.randomUUID() + "/scope").problem(403, "FORBIDDEN");
        assertThat(jdbc.sql("SELECT count(*) FROM audit.officer_scope WHERE officer_id = :o")
                .param("o", officer.id()).query(Long.class).single()).isZero();
    }

    /**
     * A hold keeps the messages of everyone it covers: a scoped officer may hold, see and release
     * only what covers nobody outside their departments. A conversation counts as outside when
     * anyone outside is or ever was a member, since the hold keeps what they posted there.
     */
    @Test
    void aScopedOfficerHoldsListsAndReleasesOnlyWhatTheirDepartmentsCover() {
        RestApi asAdmin = clients.rest(clients.orgAdmin());
        String finance = asAdmin.post("/api/v1/org/departments", body("name", "Finance " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        TestUser inScope = clients.user("fin");
        TestUser outside = clients.user("eng");
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + finance + "/members/" + inScope.id(),
                body("title", "Accountant")).status(201);
        TestUser scoped = audit.officer();
        asAdmin.exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + scoped.id() + "/scope",
                body("departmentIds", List.of(finance))).ok();
        RestApi unscoped = clients.rest(audit.officer());
        RestApi limited = clients.rest(scoped);
        String finGroup = group(inScope, "Ledger");
        String mixed = clients.rest(inScope).post("/api/v1/conversations/groups", body("name", "Mixed",
                "memberIds", List.of(outside.id()))).status(201).json().get("id").asString();
        String formerlyMixed = clients.rest(inScope).post("/api/v1/conversations/groups", body("name", "Was mixed",
                "memberIds", List.of(outside.id()))).status(201).json().get("id").asString();
        clients.rest(outside).delete("/api/v1/conversations/" + formerlyMixed + "/members/" + outside.id())
                .status(204);
        String onOutsider = hold(unscoped, "USER", outside.id()).status(201).json().get("id").asString();
        String onMixed = hold(unscoped, "CONVERSATION", mixed).status(201).json().get("id").asString();

        String onInsider = hold(limited, "USER", inScope.id()).status(201).json().get("id").asString();
        String onFinGroup = hold(limited, "CONVERSATION", finGroup).status(201).json().get("id").asString();
        hold(limited, "USER", outside.id()).problem(403, "OUTSIDE_COMPLIANCE_SCOPE");
        hold(limited, "CONVERSATION", mixed).problem(403, "OUTSIDE_COMPLIANCE_SCOPE");
        hold(limited, "CONVERSATION", formerlyMixed).problem(403, "OUTSIDE_COMPLIANCE_SCOPE");

        List<String> seen = limited.get("/api/v1/legal-holds").ok().json().findValuesAsString("id");
        assertThat(seen).contains(onInsider, onFinGroup).doesNotContain(onOutsider, onMixed);
        assertThat(unscoped.get("/api/v1/legal-holds").ok().json().findValuesAsString("id"))
                .contains(onInsider, onFinGroup, onOutsider, onMixed);
        limited.post("/api/v1/legal-holds/" + onOutsider + "/release", null).problem(403, "OUTSIDE_COMPLIANCE_SCOPE");
        limited.post("/api/v1/legal-holds/" + onMixed + "/release", null).problem(403, "OUTSIDE_COMPLIANCE_SCOPE");
        assertThat(limited.post("/api/v1/legal-holds/" + onInsider + "/release", null).ok().json().get("active")
                .asBoolean()).isFalse();
        assertThat(jdbc.sql("""
                SELECT count(*) FROM chat.legal_hold
                WHERE subject_id IN (:outside, :mixed, :formerlyMixed) AND released_at IS NULL
                """).param("outside", outside.id()).param("mixed", UUID.fromString(mixed))
                .param("formerlyMixed", UUID.fromString(formerlyMixed)).query(Long.class).single())
                .as("the unscoped officer's holds are still active, the refused ones were never placed").isEqualTo(2);
        unscoped.post("/api/v1/legal-holds/" + onOutsider + "/release", null).ok();
        unscoped.post("/api/v1/legal-holds/" + onMixed + "/release", null).ok();
        unscoped.post("/api/v1/legal-holds/" + onFinGroup + "/release", null).ok();
    }

    private RestApi.Response hold(RestApi officer, String subjectType, Object subjectId) {
        return officer.post("/api/v1/legal-holds", body("subjectType", subjectType, "subjectId", subjectId,
                "reason", "Case 12"));
    }

    private String group(TestUser owner, String name) {
        return clients.rest(owner).post("/api/v1/conversations/groups", body("name", name, "memberIds", List.of()))
                .status(201).json().get("id").asString();
    }
}
