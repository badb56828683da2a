package io.chorus.audit;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** eDiscovery exports: full history, recalls, membership at posting time, departments, scope. */
@ChorusIntegrationTest
class MessageExportTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    JsonMapper json;

    AuditSetup audit;
    TestUser alice;
    TestUser bob;
    TestUser carol;
    TestUser admin;
    String department;
    String group;
    String otherGroup;
    long first;
    long second;
    long third;

    @BeforeEach
    void aConversationWithAHistory() {
        audit = new AuditSetup(clients, trail, jdbc);
        alice = clients.user("alice");
        bob = clients.user("bob");
        carol = clients.user("carol");
        admin = clients.orgAdmin();
        department = clients.rest(admin).post("/api/v1/org/departments", body("name", "Legal " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        clients.rest(admin).exchange(HttpMethod.PUT, "/api/v1/org/departments/" + department + "/members/"
                + alice.id(), body("title", "Counsel")).status(201);
        RestApi asAlice = clients.rest(alice);
        group = asAlice.post("/api/v1/conversations/groups", body("name", "Deal room", "memberIds",
                List.of(bob.id()))).status(201).json().get("id").asString();
        first = send(alice, group, "term sheet attached");
        asAlice.post("/api/v1/conversations/" + group + "/members", body("userIds", List.of(carol.id())))
                .status(200);
        second = send(bob, group, "price is 10");
        clients.rest(bob).patch(messages(group) + "/" + second, body("text", "price is 11")).ok();
        clients.rest(bob).patch(messages(group) + "/" + second, body("text", "price is 12")).ok();
        asAlice.post(messages(group) + "/" + first + "/recall", null).ok();
        asAlice.delete("/api/v1/conversations/" + group + "/members/" + bob.id()).status(204);
        third = send(alice, group, "closing");
        otherGroup = clients.rest(bob).post("/api/v1/conversations/groups", body("name", "Bob's other",
                "memberIds", List.of())).status(201).json().get("id").asString();
        send(bob, otherGroup, "elsewhere");
    }

    @Test
    void aConversationsExportHasHistoryRecallsMembershipAtPostingAndDepartments() {
        TestUser officer = audit.officer();
        List<JsonNode> rows = jsonl(officer, "conversationId=" + group);

        assertThat(rows).extracting(row -> row.get("messageId").asLong()).containsExactly(first, second, third);
        JsonNode recalled = rows.get(0);
        assertThat(recalled.get("recalled").asBoolean()).isTrue();
        assertThat(recalled.get("text").asString()).as("compliance keeps a recalled text")
                .isEqualTo("term sheet attached");
        assertThat(recalled.get("recalledBy").asString()).isEqualTo(alice.id().toString());
        assertThat(recalled.get("senderDepartment").asString()).startsWith("Legal ");
        assertThat(ids(recalled.get("membersAtPosting"))).containsExactlyInAnyOrder(alice.id(), bob.id());
        JsonNode edited = rows.get(1);
        assertThat(edited.get("text").asString()).isEqualTo("price is 12");
        assertThat(edited.get("revisions")).extracting(r -> r.get("text").asString())
                .containsExactly("price is 10", "price is 11");
        assertThat(edited.get("senderDepartment").isNull()).as("bob has no department").isTrue();
        assertThat(ids(edited.get("membersAtPosting"))).containsExactlyInAnyOrder(alice.id(), bob.id(), carol.id());
        assertThat(ids(rows.get(2).get("membersAtPosting"))).containsExactlyInAnyOrder(alice.id(), carol.id());
    }

    @Test
    void aUsersExportSpansTheirConversationsAndTimeRangesCut() {
        TestUser officer = audit.officer();
        List<JsonNode> bobs = jsonl(officer, "userId=" + bob.id());
        assertThat(bobs).extracting(row -> row.get("conversationId").asString())
                .containsExactlyInAnyOrder(group, otherGroup);
        assertThat(bobs).allSatisfy(row -> assertThat(row.get("senderId").asString()).isEqualTo(bob.id().toString()));

        List<JsonNode> all = jsonl(officer, "conversationId=" + group);
        String secondSent = all.get(1).get("sentAt").asString();
        List<JsonNode> before = jsonl(officer, "conversationId=" + group + "&to=" + secondSent);
        assertThat(before).extracting(row -> row.get("messageId").asLong()).containsExactly(first);
        List<JsonNode> from = jsonl(officer, "conversationId=" + group + "&from=" + secondSent);
        assertThat(from).extracting(row -> row.get("messageId").asLong()).containsExactly(second, third);
    }

    @Test
    void aScopedOfficerExportsOnlyTheirDepartmentsMessagesAndExportsAreAudited() {
        TestUser scoped = audit.officer();
        clients.rest(admin).exchange(HttpMethod.PUT, "/api/v1/audit/officers/" + scoped.id() + "/scope",
                body("departmentIds", List.of(department))).ok();

        List<JsonNode> rows = jsonl(scoped, "conversationId=" + group);

        assertThat(rows).extracting(row -> row.get("messageId").asLong()).containsExactly(first, third);
        assertThat(rows).as("members outside the scope are left out").allSatisfy(row ->
                assertThat(ids(row.get("membersAtPosting"))).containsExactly(alice.id()));
        String csv = clients.rest(scoped).get("/api/v1/audit/messages/export?format=csv&conversationId=" + group)
                .ok().body();
        assertThat(csv).doesNotContain(bob.id().toString()).doesNotContain(carol.id().toString());
        List<JsonNode> recorded = audit.awaitEntries(audit.officer(), "action=audit.messages_exported&actorId="
                + scoped.id(), found -> !found.isEmpty());
        assertThat(recorded.getFirst().get("detail").get("conversationIds").get(0).asString()).isEqualTo(group);
        assertThat(recorded.getFirst().get("detail").get("scoped").asBoolean()).isTrue();
    }

    @Test
    void csvExportsCarryTheSameFacts() {
        String csv = clients.rest(audit.officer()).get("/api/v1/audit/messages/export?format=csv&conversationId="
                + group).ok().body();
        String[] lines = csv.split("\r\n");
        assertThat(lines[0]).isEqualTo("message_id,conversation_id,conversation_kind,conversation_name,seq,"
                + "sender_id,sender_department_id,sender_department,sent_at,text,edited_at,recalled,recalled_at,"
                + "recalled_by,purged,purged_at,revisions,members_at_posting");
        assertThat(lines).hasSize(4);
        assertThat(lines[2]).startsWith(second + "," + group + ",GROUP,Deal room,2,").contains("price is 12")
                .contains("\"\"text\"\":\"\"price is 10\"\"");
    }

    /**
     * A spreadsheet runs a cell that starts with =, +, -, @, tab or CR as a formula: in CSV such a
     * cell gets a leading quote (OWASP's advice), while JSON lines keep the text exactly.
     */
    @Test
    void csvCellsThatASpreadsheetWouldRunAsFormulasAreNeutralised() {
        RestApi asAlice = clients.rest(alice);
        String formulas = asAlice.post("/api/v1/conversations/groups", body("name", "@SUM(1+1)", "memberIds",
                List.of())).status(201).json().get("id").asString();
        send(alice, formulas, "=HYPERLINK(\"http://evil.example\",\"x\")");
        send(alice, formulas, "+1+1");
        send(alice, formulas, "-2+3");
        send(alice, formulas, "plain = text");
        TestUser officer = audit.officer();

        String csv = clients.rest(officer).get("/api/v1/audit/messages/export?format=csv&conversationId="
                + formulas).ok().body();

        String[] lines = csv.split("\r\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[1]).contains(",GROUP,'@SUM(1+1),")
                .contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",");
        assertThat(lines[2]).contains(",'+1+1,");
        assertThat(lines[3]).contains(",'-2+3,");
        assertThat(lines[4]).contains(",plain = text,");
        List<JsonNode> rows = jsonl(officer, "conversationId=" + formulas);
        assertThat(rows).extracting(row -> row.get("text").asString()).containsExactly(
                "=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "plain = text");
        assertThat(rows.getFirst().get("conversationName").asString()).isEqualTo("@SUM(1+1)");
    }

    @Test
    void badExportsAreRefusedAndOthersMayNotExport() {
        RestApi officer = clients.rest(audit.officer());
        officer.get("/api/v1/audit/messages/export?format=csv").problem(400, "VALIDATION_FAILED");
        officer.get("/api/v1/audit/messages/export?format=pdf&userId=" + bob.id())
                .problem(400, "UNSUPPORTED_EXPORT_FORMAT");
        officer.get("/api/v1/audit/messages/export?format=csv&userId=" + bob.id()
                + "&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z").problem(400, "VALIDATION_FAILED");
        clients.rest(alice).get("/api/v1/audit/messages/export?format=csv&conversationId=" + group)
                .problem(403, "FORBIDDEN");
    }

    /**
     * 500 ids do not fit a URL within the 16 KB header limit; the same export as a POST with a
     * JSON body carries them, and answers as the GET does.
     */
    @Test
    void aPostedExportCarriesFiveHundredIdsAndAnswersAsTheGetDoes() {
        RestApi officer = clients.rest(audit.officer());
        List<String> conversations = new ArrayList<>(List.of(group));
        List<String> users = new ArrayList<>();
        while (conversations.size() < 250) {
            conversations.add(UUID.randomUUID().toString());
        }
        while (users.size() < 250) {
            users.add(UUID.randomUUID().toString());
        }

        String posted = officer.post("/api/v1/audit/messages/export", body("format", "jsonl", "conversationIds",
                conversations, "userIds", users)).ok().body();

        assertThat(posted.lines().map(json::readTree).map(row -> row.get("messageId").asLong()))
                .containsExactly(first, second, third);
        String secondSent = jsonl(audit.officer(), "conversationId=" + group).get(1).get("sentAt").asString();
        String csv = officer.post("/api/v1/audit/messages/export", body("format", "CSV", "conversationIds",
                List.of(group), "from", secondSent)).ok().body();
        assertThat(csv).isEqualTo(officer.get("/api/v1/audit/messages/export?format=csv&conversationId=" + group
                + "&from=" + secondSent).ok().body());
        assertThat(csv.split("\r\n")).hasSize(3);
    }

    @Test
    void aPostedExportPastFiveHundredIdsOrWithoutIdsIsRefused() {
        RestApi officer = clients.rest(audit.officer());
        List<String> conversations = new ArrayList<>();
        List<String> users = new ArrayList<>();
        while (conversations.size() < 300) {
            conversations.add(UUID.randomUUID().toString());
            users.add(UUID.randomUUID().toString());
        }
        String export = "/api/v1/audit/messages/export";

        officer.post(export, body("format", "csv", "conversationIds", conversations, "userIds", users))
                .problem(400, "VALIDATION_FAILED");
        officer.post(export, body("format", "csv", "conversationIds", List.of())).problem(400, "VALIDATION_FAILED");
        officer.post(export, body("format", "pdf", "userIds", List.of(bob.id()))).problem(400,
                "UNSUPPORTED_EXPORT_FORMAT");
        officer.post(export, body("userIds", List.of(bob.id()))).problem(400, "VALIDATION_FAILED");
        officer.post(export, body("format", "csv", "userIds", List.of(bob.id()), "from", "2026-02-01T00:00:00Z",
                "to", "2026-01-01T00:00:00Z")).problem(400, "VALIDATION_FAILED");
        clients.rest(alice).post(export, body("format", "csv", "conversationIds", List.of(group)))
                .problem(403, "FORBIDDEN");
    }

    private List<JsonNode> jsonl(TestUser officer, String query) {
        String body = clients.rest(officer).get("/api/v1/audit/messages/export?format=jsonl&" + query).ok().body();
        List<JsonNode> rows = new ArrayList<>();
        body.lines().filter(line -> !line.isBlank()).forEach(line -> rows.add(json.readTree(line)));
        return rows;
    }

    private static List<UUID> ids(JsonNode array) {
        List<UUID> ids = new ArrayList<>();
        array.forEach(id -> ids.add(UUID.fromString(id.asString())));
        return ids;
    }

    private long send(TestUser sender, String conversation, String text) {
        return clients.rest(sender).post(messages(conversation), body("clientMessageId", UUID.randomUUID().toString(),
                "text", text)).status(201).json().get("id").asLong();
    }

    private static String messages(String conversation) {
        return "/api/v1/conversations/" + conversation + "/messages";
    }
}
