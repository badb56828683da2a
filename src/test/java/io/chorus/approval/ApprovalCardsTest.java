package io.chorus.approval;

import static io.chorus.approval.ApprovalFixtures.as;
import static io.chorus.approval.ApprovalFixtures.pendingTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.approval.FlowNode.Mode;
import io.chorus.org.OrgChart;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Approval cards in chat, seen and used by real STOMP clients. */
@ChorusIntegrationTest
class ApprovalCardsTest {

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;
    @Autowired
    Templates templates;
    @Autowired
    Approvals approvals;

    ApprovalFixtures fixtures;
    TestUser lead;
    TestUser head;
    TestUser bob;

    @BeforeEach
    void people() {
        fixtures = new ApprovalFixtures(clients, chart, templates);
        lead = fixtures.person("lead");
        head = fixtures.person("head");
        bob = fixtures.person("bob");
    }

    private InstanceView submit(List<FlowNode> flow) {
        return approvals.submit(as(bob), new SubmitApproval(fixtures.template(flow).id(), ApprovalFixtures.json("""
                {"type": "Annual", "period": {"start": "2027-01-04", "end": "2027-01-05"}, "buddy": "%s"}
                """.formatted(head.id())), Map.of(), null, null), null).instance();
    }

    private static JsonNode cardOf(StompTestClient client, String type, String status) {
        return client.awaitEvent(event -> type.equals(event.path("type").asString())
                && "CARD".equals(event.at("/message/kind").asString())
                && status.equals(event.at("/message/card/status").asString())).get("message");
    }

    @Test
    void theApproverSeesTheCardAppearApprovesFromItAndSeesItUpdateInPlace() {
        try (StompTestClient leadLive = clients.stomp(lead); StompTestClient bobLive = clients.stomp(bob)) {
            InstanceView instance = submit(List.of(FlowNode.approval("m", "Manager",
                    ApproverRule.users(List.of(lead.id())), Mode.ANY)));

            JsonNode card = cardOf(leadLive, "message.posted", "Pending");
            assertThat(card.at("/card/title").asString()).isEqualTo(instance.title());
            assertThat(card.at("/card/actions/0/id").asString()).isEqualTo("approve");
            assertThat(card.at("/card/actions/0/value").asString()).isEqualTo(pendingTask(instance, lead).toString());
            assertThat(card.at("/card/actions/1/id").asString()).isEqualTo("reject");
            assertThat(card.at("/card/fields").toString()).contains("Annual", "(2 days)",
                    "Test " + head.username());
            JsonNode requesterCard = cardOf(bobLive, "message.posted", "Pending");
            assertThat(requesterCard.at("/card/actions/0/id").asString()).isEqualTo("withdraw");

            leadLive.send("/app/conversations/" + card.get("conversationId").asString() + "/messages/"
                    + card.get("id").asLong() + "/actions/approve", Map.of("input", "Have fun"));

            JsonNode updated = cardOf(leadLive, "message.updated", "Approved");
            assertThat(updated.get("id").asLong()).isEqualTo(card.get("id").asLong());
            assertThat(updated.get("version").asInt()).isGreaterThan(card.get("version").asInt());
            assertThat(updated.at("/card/actions").isEmpty()).isTrue();
            assertThat(cardOf(bobLive, "message.updated", "Approved").get("id").asLong())
                    .isEqualTo(requesterCard.get("id").asLong());
            InstanceView done = approvals.get(as(bob), instance.id());
            assertThat(done.state()).isEqualTo(InstanceView.State.APPROVED);
            assertThat(done.tasks().getFirst().comment()).isEqualTo("Have fun");
            assertThat(leadLive.drainErrors()).isEmpty();
        }
    }

    @Test
    void aCardActionGetsTheSameChecksAsTheApi() {
        try (StompTestClient leadLive = clients.stomp(lead)) {
            InstanceView instance = submit(List.of(FlowNode.approval("m", "Both",
                    ApproverRule.users(List.of(lead.id(), head.id())), Mode.ANY)));
            JsonNode card = cardOf(leadLive, "message.posted", "Pending");
            String actions = "/app/conversations/" + card.get("conversationId").asString() + "/messages/"
                    + card.get("id").asLong() + "/actions/";

            leadLive.send(actions + "reject", Map.of());
            assertThat(leadLive.awaitError().get("code").asString()).isEqualTo("VALIDATION_FAILED");

            // Head decides the ANY node first; lead's stale card may not have caught up yet.
            approvals.approve(as(head), pendingTask(instance, head), null);
            leadLive.send(actions + "approve", Map.of());
            assertThat(leadLive.awaitError().get("code").asString())
                    .isIn(ApprovalProblems.TASK_NOT_PENDING, ApprovalProblems.INSTANCE_NOT_PENDING,
                            "CARD_ACTION_UNAVAILABLE");
            assertThat(approvals.get(as(bob), instance.id()).tasks())
                    .filteredOn(task -> task.approverId().equals(lead.id()))
                    .allMatch(task -> task.state().equals("CANCELLED"));
        }
    }
}
