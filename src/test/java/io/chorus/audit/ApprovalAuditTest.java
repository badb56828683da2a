package io.chorus.audit;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chorus.approval.ApprovalRoleView;
import io.chorus.approval.ApprovalRoles;
import io.chorus.approval.ApproverRule;
import io.chorus.approval.Approvals;
import io.chorus.approval.FieldType;
import io.chorus.approval.FlowNode;
import io.chorus.approval.FormField;
import io.chorus.approval.FormSchema;
import io.chorus.approval.InstanceView;
import io.chorus.approval.SubmitApproval;
import io.chorus.approval.TemplateDefinition;
import io.chorus.approval.TemplateSettings;
import io.chorus.approval.TemplateView;
import io.chorus.approval.Templates;
import io.chorus.identity.Role;
import io.chorus.identity.UserId;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.FailedEventPublications;
import org.springframework.modulith.events.ResubmissionOptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Approvals as compliance officers see them: through the audit trail. Real requests go through
 * the approval module's API; the officer reads the entries over REST.
 */
@ChorusIntegrationTest
class ApprovalAuditTest {

    @Autowired
    TestClients clients;
    @Autowired
    AuditTrail trail;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    OrgChart chart;
    @Autowired
    Templates templates;
    @Autowired
    ApprovalRoles roles;
    @Autowired
    Approvals approvals;
    @Autowired
    FailedEventPublications failed;

    AuditSetup audit;
    TestUser officer;
    TestUser admin;
    TestUser bob;
    TestUser lead;
    TestUser deputy;
    TestUser finance;
    TemplateView template;

    @BeforeEach
    void company() {
        audit = new AuditSetup(clients, trail, jdbc);
        officer = audit.officer();
        admin = clients.orgAdmin();
        bob = clients.user("bob");
        lead = clients.user("lead");
        deputy = clients.user("deputy");
        finance = clients.user("finance");
        DepartmentId team = chart.createDepartment("Team " + UUID.randomUUID().toString().substring(0, 6), null, 0,
                null, null).id();
        for (TestUser member : List.of(bob, lead, deputy, finance)) {
            chart.setMembership(UserId.of(member.id()), team, "Staff", true, null);
        }
        chart.setManager(UserId.of(bob.id()), UserId.of(lead.id()), null);
        template = templates.create(as(admin, Role.ORG_ADMIN), new TemplateDefinition("Leave "
                + UUID.randomUUID().toString().substring(0, 6), "HR", null, leaveForm(), List.of(
                FlowNode.cc("cc", "Finance", ApproverRule.users(List.of(finance.id())), FlowNode.CcMoment.SUBMIT),
                FlowNode.approval("m1", "Manager", ApproverRule.manager(1), FlowNode.Mode.SEQUENTIAL)),
                TemplateSettings.defaults()));
    }

