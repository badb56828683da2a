package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.ConversationLock;
import io.chorus.support.RestApi;
import io.chorus.support.SmallSendLimits;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The refusals of a message send that only limits give (429 over the user's budget, 503 past
 * capacity), against {@code frontend-contract/openapi.yaml}, with {@link SmallSendLimits} so
 * they can be reached on purpose. {@link ContractTest} leaves these responses to this class.
 */
@ChorusIntegrationTest
@SmallSendLimits
class SendRefusalContractTest {

    private static final Set<String> RESPONSES = Set.of(
            "POST /api/v1/conversations/{}/messages 429", "POST /api/v1/conversations/{}/messages 503",
            "POST /api/v1/conversations/{}/cards 429", "POST /api/v1/conversations/{}/cards 503");

    private static OpenApiContract openApi;

    @Autowired
    TestClients clients;
    @Autowired
    DataSource dataSource;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
    }

    /** Whether a documented response ("METHOD /path status") is this class's to show. */
    static boolean sendRefusal(String response) {
        return RESPONSES.contains(response);
    }

    @Test
    void refusedSendsAnswerAsDocumented() {
        // alice is an integration too, so she may post cards: they spend the same budget and slots
        TestUser aliceUser = clients.user("alice", List.of("employee", "integration"));
        TestUser bobUser = clients.user("bob");
        ContractClient alice = ContractClient.as(clients, openApi, aliceUser);
        ContractClient bob = ContractClient.as(clients, openApi, bobUser);
        String group = alice.post("/api/v1/conversations/groups", body("name", "Limits", "memberIds",
                List.of(bobUser.id()))).status(201).json().get("id").asString();
        String messages = "/api/v1/conversations/" + group + "/messages";

        // Past capacity: the one send slot is held by a send the database holds up.
        try (ConversationLock lock = ConversationLock.hold(dataSource, UUID.fromString(group))) {
            CompletableFuture<RestApi.Response> held = CompletableFuture.supplyAsync(
                    () -> bob.post(messages, body("clientMessageId", "held", "text", "held up")));
            lock.awaitWaiters(1);
            RestApi.Response overloaded = alice.post(messages, body("clientMessageId", "a-0", "text", "busy"))
                    .problem(503, ProblemCodes.OVERLOADED);
            assertThat(overloaded.headers().getFirst("Retry-After")).matches("[1-9][0-9]*");
            alice.post("/api/v1/conversations/" + group + "/cards", body("clientMessageId", "card-0",
                    "card", body("title", "Busy"))).problem(503, ProblemCodes.OVERLOADED);
            lock.close();
            held.join().status(201);
        }

        // Over budget: the user's sends are spent.
        // the refused card above spent from the budget as well
        for (int i = 1; i <= SmallSendLimits.BUDGET - 2; i++) {
            alice.post(messages, body("clientMessageId", "a-" + i, "text", "message " + i)).status(201);
        }
        RestApi.Response limited = alice.post(messages, body("clientMessageId", "a-over", "text", "too many"))
                .problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(limited.headers().getFirst("Retry-After")).matches("[1-9][0-9]*");
        alice.post("/api/v1/conversations/" + group + "/cards", body("clientMessageId", "card-over",
                "card", body("title", "Too many"))).problem(429, ProblemCodes.RATE_LIMITED);

        assertThat(openApi.unseenResponses().stream().filter(SendRefusalContractTest::sendRefusal))
                .as("documented send refusals never seen").isEmpty();
    }
}
