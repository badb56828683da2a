package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.platform.ProblemCodes;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.SmallIntegrationLimits;
import io.chorus.support.TestBots;
import io.chorus.support.TestBots.TestBot;
import io.chorus.support.TestClients;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * The 429 of the integrations' rate limits ({@code components/responses/RateLimited}, with the
 * spent {@code limit} and Retry-After) against {@code frontend-contract/openapi.yaml}, once for
 * each kind of limit; {@link OpenApiContract#unseenResponses} leaves those responses to this class.
 */
@ChorusIntegrationTest
@SmallIntegrationLimits
class RateLimitContractTest {

    /** Only so that this class shares the application of IntegrationRateLimitTest. */
    @TestBean(name = "clock", methodName = "io.chorus.support.AdjustableClock#standIn")
    Clock clock;

    private static OpenApiContract openApi;

    @Autowired
    TestClients clients;

    @BeforeAll
    static void loadDocument() {
        openApi = OpenApiContract.load();
    }

    @Test
    void refusalsOfEachLimitAnswerAsDocumented() {
        TestBot reader = new TestBots(clients).bot("messages:read", "org:read");
        ContractClient bot = ContractClient.withToken(clients, openApi, reader.token());

        for (int i = 0; i < SmallIntegrationLimits.ORG_USERS; i++) {
            bot.get("/api/v1/org/users?q=bot").ok();
        }
        limited(bot.get("/api/v1/org/users?q=bot"), "endpoint");

        for (int i = SmallIntegrationLimits.ORG_USERS; i < SmallIntegrationLimits.TOKEN; i++) {
            bot.get("/api/v1/conversations").ok();
        }
        limited(bot.get("/api/v1/conversations"), "token");

        TestBot writer = new TestBots(clients).bot("messages:write");
        ContractClient poster = ContractClient.withToken(clients, openApi, writer.token());
        String group = clients.rest(writer.owner()).post("/api/v1/conversations/groups",
                body("name", "Limits", "memberIds", List.of(writer.id()))).status(201).json().get("id").asString();
        for (int i = 0; i < SmallIntegrationLimits.CONVERSATION; i++) {
            poster.post("/api/v1/conversations/" + group + "/messages", body("clientMessageId", "m-" + i, "text", "hi"))
                    .status(201);
        }
        limited(poster.post("/api/v1/conversations/" + group + "/messages",
                body("clientMessageId", "m-over", "text", "hi")), "conversation");
    }

    private static void limited(RestApi.Response response, String limit) {
        response.problem(429, ProblemCodes.RATE_LIMITED);
        assertThat(response.json().get("limit").asString()).isEqualTo(limit);
        assertThat(response.headers().getFirst("Retry-After")).matches("[1-9][0-9]*");
    }
}