    @Test
    void everyApprovalStepIsAnEntryAboutItsRequestAndTheChainVerifies() {
        InstanceView approved = submit();
        approvals.transfer(as(lead), pendingTask(approved, lead), deputy.id(), "Away this week");
        approvals.comment(as(bob), approved.id(), "Please hurry", List.of(finance.id()));
        InstanceView afterTransfer = approvals.get(as(bob), approved.id());
        approvals.approve(as(deputy), pendingTask(afterTransfer, deputy), "Enjoy");
        InstanceView rejected = submit();
        approvals.reject(as(lead), pendingTask(rejected, lead), "Not now");
        InstanceView withdrawn = submit();
        approvals.withdraw(as(bob), withdrawn.id());

        List<JsonNode> steps = entriesOf(approved.id(), 8);
        assertThat(audit.actions(steps)).containsExactlyInAnyOrder("approval.submitted", "approval.cc_notified",
                "approval.task_assigned", "approval.task_transferred", "approval.task_assigned",
                "approval.commented", "approval.task_approved", "approval.completed");
        assertThat(steps).allSatisfy(entry -> {
            assertThat(entry.get("targetType").asString()).isEqualTo("APPROVAL");
            assertThat(entry.get("targetId").asString()).isEqualTo(approved.id().toString());
        });
        JsonNode submitted = only(steps, "approval.submitted");
        assertActor(submitted, bob);
        assertThat(submitted.get("detail").get("requesterId").asString()).isEqualTo(bob.id().toString());
        assertThat(submitted.get("detail").get("templateId").asString()).isEqualTo(template.id().toString());
        assertThat(submitted.get("detail").get("templateVersion").asInt()).isEqualTo(1);
        assertThat(only(steps, "approval.cc_notified").get("detail").get("recipientIds").get(0).asString())
                .isEqualTo(finance.id().toString());
        assertThat(steps.stream().filter(entry -> entry.get("action").asString().equals("approval.task_assigned")))
                .allSatisfy(entry -> assertThat(entry.get("actorType").asString()).isEqualTo("SYSTEM"))
                .extracting(entry -> entry.get("detail").get("approverId").asString())
                .containsExactlyInAnyOrder(lead.id().toString(), deputy.id().toString());
        JsonNode transfer = only(steps, "approval.task_transferred");
        assertActor(transfer, lead);
        assertThat(transfer.get("detail").get("fromApproverId").asString()).isEqualTo(lead.id().toString());
        assertThat(transfer.get("detail").get("toApproverId").asString()).isEqualTo(deputy.id().toString());
        assertThat(transfer.get("detail").get("reason").asString()).isEqualTo("TRANSFER");
        JsonNode comment = only(steps, "approval.commented");
        assertActor(comment, bob);
        assertThat(comment.get("detail").get("mentionIds").get(0).asString()).isEqualTo(finance.id().toString());
        // The trail is compliance's only window on a request: its words are in it.
        assertThat(comment.get("detail").get("comment").asString()).isEqualTo("Please hurry");
        JsonNode decision = only(steps, "approval.task_approved");
        assertActor(decision, deputy);
        assertThat(decision.get("detail").get("automatic").asBoolean()).isFalse();
        JsonNode completion = only(steps, "approval.completed");
        assertThat(completion.get("actorType").asString()).isEqualTo("SYSTEM");
        assertThat(completion.get("actorId").isNull()).isTrue();
        assertThat(completion.get("detail").get("outcome").asString()).isEqualTo("APPROVED");
        assertThat(List.of(submitted, transfer, comment, decision)).extracting(entry ->
                Instant.parse(entry.get("occurredAt").asString())).isSorted();

        List<JsonNode> rejection = entriesOf(rejected.id(), 5);
        assertThat(audit.actions(rejection)).containsExactlyInAnyOrder("approval.submitted", "approval.cc_notified",
                "approval.task_assigned", "approval.task_rejected", "approval.completed");
        assertActor(only(rejection, "approval.task_rejected"), lead);
        assertThat(only(rejection, "approval.task_rejected").get("detail").get("comment").asString())
                .isEqualTo("Not now");
        assertThat(only(rejection, "approval.completed").get("detail").get("outcome").asString())
                .isEqualTo("REJECTED");

        List<JsonNode> withdrawal = entriesOf(withdrawn.id(), 4);
        assertThat(audit.actions(withdrawal)).containsExactlyInAnyOrder("approval.submitted",
                "approval.cc_notified", "approval.task_assigned", "approval.withdrawn");
        assertActor(only(withdrawal, "approval.withdrawn"), bob);

        JsonNode verdict = clients.rest(officer).get("/api/v1/audit/verify").ok().json();
        assertThat(verdict.get("intact").asBoolean()).as("verify: %s", verdict).isTrue();
        assertThat(verdict.get("entriesChecked").asLong()).isEqualTo(verdict.get("headSeq").asLong());
    }

    @Test
    void templateAndRoleChangesAreEntriesAboutThem() {
        templates.setEnabled(as(admin, Role.ORG_ADMIN), template.id(), false);
        ApprovalRoleView role = roles.create(as(admin, Role.ORG_ADMIN), "Treasury "
                + UUID.randomUUID().toString().substring(0, 6), List.of(finance.id()));

        List<JsonNode> changes = audit.awaitEntries(officer, "targetType=APPROVAL_TEMPLATE&targetId=" + template.id(),
                found -> found.size() >= 2);
        assertThat(audit.actions(changes)).containsExactlyInAnyOrder("approval.template_published",
                "approval.template_disabled");
        JsonNode published = only(changes, "approval.template_published");
        assertActor(published, admin);
        assertThat(published.get("detail").get("version").asInt()).isEqualTo(1);
        assertThat(published.get("detail").get("name").asString()).isEqualTo(template.name());
        assertActor(only(changes, "approval.template_disabled"), admin);
        List<JsonNode> roleChanges = audit.awaitEntries(officer, "targetType=APPROVAL_ROLE&targetId=" + role.id(),
                found -> !found.isEmpty());
        assertThat(audit.actions(roleChanges)).containsExactly("approval.role_changed");
        assertThat(roleChanges.getFirst().get("detail").get("holderIds").get(0).asString())
                .isEqualTo(finance.id().toString());
    }

