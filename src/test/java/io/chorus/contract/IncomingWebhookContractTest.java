package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.chat.ChatProblems;
import io.chorus.identity.UserId;
import io.chorus.integration.IntegrationProblems;
import io.chorus.integration.internal.WebhookSignatures;
import io.chorus.org.DepartmentId;
import io.chorus.org.OrgChart;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The incoming webhook endpoints against {@code frontend-contract/openapi.yaml}: every documented
 * response of the management API and of {@code /api/v1/hooks/**} is shown by a real exchange,
 * and every exchange matches the document. {@link ContractTest} leaves these to this walkthrough.
 */
@ChorusIntegrationTest
class IncomingWebhookContractTest {

    private static OpenApiContract openApi;

    @Autowired
    TestClients clients;
    @Autowired
    OrgChart chart;
    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
    }

    /** Whether a documented response ("METHOD /path status") is this walkthrough's to show. */
    static boolean incomingWebhookResponse(String response) {
        // Response URLs of slash commands share the /api/v1/hooks/ prefix; CommandContractTest shows them.
        return response.contains("/incoming-webhooks")
                || response.contains(" /api/v1/hooks/") && !response.contains(" /api/v1/hooks/commands/");
    }

    @Test
    void everyIncomingWebhookOperationAnswersAsDocumented() {
        TestUser ownerUser = clients.user("owner");
        TestUser memberUser = clients.user("member");
        TestUser headUser = clients.user("head");
        ContractClient owner = ContractClient.as(clients, openApi, ownerUser);
        ContractClient member = ContractClient.as(clients, openApi, memberUser);
        ContractClient head = ContractClient.as(clients, openApi, headUser);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);

        String group = owner.post("/api/v1/conversations/groups", body("name", "Builds", "memberIds",
                List.of(memberUser.id()))).status(201).json().get("id").asString();
        String direct = owner.post("/api/v1/conversations/direct", body("userId", memberUser.id())).status(201).json()
                .get("id").asString();
        String departmentGroup = departmentGroup(headUser);
        String hooks = hooks(group);

        // ----- managing
        JsonNode created = owner.post(hooks, body("name", "CI", "avatarUrl", "https://ci.example.com/logo.png"))
                .status(201).json();
        String hookId = created.at("/hook/id").asString();
        String path = URI.create(created.get("url").asString()).getPath();
        String signedPath = URI.create(created.get("signedUrl").asString()).getPath();
        String secret = created.get("signingSecret").asString();
        owner.violating().post(hooks, body("avatarUrl", "https://ci.example.com/logo.png")).problem(400, "VALIDATION_FAILED");
        anonymous.violating().post(hooks, body("name", "CI")).problem(401, "UNAUTHENTICATED");
        member.post(hooks, body("name", "CI")).problem(403, ChatProblems.NOT_ALLOWED);
        owner.post(hooks(UUID.randomUUID().toString()), body("name", "CI"))
                .problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
        owner.post(hooks(direct), body("name", "CI")).problem(422, ChatProblems.NOT_A_GROUP);
        head.post(hooks(departmentGroup), body("name", "CI")).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);

        owner.get(hooks).ok();
        owner.violating().get(hooks("not-a-uuid")).problem(400, "VALIDATION_FAILED");
        anonymous.violating().get(hooks).problem(401, "UNAUTHENTICATED");
        member.get(hooks).problem(403, ChatProblems.NOT_ALLOWED);
        owner.get(hooks(UUID.randomUUID().toString())).problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
        owner.get(hooks(direct)).problem(422, ChatProblems.NOT_A_GROUP);
        head.get(hooks(departmentGroup)).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);

        String rotate = hooks + "/" + hookId + "/rotate";
        JsonNode rotated = owner.post(rotate, null).ok().json();
        String rotatedSecret = rotated.get("signingSecret").asString();
        owner.violating().post(hooks + "/not-a-uuid/rotate", null).problem(400, "VALIDATION_FAILED");
        anonymous.violating().post(rotate, null).problem(401, "UNAUTHENTICATED");
        member.post(rotate, null).problem(403, ChatProblems.NOT_ALLOWED);
        owner.post(hooks + "/" + UUID.randomUUID() + "/rotate", null).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        owner.post(hooks(direct) + "/" + hookId + "/rotate", null).problem(422, ChatProblems.NOT_A_GROUP);
        head.post(hooks(departmentGroup) + "/" + hookId + "/rotate", null)
                .problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);

        // ----- posting with the URL's secret (the one before the rotation still works)
        anonymous.post(path, "{\"text\": \"Build 42 passed\"}").status(201);
        anonymous.post(path, "{\"card\": {\"title\": \"Build 43\", \"status\": \"Failed\", \"fields\": "
                + "[{\"label\": \"Branch\", \"value\": \"main\"}]}}").status(201);
        anonymous.violating().post(path, "{\"txt\": \"hello\"}").problem(400, "MALFORMED_REQUEST");
        anonymous.post(path, "{\"text\": \"@all lunch\"}").problem(403, ChatProblems.MENTION_ALL_NOT_ALLOWED);
        anonymous.post(signedPath + "/wrong-secret", "{\"text\": \"hello\"}")
                .problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        String huge = "{\"text\": \"" + "x".repeat(70 * 1024) + "\"}";
        anonymous.violating().post(path, huge).problem(413, IntegrationProblems.PAYLOAD_TOO_LARGE);
        anonymous.violating().withHeader("Content-Type", "text/plain").post(path, null)
                .problem(415, "UNSUPPORTED_MEDIA_TYPE");

        // ----- posting signed (with the new secret)
        String text = "{\"text\": \"Deployed\"}";
        signed(anonymous, rotatedSecret, "msg_1", text, Instant.now()).post(signedPath, text).status(201);
        signed(anonymous, rotatedSecret, "msg_1", text, Instant.now()).post(signedPath, text)
                .problem(409, IntegrationProblems.WEBHOOK_REPLAYED);
        jdbc.sql("DELETE FROM integration.incoming_webhook_seen WHERE hook_id = :hook")
                .param("hook", UUID.fromString(hookId)).update();
        signed(anonymous, rotatedSecret, "msg_1", text, Instant.now()).post(signedPath, text).ok();
        signed(anonymous, secret, "msg_2", text, Instant.now()).post(signedPath, text).status(201);
        anonymous.post(signedPath, text).problem(401, IntegrationProblems.WEBHOOK_SIGNATURE_INVALID);
        signed(anonymous, rotatedSecret, "msg_3", text, Instant.now().minus(Duration.ofMinutes(10)))
                .post(signedPath, text).problem(401, IntegrationProblems.WEBHOOK_TIMESTAMP_STALE);
        signed(anonymous, rotatedSecret, "msg_4", "{}", Instant.now()).post(signedPath, "{}")
                .problem(400, "VALIDATION_FAILED");
        String all = "{\"text\": \"@all deployed\"}";
        signed(anonymous, rotatedSecret, "msg_5", all, Instant.now()).post(signedPath, all)
                .problem(403, ChatProblems.MENTION_ALL_NOT_ALLOWED);
        signed(anonymous, rotatedSecret, "msg_6", text, Instant.now())
                .post("/api/v1/hooks/" + UUID.randomUUID(), text).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        anonymous.violating().post(signedPath, huge).problem(413, IntegrationProblems.PAYLOAD_TOO_LARGE);
        anonymous.violating().withHeader("Content-Type", "text/plain").post(signedPath, null)
                .problem(415, "UNSUPPORTED_MEDIA_TYPE");

        // ----- an archived group takes no hook and no post
        String archivedGroup = owner.post("/api/v1/conversations/groups", body("name", "Old builds", "memberIds",
                List.of())).status(201).json().get("id").asString();
        JsonNode archivedHook = owner.post(hooks(archivedGroup), body("name", "CI")).status(201).json();
        owner.post("/api/v1/conversations/" + archivedGroup + "/archive", null).ok();
        owner.post(hooks(archivedGroup), body("name", "CI")).problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        anonymous.post(URI.create(archivedHook.get("url").asString()).getPath(), text)
                .problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        String archivedSigned = URI.create(archivedHook.get("signedUrl").asString()).getPath();
        signed(anonymous, archivedHook.get("signingSecret").asString(), "msg_7", text, Instant.now())
                .post(archivedSigned, text).problem(409, ChatProblems.CONVERSATION_ARCHIVED);

        // ----- deleting
        String hook = hooks + "/" + hookId;
        owner.violating().delete(hooks + "/not-a-uuid").problem(400, "VALIDATION_FAILED");
        anonymous.violating().delete(hook).problem(401, "UNAUTHENTICATED");
        member.delete(hook).problem(403, ChatProblems.NOT_ALLOWED);
        owner.delete(hooks(direct) + "/" + hookId).problem(422, ChatProblems.NOT_A_GROUP);
        head.delete(hooks(departmentGroup) + "/" + hookId).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        owner.delete(hook).status(204);
        owner.delete(hook).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);
        anonymous.post(path, text).problem(404, IntegrationProblems.WEBHOOK_NOT_FOUND);

        assertThat(openApi.unseenResponses().stream().filter(IncomingWebhookContractTest::incomingWebhookResponse))
                .as("documented incoming webhook responses the walkthrough never saw").isEmpty();
    }

    /** A department's group, with {@code head} as its head (an admin of the group). */
    private String departmentGroup(TestUser head) {
        DepartmentId department = chart.createDepartment("Hooks " + UUID.randomUUID().toString().substring(0, 6),
                null, 0, null, null).id();
        chart.setMembership(UserId.of(head.id()), department, "Staff", true, null);
        chart.setHeads(department, List.of(UserId.of(head.id())), null);
        RestApi admin = clients.rest(clients.orgAdmin());
        return admin.post("/api/v1/department-groups", body("departmentId", department.value())).status(201).json()
                .get("conversationId").asString();
    }

    private static ContractClient signed(ContractClient client, String secret, String id, String body, Instant at) {
        ContractClient signing = client;
        for (Map.Entry<String, String> header : WebhookSignatures.headers(secret, id, at,
                body.getBytes(StandardCharsets.UTF_8)).entrySet()) {
            signing = signing.withHeader(header.getKey(), header.getValue());
        }
        return signing;
    }

    private static String hooks(String conversation) {
        return "/api/v1/conversations/" + conversation + "/incoming-webhooks";
    }
}