    /**
     * The registry hands the request's real, stored events to the audit listener a second time,
     * as it does after a crash: the trail keeps one entry per step.
     */
    @Test
    void aRedeliveredApprovalEventAddsNoEntry() {
        InstanceView instance = submit();
        approvals.approve(as(lead), pendingTask(instance, lead), null);
        List<JsonNode> first = entriesOf(instance.id(), 5);

        int redelivered = jdbc.sql("""
                UPDATE event_publication SET status = 'FAILED', completion_date = NULL
                WHERE listener_id LIKE '%ApprovalActivity%' AND serialized_event LIKE :instance
                """).param("instance", "%" + instance.id() + "%").update();
        assertThat(redelivered).as("one publication per step").isEqualTo(first.size());
        failed.resubmit(ResubmissionOptions.defaults());
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> jdbc.sql("""
                SELECT count(*) FROM event_publication
                WHERE listener_id LIKE '%ApprovalActivity%' AND serialized_event LIKE :instance
                  AND completion_date IS NULL
                """).param("instance", "%" + instance.id() + "%").query(Long.class).single() == 0);
        trail.flush();

        List<JsonNode> again = audit.entries(officer, "targetType=APPROVAL&targetId=" + instance.id());
        assertThat(again).extracting(entry -> entry.get("seq").asLong())
                .containsExactlyElementsOf(first.stream().map(entry -> entry.get("seq").asLong()).toList());
    }

    @Test
    void aRequesterSkippedAsTheirOwnApproverIsAnEntryToo() {
        TemplateView self = templates.create(as(admin, Role.ORG_ADMIN), new TemplateDefinition("Self "
                + UUID.randomUUID().toString().substring(0, 6), "HR", null, leaveForm(), List.of(
                FlowNode.approval("own", "Own", ApproverRule.users(List.of(bob.id(), lead.id())),
                        FlowNode.Mode.ANY)), TemplateSettings.defaults()));
        InstanceView instance = approvals.submit(as(bob), new SubmitApproval(self.id(), leave(), Map.of(), null,
                null), null).instance();

        List<JsonNode> entries = entriesOf(instance.id(), 3);
        assertThat(audit.actions(entries)).containsExactlyInAnyOrder("approval.submitted",
                "approval.routing_noted", "approval.task_assigned");
        JsonNode note = only(entries, "approval.routing_noted");
        assertThat(note.get("actorType").asString()).isEqualTo("SYSTEM");
        assertThat(note.get("detail").get("note").asString()).isEqualTo("REQUESTER_SKIPPED");
        assertThat(note.get("detail").get("userId").asString()).isEqualTo(bob.id().toString());
    }

    private InstanceView submit() {
        return approvals.submit(as(bob), new SubmitApproval(template.id(), leave(), Map.of(), null, null), null)
                .instance();
    }

    private List<JsonNode> entriesOf(UUID instance, int steps) {
        List<JsonNode> entries = audit.awaitEntries(officer, "targetType=APPROVAL&targetId=" + instance,
                found -> found.size() >= steps);
        assertThat(entries).as("one entry per step").hasSize(steps);
        return entries;
    }

    private static JsonNode only(List<JsonNode> entries, String action) {
        List<JsonNode> found = entries.stream().filter(entry -> entry.get("action").asString().equals(action))
                .toList();
        assertThat(found).as(action).hasSize(1);
        return found.getFirst();
    }

    private static void assertActor(JsonNode entry, TestUser user) {
        assertThat(entry.get("actorType").asString()).as("%s actor type", entry.get("action")).isEqualTo("USER");
        assertThat(entry.get("actorId").asString()).as("%s actor", entry.get("action"))
                .isEqualTo(user.id().toString());
    }

    private static FormSchema leaveForm() {
        return new FormSchema(List.of(
                new FormField("type", "Leave type", FieldType.SINGLE_CHOICE, true, null, null, null, null, null,
                        List.of("Annual", "Sick"), null, null, null, null),
                FormField.of("period", "Period", FieldType.DATE_RANGE, true)));
    }

    private static JsonNode leave() {
        return JsonMapper.shared().readTree("""
                {"type": "Annual", "period": {"start": "2027-01-04", "end": "2027-01-05"}}
                """);
    }
}
