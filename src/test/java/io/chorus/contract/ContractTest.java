package io.chorus.contract;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.chorus.approval.ApprovalProblems;
import io.chorus.integration.IntegrationProblems;
import io.chorus.audit.AuditProblems;
import io.chorus.audit.AuditTrail;
import io.chorus.chat.Card;
import io.chorus.chat.Cards;
import io.chorus.chat.ChatProblems;
import io.chorus.chat.ConversationId;
import io.chorus.chat.MessageView;
import io.chorus.chat.PostCard;
import io.chorus.chat.LiveEvent;
import io.chorus.chat.stomp.StompDestinations;
import io.chorus.identity.UserAccounts;
import io.chorus.identity.UserId;
import io.chorus.integration.IntegrationProblems;
import io.chorus.org.OrgChart;
import io.chorus.org.OrgProblems;
import io.chorus.org.internal.OrgProperties;
import io.chorus.platform.ProblemCodes;
import io.chorus.search.SearchProblems;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpMethod;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.test.util.AopTestUtils;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Keeps {@code frontend-contract/} true: the documents name exactly the endpoints and
 * destinations the running application has, and what the application really sends — every
 * REST response, every live event, ack, error event and ERROR frame — matches their schemas,
 * which allow no undocumented field.
 */
@ChorusIntegrationTest
class ContractTest {

    /** Codes raised as literals rather than from a code registry (local mode only). */
    private static final Set<String> UNREGISTERED_CODES = Set.of("UNKNOWN_DEMO_USER");
    private static final UUID NOBODY = UUID.fromString("00000000-0000-4000-8000-000000000000");
    private static final long NO_MESSAGE = 999_999_999L;
    /**
     * Responses of chat operations that only a department group gives; the org walkthrough,
     * which makes department groups, shows them.
     */
    private static final Set<String> DEPARTMENT_GROUP_ONLY = Set.of("POST /api/v1/conversations/{}/archive 409");
    /**
     * The object schemas that are open by design, each marked {@code x-open: true} in the
     * document: an audit entry's {@code detail} is whatever the recording module wrote, hashed
     * as written, so no property list could stay true for the entries already in the trail.
     * An approval request's {@code form} and {@code chosenApprovers} are keyed by its
     * template's field keys and node ids, which each template chooses.
     * The marker is honoured here only; anywhere else it is reported like any open schema.
     */
    private static final Set<String> OPEN_BY_DESIGN = Set.of("#/components/schemas/AuditEntry/properties/detail",
            "#/components/schemas/SubmitApprovalRequest/properties/form",
            "#/components/schemas/SubmitApprovalRequest/properties/chosenApprovers",
            "#/components/schemas/ApprovalInstance/properties/form",
            "#/components/schemas/DeliveryDetail/properties/payload/properties/data");

    private static OpenApiContract openApi;
    private static AsyncApiContract asyncApi;

    @Autowired
    TestClients clients;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping restMappings;

    @Autowired
    SimpAnnotationMethodMessageHandler stompMappings;

    @Autowired
    UserAccounts accounts;

    @Autowired
    OrgChart orgChart;

    @Autowired
    AuditTrail auditTrail;

    @Autowired
    DataSource dataSource;

    @Autowired
    Cards cards;

    /** A card with every optional part both present and absent. */
    private static Card contractCard(String status) {
        return new Card("Expense claim", status, List.of(new Card.Field("Amount", "120 EUR"), new Card.Field("Note", "")),
                List.of(new Card.Action("approve", "Approve", Card.ActionStyle.PRIMARY, "task-1", "POST",
                                "/api/v1/approvals/tasks/1/approve", null),
                        new Card.Action("reject", "Reject", Card.ActionStyle.DANGER, "task-1", "POST",
                                "/api/v1/approvals/tasks/1/reject", new Card.Input("reason", "Reason", true, 200)),
                        new Card.Action("later", "Later", Card.ActionStyle.DEFAULT, null, null, null, null)));
    }

    @BeforeAll
    static void loadDocuments() {
        openApi = OpenApiContract.load();
        asyncApi = AsyncApiContract.load();
    }

    // ---------------------------------------------------------------- mappings

    @Test
    void everyRestEndpointIsDocumentedAndEveryDocumentedOperationExists() {
        Set<String> served = new TreeSet<>();
        restMappings.getHandlerMethods().forEach((info, handler) -> {
            Set<String> patterns = info.getPathPatternsCondition() != null
                    ? info.getPathPatternsCondition().getPatternValues() : info.getPatternValues();
            patterns.stream().filter(pattern -> pattern.startsWith("/api/")).forEach(pattern -> {
                assertThat(info.getMethodsCondition().getMethods())
                        .as("%s (%s) names its HTTP method", pattern, handler).isNotEmpty();
                info.getMethodsCondition().getMethods()
                        .forEach(method -> served.add(method.name() + " " + ContractPaths.normalise(pattern)));
            });
        });
        Set<String> documented = openApi.operations().stream().map(OpenApiContract.DocumentedOperation::key)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(served).as("REST endpoints of the application").isNotEmpty();
        assertThat(difference(served, documented)).as("endpoints the application serves but %s does not document",
                OpenApiContract.LOCATION).isEmpty();
        assertThat(difference(documented, served)).as("operations %s documents but the application does not serve",
                OpenApiContract.LOCATION).isEmpty();
    }

    @Test
    void everyStompDestinationIsDocumentedAndEveryDocumentedChannelExists() {
        assertThat(stompMappings.getDestinationPrefixes()).as("application destination prefixes").hasSize(1);
        String prefix = stompMappings.getDestinationPrefixes().iterator().next().replaceAll("/$", "");
        Set<String> handled = new TreeSet<>();
        stompMappings.getHandlerMethods().keySet().forEach(info -> info.getDestinationConditions().getPatterns()
                .forEach(pattern -> handled.add(ContractPaths.normalise(prefix + pattern))));

        Map<String, String> channels = asyncApi.channelAddresses();
        Set<String> documentedApp = channels.values().stream().filter(address -> address.startsWith(prefix + "/"))
                .map(ContractPaths::normalise).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documentedQueues = channels.values().stream().filter(address -> address.startsWith("/user/"))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> permittedSends = StompDestinations.appDestinations().stream().map(ContractPaths::normalise)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(handled).as("@MessageMapping destinations").isNotEmpty();
        assertThat(difference(handled, documentedApp)).as("destinations the application handles but %s does not document",
                AsyncApiContract.LOCATION).isEmpty();
        assertThat(difference(documentedApp, handled)).as("channels %s documents but no @MessageMapping handles",
                AsyncApiContract.LOCATION).isEmpty();
        assertThat(documentedQueues).as("user queues of %s vs those clients may subscribe to",
                AsyncApiContract.LOCATION).isEqualTo(new TreeSet<>(StompDestinations.userQueues()));
        assertThat(permittedSends).as("destinations security lets clients SEND to vs those handled").isEqualTo(handled);
        assertThat(channels.values()).as("every addressed channel is an application destination or a user queue")
                .allMatch(address -> address.startsWith(prefix + "/") || address.startsWith("/user/"));
    }

    @Test
    void documentedErrorCodesAreTheCodesTheApplicationUses() {
        Set<String> registered = new TreeSet<>(UNREGISTERED_CODES);
        registered.addAll(constants(ProblemCodes.class));
        registered.addAll(constants(ChatProblems.class));
        registered.addAll(constants(OrgProblems.class));
        registered.addAll(constants(AuditProblems.class));
        registered.addAll(constants(SearchProblems.class));
        registered.addAll(constants(ApprovalProblems.class));
        registered.addAll(constants(IntegrationProblems.class));

        List<String> rest = openApi.model().getComponents().getSchemas().get("ProblemCode").getEnum().stream()
                .map(String::valueOf).toList();
        List<String> live = StreamSupport.stream(
                asyncApi.root().at("/components/schemas/ProblemCode/enum").spliterator(), false)
                .map(JsonNode::asText).toList();
        assertThat(new TreeSet<>(rest)).as("ProblemCode of %s", OpenApiContract.LOCATION).isEqualTo(registered);
        assertThat(new TreeSet<>(live)).as("ProblemCode of %s", AsyncApiContract.LOCATION).isEqualTo(registered);
    }

    @Test
    void documentedEventTypesAreTheLiveEventsTheApplicationHas() throws ReflectiveOperationException {
        Set<String> types = new TreeSet<>();
        for (Class<?> event : LiveEvent.class.getPermittedSubclasses()) {
            types.add(((LiveEvent) blank(event)).type());
        }
        assertThat(new TreeSet<>(asyncApi.eventTypes().keySet())).as("event types of %s", AsyncApiContract.LOCATION)
                .isEqualTo(types);
    }

    @Test
    void everyObjectSchemaForbidsUndocumentedProperties() {
        JsonNode openApiRoot = ContractJson.readYaml(OpenApiContract.LOCATION);
        List<String> open = new ArrayList<>();
        collectOpenObjects(openApiRoot.path("components").path("schemas"), "#/components/schemas", open);
        collectOpenObjects(openApiRoot.path("paths"), "#/paths", open);
        collectOpenObjects(asyncApi.root().path("components").path("schemas"), "#/components/schemas", open);
        assertThat(open).as("object schemas without 'additionalProperties: false': a new field would pass unnoticed")
                .isEmpty();
        assertThat(OPEN_BY_DESIGN).as("schemas open by design are where %s marks them x-open", OpenApiContract.LOCATION)
                .allMatch(path -> openApiRoot.at(path.substring(1)).path("x-open").asBoolean(false));
    }

    // ---------------------------------------------------------------- REST walkthrough

    @Test
    void everyRestOperationAnswersAsDocumented() {
        TestUser aliceUser = clients.user("alice");
        TestUser bobUser = clients.user("bob");
        TestUser carolUser = clients.user("carol");
        TestUser erinUser = clients.user("erin");
        TestUser outsiderUser = clients.user("outsider");
        TestUser integrationUser = clients.user("integration", List.of("integration"));
        ContractClient alice = client(aliceUser);
        ContractClient bob = client(bobUser);
        ContractClient outsider = client(outsiderUser);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);

        // identity and local mode
        assertThat(alice.get("/api/v1/me").ok().json().get("id").asString()).isEqualTo(aliceUser.id().toString());
        anonymous.post("/api/v1/dev/token", body("username", "alice")).ok();
        anonymous.violating().post("/api/v1/dev/token", body("username", "")).problem(400, "VALIDATION_FAILED");
        anonymous.violating().post("/api/v1/dev/token", "{").problem(400, "MALFORMED_REQUEST");
        anonymous.post("/api/v1/dev/token", body("username", "nobody-at-all")).problem(404, "UNKNOWN_DEMO_USER");

        // opening and creating conversations
        String direct = alice.post("/api/v1/conversations/direct", body("userId", bobUser.id())).status(201)
                .json().get("id").asString();
        assertThat(alice.post("/api/v1/conversations/direct", body("userId", bobUser.id())).ok()
                .json().get("id").asString()).as("the same direct chat").isEqualTo(direct);
        alice.post("/api/v1/conversations/direct", body("userId", aliceUser.id()))
                .problem(422, ChatProblems.DIRECT_CHAT_WITH_SELF);
        alice.post("/api/v1/conversations/direct", body("userId", NOBODY)).problem(422, ChatProblems.UNKNOWN_USER);
        alice.violating().post("/api/v1/conversations/direct", body()).problem(400, "VALIDATION_FAILED");
        alice.violating().post("/api/v1/conversations/direct", body("userId", "bob")).problem(400, "MALFORMED_REQUEST");
        alice.violating().post("/api/v1/conversations/direct", body("userId", bobUser.id(), "note", "hi"))
                .problem(400, "MALFORMED_REQUEST");

        String group = alice.post("/api/v1/conversations/groups",
                body("name", "Phoenix", "memberIds", List.of(bobUser.id(), carolUser.id()))).status(201)
                .json().get("id").asString();
        alice.violating().post("/api/v1/conversations/groups", body("name", "", "memberIds", List.of()))
                .problem(400, "VALIDATION_FAILED");
        alice.post("/api/v1/conversations/groups", body("name", "Ghosts", "memberIds", List.of(NOBODY)))
                .problem(422, ChatProblems.UNKNOWN_USER);

        // listing, with the cursor
        String next = alice.get("/api/v1/conversations?limit=1").ok().json().get("nextCursor").asString();
        assertThat(next).as("a next page exists").isNotBlank();
        assertThat(alice.get("/api/v1/conversations?limit=1&cursor=" + next).ok().json().get("items")).hasSize(1);
        alice.get("/api/v1/conversations").ok();
        alice.violating().get("/api/v1/conversations?limit=0").problem(400, "VALIDATION_FAILED");
        alice.get("/api/v1/conversations?cursor=not-a-cursor").problem(400, "VALIDATION_FAILED");

        // presence
        alice.get("/api/v1/presence?userIds=" + bobUser.id() + "&userIds=" + carolUser.id()).ok();
        alice.violating().get("/api/v1/presence").problem(400, "MALFORMED_REQUEST");
        alice.violating().get("/api/v1/presence?userIds=bob").problem(400, "VALIDATION_FAILED");
        // The documented maximum really fits in a request (with a bearer token), and one more is refused by the API.
        assertThat(alice.get("/api/v1/presence?" + manyUserIds(200)).ok().json()).hasSize(200);
        alice.violating().get("/api/v1/presence?" + manyUserIds(201)).problem(400, "VALIDATION_FAILED");

        // one conversation and its members
        String conversation = "/api/v1/conversations/" + group;
        alice.get(conversation).ok();
        alice.get(conversation + "/members").ok();
        alice.patch(conversation, body("name", "Phoenix II")).ok();
        bob.patch(conversation, body("name", "Bob's")).problem(403, ChatProblems.NOT_ALLOWED);
        alice.patch("/api/v1/conversations/" + direct, body("name", "Us")).problem(422, ChatProblems.NOT_A_GROUP);
        alice.violating().patch(conversation, body("name", "")).problem(400, "VALIDATION_FAILED");

        alice.post(conversation + "/members", body("userIds", List.of(erinUser.id()))).ok();
        alice.post(conversation + "/members", body("userIds", List.of(NOBODY))).problem(422, ChatProblems.UNKNOWN_USER);
        alice.violating().post(conversation + "/members", body("userIds", List.of())).problem(400, "VALIDATION_FAILED");
        bob.post(conversation + "/members", body("userIds", List.of(outsiderUser.id())))
                .problem(403, ChatProblems.NOT_ALLOWED);
        alice.post("/api/v1/conversations/" + direct + "/members", body("userIds", List.of(carolUser.id())))
                .problem(422, ChatProblems.NOT_A_GROUP);

        alice.patch(conversation + "/members/" + carolUser.id(), body("role", "ADMIN")).ok();
        bob.patch(conversation + "/members/" + erinUser.id(), body("role", "ADMIN")).problem(403, ChatProblems.NOT_ALLOWED);
        alice.patch(conversation + "/members/" + outsiderUser.id(), body("role", "ADMIN"))
                .problem(404, ChatProblems.MEMBER_NOT_FOUND);
        alice.patch("/api/v1/conversations/" + direct + "/members/" + bobUser.id(), body("role", "ADMIN"))
                .problem(422, ChatProblems.NOT_A_GROUP);
        alice.violating().patch(conversation + "/members/" + carolUser.id(), body("role", "KING"))
                .problem(400, "MALFORMED_REQUEST");

        // messages: idempotent send, replies, mentions
        String messages = conversation + "/messages";
        RestApi.Response first = alice.post(messages, body("clientMessageId", "m-1", "text", "Hello @" + bobUser.username()))
                .status(201);
        long hello = first.json().get("id").asLong();
        assertThat(alice.post(messages, body("clientMessageId", "m-1", "text", "Hello @" + bobUser.username())).ok()
                .json().get("id").asLong()).as("a retry returns the original").isEqualTo(hello);
        alice.post(messages, body("clientMessageId", "m-1", "text", "Something else"))
                .problem(409, ChatProblems.CLIENT_MESSAGE_ID_REUSED);
        alice.post(messages, body("clientMessageId", "m-2", "text", "Re: hello", "replyToMessageId", hello)).status(201);
        alice.post(messages, body("clientMessageId", "m-3", "text", "Re: nothing", "replyToMessageId", NO_MESSAGE))
                .problem(422, ChatProblems.MESSAGE_NOT_FOUND);
        bob.post(messages, body("clientMessageId", "b-1", "text", "@all listen")).problem(403, ChatProblems.MENTION_ALL_NOT_ALLOWED);
        long bobs = bob.post(messages, body("clientMessageId", "b-2", "text", "Hi all")).status(201).json().get("id").asLong();
        alice.violating().post(messages, body("clientMessageId", "not valid!", "text", "x")).problem(400, "VALIDATION_FAILED");
        alice.violating().post(messages, body("clientMessageId", "m-4", "text", "   ")).problem(400, "VALIDATION_FAILED");
        alice.violating().post(messages, body("clientMessageId", "m-5", "text", "x", "sticker", "cat"))
                .problem(400, "MALFORMED_REQUEST");

        // history and catch-up
        assertThat(alice.get(messages + "?limit=1").ok().json().get("hasMore").asBoolean()).isTrue();
        alice.get(messages + "?beforeSeq=3&limit=10").ok();
        alice.get(messages + "?afterSeq=1").ok();
        alice.get(messages).ok();
        alice.get(messages + "?beforeSeq=2&afterSeq=1").problem(400, "VALIDATION_FAILED");
        alice.violating().get(messages + "?limit=101").problem(400, "VALIDATION_FAILED");
        alice.get(conversation + "/catch-up?sinceSeq=0").ok();
        alice.get(conversation + "/catch-up?sinceSeq=0&afterSeq=1&limit=1").ok();
        alice.violating().get(conversation + "/catch-up").problem(400, "MALFORMED_REQUEST");
        alice.violating().get(conversation + "/catch-up?sinceSeq=-1").problem(400, "VALIDATION_FAILED");
        alice.get(conversation + "/catch-up?sinceSeq=999").problem(422, ChatProblems.SEQ_OUT_OF_RANGE);

        // read state
        bob.post(conversation + "/read", body("seq", 1)).ok();
        bob.post(conversation + "/read", body("seq", 999)).problem(422, ChatProblems.SEQ_OUT_OF_RANGE);
        bob.violating().post(conversation + "/read", body("seq", -1)).problem(400, "VALIDATION_FAILED");
        alice.get(messages + "/" + hello + "/reads").ok();
        alice.get(messages + "/" + NO_MESSAGE + "/reads").problem(404, ChatProblems.MESSAGE_NOT_FOUND);

        // editing, reacting, recalling
        String helloPath = messages + "/" + hello;
        alice.patch(helloPath, body("text", "Hello again")).ok();
        bob.patch(helloPath, body("text", "Mine now")).problem(403, ChatProblems.NOT_THE_AUTHOR);
        alice.patch(messages + "/" + NO_MESSAGE, body("text", "?")).problem(404, ChatProblems.MESSAGE_NOT_FOUND);
        alice.violating().patch(helloPath, body()).problem(400, "VALIDATION_FAILED");
        alice.violating().patch(messages + "/first", body("text", "?")).problem(400, "VALIDATION_FAILED");

        assertThat(bob.put(helloPath + "/reactions/👍").ok().json().get("reactions")).hasSize(1);
        bob.delete(helloPath + "/reactions/👍").ok();
        bob.put(helloPath + "/reactions/a b").problem(400, ChatProblems.INVALID_REACTION);
        bob.delete(helloPath + "/reactions/a b").problem(400, ChatProblems.INVALID_REACTION);
        bob.put(messages + "/" + NO_MESSAGE + "/reactions/👍").problem(404, ChatProblems.MESSAGE_NOT_FOUND);
        bob.delete(messages + "/" + NO_MESSAGE + "/reactions/👍").problem(404, ChatProblems.MESSAGE_NOT_FOUND);

        bob.post(helloPath + "/recall", null).problem(403, ChatProblems.NOT_THE_AUTHOR);
        alice.post(helloPath + "/recall", null).ok();
        alice.post(helloPath + "/recall", null).problem(409, ChatProblems.MESSAGE_RECALLED);
        alice.post(messages + "/" + NO_MESSAGE + "/recall", null).problem(404, ChatProblems.MESSAGE_NOT_FOUND);
        alice.patch(helloPath, body("text", "Back")).problem(409, ChatProblems.MESSAGE_RECALLED);
        bob.put(helloPath + "/reactions/👍").problem(409, ChatProblems.MESSAGE_RECALLED);
        bob.delete(helloPath + "/reactions/👍").problem(409, ChatProblems.MESSAGE_RECALLED);

        // cards: posted by another module, shown in history, never edited as text
        MessageView card = cards.post(new PostCard(ConversationId.of(UUID.fromString(group)), UserId.of(aliceUser.id()),
                "card-1", contractCard("Pending")));
        String cardPath = messages + "/" + card.id();
        var shown = alice.get(messages + "?afterSeq=" + (card.seq() - 1) + "&limit=1").ok().json().at("/items/0");
        assertThat(shown.get("kind").asString()).isEqualTo("CARD");
        assertThat(shown.at("/card/actions/1/input/name").asString()).isEqualTo("reason");
        alice.patch(cardPath, body("text", "Approved")).problem(409, ChatProblems.CARD_NOT_EDITABLE);
        cards.update(UserId.of(aliceUser.id()), ConversationId.of(UUID.fromString(group)), card.id(),
                new Card("Expense claim", null, List.of(), List.of()));
        assertThat(alice.get(conversation + "/catch-up?sinceSeq=" + card.seq()).ok().json().at("/items/0/card/status")
                .isNull()).isTrue();

        // leaving and removing
        alice.delete(conversation + "/members/" + aliceUser.id()).problem(409, ChatProblems.OWNER_MUST_TRANSFER);
        bob.delete(conversation + "/members/" + carolUser.id()).problem(403, ChatProblems.NOT_ALLOWED);
        alice.delete(conversation + "/members/" + outsiderUser.id()).problem(404, ChatProblems.MEMBER_NOT_FOUND);
        alice.delete("/api/v1/conversations/" + direct + "/members/" + bobUser.id()).problem(422, ChatProblems.NOT_A_GROUP);
        alice.delete(conversation + "/members/" + erinUser.id()).status(204);

        // archiving, and what an archived group refuses
        bob.post(conversation + "/archive", null).problem(403, ChatProblems.NOT_ALLOWED);
        alice.post("/api/v1/conversations/" + direct + "/archive", null).problem(422, ChatProblems.NOT_A_GROUP);
        assertThat(alice.post(conversation + "/archive", null).ok().json().get("archived").asBoolean()).isTrue();
        alice.post(conversation + "/archive", null).ok();
        alice.patch(conversation, body("name", "Phoenix III")).problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        alice.post(conversation + "/members", body("userIds", List.of(erinUser.id())))
                .problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        alice.patch(conversation + "/members/" + carolUser.id(), body("role", "MEMBER"))
                .problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        alice.delete(conversation + "/members/" + carolUser.id()).problem(409, ChatProblems.CONVERSATION_ARCHIVED);
        alice.post(messages, body("clientMessageId", "m-9", "text", "Anyone?")).problem(409, ChatProblems.CONVERSATION_ARCHIVED);

        // the refusals every operation shares: no token, no employee role, a malformed id, no such
        // conversation, not a member
        String otherGroup = alice.post("/api/v1/conversations/groups", body("name", "Sweep", "memberIds", List.of(bobUser.id())))
                .status(201).json().get("id").asString();
        long otherMessage = alice.post("/api/v1/conversations/" + otherGroup + "/messages",
                body("clientMessageId", "s-1", "text", "Sweep")).status(201).json().get("id").asLong();
        ContractClient integration = client(integrationUser);
        for (Call call : calls(bobUser.id(), otherMessage)) {
            anonymous.violating().call(call.method(), call.path(otherGroup), call.body()).problem(401, "UNAUTHENTICATED");
            integration.call(call.method(), call.path(otherGroup), call.body()).problem(403, "FORBIDDEN");
            if (call.scoped()) {
                alice.violating().call(call.method(), call.path("not-a-uuid"), call.body()).problem(400, "VALIDATION_FAILED");
                alice.call(call.method(), call.path(UUID.randomUUID().toString()), call.body())
                        .problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
                outsider.call(call.method(), call.path(otherGroup), call.body()).problem(403, ChatProblems.NOT_A_MEMBER);
            }
        }
        anonymous.violating().get("/api/v1/me").problem(401, "UNAUTHENTICATED");

        assertThat(openApi.unseenResponses().stream().filter(response -> !orgResponse(response))
                .filter(response -> !retentionResponse(response)).filter(response -> !auditResponse(response))
                .filter(response -> !searchResponse(response))
                .filter(response -> !SendRefusalContractTest.sendRefusal(response))
                .filter(response -> !ApprovalContractTest.approvalResponse(response))
                .filter(response -> !IntegrationContractTest.integrationResponse(response)))
                .as("documented responses the walkthrough never saw: exercise them, or remove them from %s if the "
                        + "application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    /** One request of each employee-only operation, valid in every way but the caller or the conversation. */
    private record Call(HttpMethod method, String template, Object body) {

        boolean scoped() {
            return template.contains("{c}");
        }

        String path(String conversationId) {
            return template.replace("{c}", conversationId);
        }
    }

    private static List<Call> calls(UUID member, long message) {
        String c = "/api/v1/conversations/{c}";
        String m = c + "/messages/" + message;
        return List.of(
                new Call(HttpMethod.GET, "/api/v1/presence?userIds=" + member, null),
                new Call(HttpMethod.GET, "/api/v1/conversations", null),
                new Call(HttpMethod.POST, "/api/v1/conversations/direct", body("userId", member)),
                new Call(HttpMethod.POST, "/api/v1/conversations/groups", body("name", "G", "memberIds", List.of())),
                new Call(HttpMethod.GET, c, null),
                new Call(HttpMethod.PATCH, c, body("name", "Renamed")),
                new Call(HttpMethod.POST, c + "/archive", null),
                new Call(HttpMethod.GET, c + "/members", null),
                new Call(HttpMethod.POST, c + "/members", body("userIds", List.of(member))),
                new Call(HttpMethod.DELETE, c + "/members/" + member, null),
                new Call(HttpMethod.PATCH, c + "/members/" + member, body("role", "ADMIN")),
                new Call(HttpMethod.POST, c + "/read", body("seq", 0)),
                new Call(HttpMethod.POST, c + "/messages", body("clientMessageId", "sweep-" + UUID.randomUUID(), "text", "x")),
                new Call(HttpMethod.GET, c + "/messages", null),
                new Call(HttpMethod.GET, c + "/catch-up?sinceSeq=0", null),
                new Call(HttpMethod.PATCH, m, body("text", "Edited")),
                new Call(HttpMethod.POST, m + "/recall", null),
                new Call(HttpMethod.PUT, m + "/reactions/👍", null),
                new Call(HttpMethod.DELETE, m + "/reactions/👍", null),
                new Call(HttpMethod.GET, m + "/reads", null));
    }

    // ---------------------------------------------------------------- org chart and department groups

    @Test
    void everyOrgOperationAnswersAsDocumented() {
        // ben and cat share a tag no other user has, so a directory search finds exactly them.
        String tag = "cw" + UUID.randomUUID().toString().substring(0, 6);
        TestUser adminUser = clients.user("orgadmin", List.of("employee", "org_admin"));
        TestUser annUser = clients.user("ann");
        TestUser benUser = clients.user(tag + "ben");
        TestUser catUser = clients.user(tag + "cat");
        TestUser integrationUser = clients.user("integration", List.of("integration"));
        ContractClient admin = client(adminUser);
        ContractClient ann = client(annUser);
        ContractClient ben = client(benUser);
        ContractClient integration = client(integrationUser);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);
        String departments = "/api/v1/org/departments";
        String users = "/api/v1/org/users/";

        // creating departments (org_admin only)
        String top = admin.post(departments, body("name", "Contract HQ")).status(201).json().get("id").asString();
        JsonNode created = ContractJson.read(admin.post(departments,
                body("name", "Engineering", "parentId", top, "sortOrder", 1)).status(201).body());
        String engineering = created.get("id").asText();
        assertThat(created.get("parentId").asText()).as("ids are plain UUID strings").isEqualTo(top);
        String platform = admin.post(departments, body("name", "Platform", "parentId", engineering, "sortOrder", null))
                .status(201).json().get("id").asString();
        ann.post(departments, body("name", "Mine")).problem(403, "FORBIDDEN");
        admin.post(departments, body("name", "Orphan", "parentId", NOBODY)).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.post(departments, body("name", "   ")).problem(400, "VALIDATION_FAILED");
        admin.violating().post(departments, body("name", "")).problem(400, "VALIDATION_FAILED");
        admin.violating().post(departments, body("name", "Far", "sortOrder", 2_000_000)).problem(400, "VALIDATION_FAILED");
        admin.violating().post(departments, body("name", "Red", "colour", "red")).problem(400, "MALFORMED_REQUEST");

        // reading the tree and one department
        JsonNode tree = ContractJson.read(ann.get(departments).ok().body()).get("departments");
        JsonNode hq = StreamSupport.stream(tree.spliterator(), false)
                .filter(node -> node.get("id").asText().equals(top)).findFirst().orElseThrow();
        assertThat(hq.at("/children/0/id").asText()).isEqualTo(engineering);
        assertThat(hq.at("/children/0/children/0/id").asText()).isEqualTo(platform);
        String department = departments + "/" + engineering;
        assertThat(ann.get(department).ok().json().get("id").asString()).isEqualTo(engineering);
        ann.get(departments + "/" + NOBODY).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);

        admin.patch(department, body("name", "Engineering II", "sortOrder", 2)).ok();
        admin.patch(department, body()).ok();
        ann.patch(department, body("name", "Mine")).problem(403, "FORBIDDEN");
        admin.patch(departments + "/" + NOBODY, body("name", "Ghost")).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.violating().patch(department, body("name", "")).problem(400, "VALIDATION_FAILED");

        // heads: ann heads Engineering without being in it
        JsonNode headed = ContractJson.read(admin.put(department + "/heads", body("userIds", List.of(annUser.id())))
                .ok().body());
        assertThat(headed.at("/heads/0").asText()).as("heads are plain UUID strings").isEqualTo(annUser.id().toString());
        admin.put(department + "/heads", body("userIds", List.of(NOBODY))).problem(422, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.put(departments + "/" + NOBODY + "/heads", body("userIds", List.of()))
                .problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.violating().put(department + "/heads", body()).problem(400, "VALIDATION_FAILED");

        // memberships
        String benInEngineering = department + "/members/" + benUser.id();
        assertThat(admin.put(benInEngineering, body("title", "Backend Engineer")).status(201).json().get("primary")
                .asBoolean()).as("a first department is the primary one").isTrue();
        admin.put(benInEngineering, body("title", "Staff Engineer", "primary", true)).ok();
        admin.put(departments + "/" + platform + "/members/" + catUser.id(), body("title", "SRE")).status(201);
        admin.put(departments + "/" + NOBODY + "/members/" + benUser.id(), body())
                .problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.put(department + "/members/" + NOBODY, body()).problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.violating().put(benInEngineering, body("title", "x".repeat(101))).problem(400, "VALIDATION_FAILED");

        // members, with the cursor
        assertThat(ann.get(department + "/members").ok().json().at("/items/0/userId").asString())
                .isEqualTo(benUser.id().toString());
        String everyone = departments + "/" + top + "/members?includeSubDepartments=true";
        String next = ann.get(everyone + "&limit=1").ok().json().get("nextCursor").asString();
        assertThat(next).as("a next page exists").isNotBlank();
        assertThat(ann.get(everyone + "&limit=1&cursor=" + next).ok().json().get("items")).hasSize(1);
        ann.get(department + "/members?cursor=not-a-cursor").problem(400, "VALIDATION_FAILED");
        ann.violating().get(department + "/members?limit=0").problem(400, "VALIDATION_FAILED");
        ann.get(departments + "/" + NOBODY + "/members").problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);

        // the directory: search, entries, manager chains
        String search = "/api/v1/org/users?q=" + tag;
        String more = ann.get(search + "&limit=1").ok().json().get("nextCursor").asString();
        assertThat(more).as("a next page exists").isNotBlank();
        assertThat(ann.get(search + "&limit=1&cursor=" + more).ok().json().get("items")).hasSize(1);
        ann.get(search + "&cursor=not-a-cursor").problem(400, "VALIDATION_FAILED");
        ann.violating().get("/api/v1/org/users").problem(400, "MALFORMED_REQUEST");
        ann.violating().get("/api/v1/org/users?q=").problem(400, "VALIDATION_FAILED");
        ann.violating().get(search + "&limit=101").problem(400, "VALIDATION_FAILED");

        assertThat(ann.get(users + benUser.id()).ok().json().at("/departments/0/departmentId").asString())
                .isEqualTo(engineering);
        ann.get(users + NOBODY).problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);
        assertThat(ann.get(users + benUser.id() + "/manager-chain").ok().json().at("/managers/0/userId").asString())
                .as("the head of ben's department manages him").isEqualTo(annUser.id().toString());
        ann.get(users + benUser.id() + "/manager-chain?levels=1").ok();
        ann.violating().get(users + benUser.id() + "/manager-chain?levels=0").problem(400, "VALIDATION_FAILED");
        ann.get(users + NOBODY + "/manager-chain").problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);

        assertThat(admin.put(users + catUser.id() + "/manager", body("managerId", benUser.id())).ok().json()
                .get("managerId").asString()).isEqualTo(benUser.id().toString());
        admin.put(users + benUser.id() + "/manager", body("managerId", catUser.id())).problem(409, OrgProblems.MANAGER_CYCLE);
        admin.put(users + benUser.id() + "/manager", body("managerId", benUser.id())).problem(409, OrgProblems.MANAGER_CYCLE);
        admin.put(users + benUser.id() + "/manager", body("managerId", NOBODY)).problem(422, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.put(users + NOBODY + "/manager", body("managerId", benUser.id())).problem(404, OrgProblems.EMPLOYEE_NOT_FOUND);
        admin.violating().put(users + catUser.id() + "/manager", body("managerId", "ben")).problem(400, "MALFORMED_REQUEST");
        assertThat(admin.put(users + catUser.id() + "/manager", body("managerId", null)).ok().json().get("managerId")
                .isNull()).isTrue();

        // moving subtrees
        String platformPath = departments + "/" + platform;
        assertThat(admin.post(platformPath + "/move", body("parentId", top)).ok().json().get("parentId").asString())
                .isEqualTo(top);
        admin.post(platformPath + "/move", body("parentId", engineering, "sortOrder", 3)).ok();
        admin.post(departments + "/" + top + "/move", body("parentId", platform)).problem(409, OrgProblems.DEPARTMENT_CYCLE);
        admin.post(department + "/move", body("parentId", engineering)).problem(409, OrgProblems.DEPARTMENT_CYCLE);
        admin.post(platformPath + "/move", body("parentId", NOBODY)).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.violating().post(platformPath + "/move", body("sortOrder", -2_000_000)).problem(400, "VALIDATION_FAILED");

        // deleting: only an empty department goes, its heads with it
        admin.delete(department).problem(409, OrgProblems.DEPARTMENT_NOT_EMPTY);
        String temporary = departments + "/" + admin.post(departments, body("name", "Temporary", "parentId", top))
                .status(201).json().get("id").asString();
        admin.put(temporary + "/heads", body("userIds", List.of(annUser.id()))).ok();
        admin.delete(temporary).status(204);
        admin.delete(temporary).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);

        admin.delete(platformPath + "/members/" + catUser.id()).status(204);
        admin.delete(platformPath + "/members/" + catUser.id()).problem(404, OrgProblems.MEMBERSHIP_NOT_FOUND);

        // department groups follow the org chart, and refuse being managed by hand
        String groups = "/api/v1/department-groups";
        String group = admin.post(groups, body("departmentId", engineering)).status(201).json().get("conversationId")
                .asString();
        assertThat(admin.post(groups, body("departmentId", engineering, "includeSubDepartments", true)).ok().json()
                .get("conversationId").asString()).as("the department's one group").isEqualTo(group);
        ann.post(groups, body("departmentId", engineering)).problem(403, "FORBIDDEN");
        admin.post(groups, body("departmentId", NOBODY)).problem(404, OrgProblems.DEPARTMENT_NOT_FOUND);
        admin.violating().post(groups, body()).problem(400, "VALIDATION_FAILED");

        String conversation = "/api/v1/conversations/" + group;
        JsonNode seen = ContractJson.read(ann.get(conversation).ok().body());
        assertThat(seen.get("kind").asText()).isEqualTo("DEPARTMENT");
        assertThat(seen.get("myRole").asText()).as("a head is an admin").isEqualTo("ADMIN");
        ann.get("/api/v1/conversations").ok();
        ann.post(conversation + "/messages", body("clientMessageId", "d-1", "text", "@all welcome")).status(201);
        admin.put(department + "/members/" + catUser.id(), body()).status(201);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ann.get(conversation + "/members").ok().json().findValuesAsString("userId"))
                        .as("cat joined the department, so the group").contains(catUser.id().toString()));

        ann.post(conversation + "/members", body("userIds", List.of(integrationUser.id())))
                .problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        ann.patch(conversation, body("name", "Ours")).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        ann.post(conversation + "/archive", null).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        ann.patch(conversation + "/members/" + benUser.id(), body("role", "ADMIN"))
                .problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        ann.delete(conversation + "/members/" + benUser.id()).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);
        ben.delete(conversation + "/members/" + benUser.id()).problem(409, ChatProblems.DEPARTMENT_GROUP_MANAGED);

        // while directory sync is on, Keycloak owns the chart: only heads change here
        withDirectorySync(() -> {
            admin.post(departments, body("name", "Hand-made")).problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.patch(department, body("name", "Hand-renamed")).problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.post(platformPath + "/move", body("parentId", top)).problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.delete(platformPath).problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.put(benInEngineering, body("title", "Lead")).problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.delete(benInEngineering).problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.put(users + catUser.id() + "/manager", body("managerId", benUser.id()))
                    .problem(409, OrgProblems.DIRECTORY_SYNCED);
            admin.put(department + "/heads", body("userIds", List.of(annUser.id(), benUser.id()))).ok();
        });

        // directory sync is off here; DirectorySyncTest runs it against a real Keycloak
        admin.post("/api/v1/org/sync", null).problem(409, OrgProblems.SYNC_NOT_ENABLED);
        admin.get("/api/v1/org/sync").problem(404, OrgProblems.SYNC_NOT_RUN);
        client(benUser).post("/api/v1/org/sync", null).problem(403, ProblemCodes.FORBIDDEN);
        client(benUser).get("/api/v1/org/sync").problem(403, ProblemCodes.FORBIDDEN);
        ContractClient.anonymous(clients, openApi).violating().get("/api/v1/org/sync").problem(401, ProblemCodes.UNAUTHENTICATED);
        ContractClient.anonymous(clients, openApi).violating().post("/api/v1/org/sync", null)
                .problem(401, ProblemCodes.UNAUTHENTICATED);

        // a valid token of a deactivated account grants nothing
        TestUser goneUser = clients.user("gone");
        accounts.deactivate(UserId.of(goneUser.id()));
        client(goneUser).get(departments).problem(401, ProblemCodes.ACCOUNT_DEACTIVATED);

        // the refusals every org operation shares: no token, the wrong role, a malformed id
        for (OrgCall call : orgCalls(engineering, benUser.id(), tag)) {
            anonymous.violating().call(call.method(), call.path(engineering, benUser.id().toString()), call.body())
                    .problem(401, "UNAUTHENTICATED");
            (call.orgAdmin() ? ann : integration).call(call.method(), call.path(engineering, benUser.id().toString()),
                    call.body()).problem(403, "FORBIDDEN");
            if (call.scoped()) {
                admin.violating().call(call.method(), call.path("not-a-uuid", "not-a-uuid"), call.body())
                        .problem(400, "VALIDATION_FAILED");
            }
        }

        assertThat(openApi.unseenResponses().stream().filter(ContractTest::orgResponse)
                .filter(response -> !NEEDS_KEYCLOAK.contains(response)))
                .as("documented org responses the walkthrough never saw: exercise them, or remove them from %s if "
                        + "the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    /** An org operation, valid in every way but the caller or the ids ({d}, {u}) in its path. */
    private record OrgCall(HttpMethod method, String template, Object body, boolean orgAdmin) {

        boolean scoped() {
            return template.contains("{d}") || template.contains("{u}");
        }

        String path(String department, String user) {
            return template.replace("{d}", department).replace("{u}", user);
        }
    }

    private static List<OrgCall> orgCalls(String department, UUID user, String tag) {
        String d = "/api/v1/org/departments/{d}";
        String u = "/api/v1/org/users/{u}";
        return List.of(
                new OrgCall(HttpMethod.GET, "/api/v1/org/departments", null, false),
                new OrgCall(HttpMethod.POST, "/api/v1/org/departments", body("name", "Swept"), true),
                new OrgCall(HttpMethod.GET, d, null, false),
                new OrgCall(HttpMethod.PATCH, d, body("name", "Swept"), true),
                new OrgCall(HttpMethod.DELETE, d, null, true),
                new OrgCall(HttpMethod.POST, d + "/move", body("parentId", null), true),
                new OrgCall(HttpMethod.PUT, d + "/heads", body("userIds", List.of(user)), true),
                new OrgCall(HttpMethod.GET, d + "/members", null, false),
                new OrgCall(HttpMethod.PUT, d + "/members/{u}", body("title", "Swept"), true),
                new OrgCall(HttpMethod.DELETE, d + "/members/{u}", null, true),
                new OrgCall(HttpMethod.GET, "/api/v1/org/users?q=" + tag, null, false),
                new OrgCall(HttpMethod.GET, u, null, false),
                new OrgCall(HttpMethod.GET, u + "/manager-chain", null, false),
                new OrgCall(HttpMethod.PUT, u + "/manager", body("managerId", null), true),
                new OrgCall(HttpMethod.POST, "/api/v1/department-groups", body("departmentId", department), true));
    }

    /** Whether a documented response ("METHOD /path status") is the org walkthrough's to show. */
    /**
     * Answers only a running directory sync gives (it needs Keycloak): DirectorySyncTest checks
     * them against a real one, through the same REST endpoints.
     */
    private static final Set<String> NEEDS_KEYCLOAK = Set.of("POST /api/v1/org/sync 200", "POST /api/v1/org/sync 502",
            "GET /api/v1/org/sync 200");

    private static boolean orgResponse(String response) {
        return response.contains(" /api/v1/org/") || response.startsWith("POST /api/v1/department-groups ")
                || DEPARTMENT_GROUP_ONLY.contains(response);
    }

    /**
     * Runs {@code calls} as if directory sync were on. No sync runs in tests, so the switch is
     * flipped on the org chart itself (not through a second application context just for this)
     * and always put back.
     */
    private void withDirectorySync(Runnable calls) {
        Object chart = AopTestUtils.getUltimateTargetObject(orgChart);
        OrgProperties off = (OrgProperties) ReflectionTestUtils.getField(chart, "properties");
        OrgProperties.Sync sync = off.sync();
        OrgProperties on = new OrgProperties(new OrgProperties.Sync(true, sync.serverUrl(), sync.realm(),
                sync.clientId(), sync.clientSecret(), sync.interval(), sync.initialDelay(), sync.pageSize(),
                sync.attributes(), sync.deactivationGuard()), off.demoChart());
        ReflectionTestUtils.setField(chart, "properties", on);
        try {
            calls.run();
        } finally {
            ReflectionTestUtils.setField(chart, "properties", off);
        }
    }

    // ---------------------------------------------------------------- retention and legal holds

    @Test
    void everyRetentionOperationAnswersAsDocumented() {
        TestUser adminUser = clients.user("retention-admin", List.of("employee", "org_admin"));
        TestUser officerUser = clients.user("officer", List.of("employee", "compliance_officer"));
        TestUser annUser = clients.user("ann");
        ContractClient admin = client(adminUser);
        ContractClient officer = client(officerUser);
        ContractClient ann = client(annUser);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);
        String group = ann.post("/api/v1/conversations/groups", body("name", "Kept", "memberIds", List.of()))
                .status(201).json().get("id").asString();
        String global = "/api/v1/retention";
        String override = "/api/v1/retention/conversations/" + group;
        String holds = "/api/v1/legal-holds";

        // The global period is shared by every test: a century expires nobody's messages, and it
        // is always put back to "forever".
        try {
            assertThat(admin.get(global).ok().json().get("messageRetentionDays").isNull()).isTrue();
            assertThat(admin.put(global, body("messageRetentionDays", 36_500)).ok().json().get("messageRetentionDays")
                    .asInt()).isEqualTo(36_500);
            admin.violating().put(global, body("messageRetentionDays", 0)).problem(400, "VALIDATION_FAILED");
            admin.violating().put(global, body()).problem(400, "MALFORMED_REQUEST");
            admin.violating().put(global, body("messageRetentionDays", 30, "unit", "days"))
                    .problem(400, "MALFORMED_REQUEST");
        } finally {
            assertThat(admin.put(global, body("messageRetentionDays", null)).ok().json().get("messageRetentionDays")
                    .isNull()).isTrue();
        }

        // a conversation's own period
        assertThat(admin.put(override, body("messageRetentionDays", 30)).ok().json().get("messageRetentionDays")
                .asInt()).isEqualTo(30);
        assertThat(admin.get(global + "/conversations").ok().json().findValuesAsString("conversationId"))
                .contains(group);
        admin.put(global + "/conversations/" + NOBODY, body("messageRetentionDays", 30))
                .problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
        admin.violating().put(override, body("messageRetentionDays", 36_501)).problem(400, "VALIDATION_FAILED");
        admin.violating().put(override, body("messageRetentionDays", null)).problem(400, "VALIDATION_FAILED");
        admin.violating().put(global + "/conversations/not-a-uuid", body("messageRetentionDays", 30))
                .problem(400, "VALIDATION_FAILED");
        admin.delete(override).status(204);
        admin.delete(override).status(204);
        admin.delete(global + "/conversations/" + NOBODY).problem(404, ChatProblems.CONVERSATION_NOT_FOUND);
        admin.violating().delete(global + "/conversations/not-a-uuid").problem(400, "VALIDATION_FAILED");

        // legal holds
        String onGroup = officer.post(holds, body("subjectType", "CONVERSATION", "subjectId", group, "from", null,
                "to", null, "reason", "Case 42")).status(201).json().get("id").asString();
        String onAnn = officer.post(holds, body("subjectType", "USER", "subjectId", annUser.id(),
                "from", "2024-01-01T00:00:00Z", "to", "2025-01-01T00:00:00Z", "reason", "Case 43")).status(201)
                .json().get("id").asString();
        officer.post(holds, body("subjectType", "USER", "subjectId", NOBODY, "reason", "Case 44"))
                .problem(422, ChatProblems.HOLD_SUBJECT_NOT_FOUND);
        officer.post(holds, body("subjectType", "CONVERSATION", "subjectId", NOBODY, "reason", "Case 44"))
                .problem(422, ChatProblems.HOLD_SUBJECT_NOT_FOUND);
        officer.post(holds, body("subjectType", "USER", "subjectId", annUser.id(), "from", "2025-01-01T00:00:00Z",
                "to", "2024-01-01T00:00:00Z", "reason", "Backwards")).problem(400, "VALIDATION_FAILED");
        officer.post(holds, body("subjectType", "USER", "subjectId", annUser.id(), "reason", "   "))
                .problem(400, "VALIDATION_FAILED");
        officer.violating().post(holds, body("subjectType", "USER", "subjectId", annUser.id(), "reason", ""))
                .problem(400, "VALIDATION_FAILED");
        officer.violating().post(holds, body("subjectType", "USER", "subjectId", annUser.id(),
                "reason", "x".repeat(501))).problem(400, "VALIDATION_FAILED");
        officer.violating().post(holds, body("subjectType", "USER", "subjectId", annUser.id()))
                .problem(400, "VALIDATION_FAILED");
        officer.violating().post(holds, body("subjectType", "GROUP", "subjectId", group, "reason", "Case 45"))
                .problem(400, "MALFORMED_REQUEST");
        assertThat(officer.get(holds).ok().json().findValuesAsString("id")).contains(onGroup, onAnn);
        // an officer limited to a department ann is not in may not hold, see or release what covers her
        TestUser scopedUser = clients.user("officer", List.of("employee", "compliance_officer"));
        ContractClient scoped = client(scopedUser);
        String elsewhere = admin.post("/api/v1/org/departments", body("name", "Elsewhere " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        admin.put("/api/v1/audit/officers/" + scopedUser.id() + "/scope", body("departmentIds", List.of(elsewhere)))
                .ok();
        scoped.post(holds, body("subjectType", "USER", "subjectId", annUser.id(), "reason", "Case 47"))
                .problem(403, AuditProblems.OUTSIDE_COMPLIANCE_SCOPE);
        assertThat(scoped.get(holds).ok().json().findValuesAsString("id")).doesNotContain(onGroup, onAnn);
        scoped.post(holds + "/" + onAnn + "/release", null).problem(403, AuditProblems.OUTSIDE_COMPLIANCE_SCOPE);

        assertThat(officer.post(holds + "/" + onGroup + "/release", null).ok().json().get("active").asBoolean())
                .isFalse();
        officer.post(holds + "/" + onGroup + "/release", null).problem(409, ChatProblems.LEGAL_HOLD_RELEASED);
        officer.post(holds + "/" + NOBODY + "/release", null).problem(404, ChatProblems.LEGAL_HOLD_NOT_FOUND);
        officer.violating().post(holds + "/not-a-uuid/release", null).problem(400, "VALIDATION_FAILED");
        officer.post(holds + "/" + onAnn + "/release", null).ok();

        // the refusals every retention operation shares: no token, the wrong role
        List<Call> calls = List.of(
                new Call(HttpMethod.GET, global, null),
                new Call(HttpMethod.PUT, global, body("messageRetentionDays", null)),
                new Call(HttpMethod.GET, global + "/conversations", null),
                new Call(HttpMethod.PUT, override, body("messageRetentionDays", 30)),
                new Call(HttpMethod.DELETE, override, null),
                new Call(HttpMethod.POST, holds, body("subjectType", "CONVERSATION", "subjectId", group,
                        "reason", "Case 46")),
                new Call(HttpMethod.GET, holds, null),
                new Call(HttpMethod.POST, holds + "/" + onAnn + "/release", null));
        for (Call call : calls) {
            anonymous.violating().call(call.method(), call.template(), call.body()).problem(401, "UNAUTHENTICATED");
            ann.call(call.method(), call.template(), call.body()).problem(403, "FORBIDDEN");
            (call.template().startsWith(holds) ? admin : officer).call(call.method(), call.template(), call.body())
                    .problem(403, "FORBIDDEN");
        }
        assertThat(admin.get(global + "/conversations").ok().json().findValuesAsString("conversationId"))
                .as("refused calls changed nothing").doesNotContain(group);

        assertThat(openApi.unseenResponses().stream().filter(ContractTest::retentionResponse))
                .as("documented retention responses the walkthrough never saw: exercise them, or remove them from "
                        + "%s if the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    private static boolean retentionResponse(String response) {
        return response.contains(" /api/v1/retention") || response.contains(" /api/v1/legal-holds");
    }

    // ---------------------------------------------------------------- audit trail and eDiscovery

    /**
     * The trail is append-only and every test shares it: this walkthrough only adds to it (its
     * own chat history, queries, checkpoints) and filters what it reads to what it made.
     */
    @Test
    void everyAuditOperationAnswersAsDocumented() {
        TestUser officerUser = clients.user("officer", List.of("employee", "compliance_officer"));
        TestUser scopedUser = clients.user("officer", List.of("employee", "compliance_officer"));
        TestUser adminUser = clients.orgAdmin();
        TestUser annUser = clients.user("ann");
        TestUser bobUser = clients.user("bob");
        ContractClient officer = client(officerUser);
        ContractClient scoped = client(scopedUser);
        ContractClient admin = client(adminUser);
        ContractClient ann = client(annUser);
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);

        // something to find: ann, in a department, edits and recalls in a group of her own
        String department = admin.post("/api/v1/org/departments", body("name", "Evidence " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        admin.put("/api/v1/org/departments/" + department + "/members/" + annUser.id(), body("title", "Counsel"))
                .status(201);
        String group = ann.post("/api/v1/conversations/groups", body("name", "Evidence", "memberIds",
                List.of(bobUser.id()))).status(201).json().get("id").asString();
        String messages = "/api/v1/conversations/" + group + "/messages";
        // a text CSV must quote: a comma, quotes and a line break
        String text = "final, \"quoted\"\nsecond line";
        long edited = ann.post(messages, body("clientMessageId", "e-1", "text", "draft")).status(201).json()
                .get("id").asLong();
        ann.patch(messages + "/" + edited, body("text", text)).ok();
        long recalled = ann.post(messages, body("clientMessageId", "e-2", "text", "oops")).status(201).json()
                .get("id").asLong();
        ann.post(messages + "/" + recalled + "/recall", null).ok();
        String inGroup = "conversationId=" + group;
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            auditTrail.flush();
            return officer.get("/api/v1/audit/events?limit=1000&" + inGroup).ok().json().get("items").size() >= 6;
        });

        // querying, with every filter and the cursor
        String events = "/api/v1/audit/events";
        String next = officer.get(events + "?limit=1&" + inGroup).ok().json().get("nextCursor").asString();
        assertThat(next).as("a next page exists").isNotBlank();
        assertThat(officer.get(events + "?limit=1&" + inGroup + "&cursor=" + next).ok().json().get("items"))
                .hasSize(1);
        JsonNode edit = ContractJson.read(officer.get(events + "?actorId=" + annUser.id() + "&action=message.edited"
                + "&targetType=MESSAGE&targetId=" + edited + "&" + inGroup + "&from=2000-01-01T00:00:00Z"
                + "&to=2999-01-01T00:00:00Z").ok().body()).at("/items/0");
        assertThat(edit.get("detail").isObject()).as("detail is a JSON object, not a string").isTrue();
        assertThat(edit.get("actorType").asText()).isEqualTo("USER");
        officer.get(events + "?departmentId=" + department).ok();
        officer.get(events + "?targetId=" + edited).problem(400, "VALIDATION_FAILED");
        officer.get(events + "?from=2025-01-01T00:00:00Z&to=2025-01-01T00:00:00Z").problem(400, "VALIDATION_FAILED");
        officer.get(events + "?cursor=not-a-cursor").problem(400, "VALIDATION_FAILED");
        officer.violating().get(events + "?limit=0").problem(400, "VALIDATION_FAILED");
        officer.violating().get(events + "?limit=1001").problem(400, "VALIDATION_FAILED");
        officer.violating().get(events + "?actorId=ann").problem(400, "VALIDATION_FAILED");
        officer.violating().get(events + "?action=" + "x".repeat(101)).problem(400, "VALIDATION_FAILED");

        // exporting the trail, streamed: lines and rows are checked against the document as they come
        String export = "/api/v1/audit/export";
        RestApi.Response jsonl = officer.get(export + "?format=jsonl&" + inGroup).ok();
        streamed(jsonl, "application/jsonl", "audit-events.jsonl");
        assertThat(jsonl.body().lines().map(ContractJson::read).map(line -> line.get("conversationId").asText()))
                .hasSizeGreaterThanOrEqualTo(6).containsOnly(group);
        RestApi.Response csv = officer.get(export + "?format=csv&" + inGroup + "&actorId=" + annUser.id()
                + "&action=message.posted&targetType=MESSAGE&from=2000-01-01T00:00:00Z").ok();
        streamed(csv, "text/csv", "audit-events.csv");
        assertThat(OpenApiContract.csvRows(csv.body())).as("header and ann's two messages").hasSize(3);
        officer.get(export + "?format=csv&departmentId=" + department + "&conversationId=" + NOBODY).ok();
        officer.violating().get(export + "?format=pdf&" + inGroup).problem(400, AuditProblems.UNSUPPORTED_EXPORT_FORMAT);
        officer.violating().get(export + "?" + inGroup).problem(400, "MALFORMED_REQUEST");
        officer.get(export + "?format=jsonl&targetId=" + edited).problem(400, "VALIDATION_FAILED");
        officer.violating().get(export + "?format=csv&conversationId=not-a-uuid").problem(400, "VALIDATION_FAILED");

        // verifying the chain: a short range near the head (the whole chain may be long)
        String verify = "/api/v1/audit/verify";
        long head = officer.get(verify + "?fromSeq=1&toSeq=1").ok().json().get("headSeq").asLong();
        JsonNode verdict = ContractJson.read(officer.get(verify + "?fromSeq=" + Math.max(1, head - 20) + "&toSeq="
                + (head + 1_000)).ok().body());
        assertThat(verdict.get("toSeq").asLong()).as("a range beyond the head stops at the head")
                .isEqualTo(verdict.get("headSeq").asLong());
        assertThat(verdict.get("entriesChecked").asLong()).isPositive();
        officer.get(verify + "?fromSeq=5&toSeq=2").problem(400, "VALIDATION_FAILED");
        officer.violating().get(verify + "?fromSeq=0").problem(400, "VALIDATION_FAILED");
        officer.violating().get(verify + "?toSeq=last").problem(400, "VALIDATION_FAILED");

        // signed checkpoints
        String checkpoints = "/api/v1/audit/checkpoints";
        JsonNode checkpoint = ContractJson.read(officer.post(checkpoints, null).status(201).body());
        long id = checkpoint.get("id").asLong();
        assertThat(checkpoint.get("payload").asText()).contains("seq=" + checkpoint.get("seq").asLong());
        assertThat(ContractJson.read(officer.get(checkpoints + "?afterId=" + (id - 1) + "&limit=1").ok().body())
                .findValuesAsText("id")).containsExactly(Long.toString(id));
        officer.get(checkpoints).ok();
        officer.violating().get(checkpoints + "?limit=0").problem(400, "VALIDATION_FAILED");
        officer.violating().get(checkpoints + "?afterId=-1").problem(400, "VALIDATION_FAILED");

        // an officer's scope: read by an org_admin or the officer, set by an org_admin
        String scope = "/api/v1/audit/officers/" + scopedUser.id() + "/scope";
        assertThat(admin.get(scope).ok().json().get("scoped").asBoolean()).isFalse();
        scoped.get(scope).ok();
        officer.get(scope).problem(403, "FORBIDDEN");
        admin.violating().get("/api/v1/audit/officers/not-a-uuid/scope").problem(400, "VALIDATION_FAILED");
        JsonNode limited = ContractJson.read(admin.put(scope, body("departmentIds", List.of(department))).ok().body());
        assertThat(limited.get("departmentIds").get(0).asText()).isEqualTo(department);
        scoped.get(events + "?" + inGroup).ok();
        admin.put("/api/v1/audit/officers/" + NOBODY + "/scope", body("departmentIds", List.of()))
                .problem(404, AuditProblems.OFFICER_NOT_FOUND);
        admin.put(scope, body("departmentIds", List.of(NOBODY))).problem(422, AuditProblems.SCOPE_DEPARTMENT_NOT_FOUND);
        admin.violating().put(scope, body()).problem(400, "VALIDATION_FAILED");
        admin.violating().put(scope, body("departmentIds", List.of(department), "reason", "audit"))
                .problem(400, "MALFORMED_REQUEST");
        admin.violating().put("/api/v1/audit/officers/not-a-uuid/scope", body("departmentIds", List.of()))
                .problem(400, "VALIDATION_FAILED");
        scoped.put(scope, body("departmentIds", List.of())).problem(403, "FORBIDDEN");
        assertThat(admin.put(scope, body("departmentIds", List.of())).ok().json().get("scoped").asBoolean())
                .as("an empty list lifts the limit").isFalse();

        // eDiscovery: every text a message had, recalls kept, members at posting time
        String messageExport = "/api/v1/audit/messages/export";
        RestApi.Response exported = officer.get(messageExport + "?format=jsonl&" + inGroup).ok();
        streamed(exported, "application/jsonl", "messages.jsonl");
        List<JsonNode> rows = exported.body().lines().map(ContractJson::read).toList();
        assertThat(rows).extracting(row -> row.get("messageId").asLong()).containsExactly(edited, recalled);
        assertThat(rows.get(0).get("text").asText()).isEqualTo(text);
        assertThat(rows.get(0).at("/revisions/0/text").asText()).isEqualTo("draft");
        assertThat(rows.get(0).get("senderDepartmentId").asText()).isEqualTo(department);
        assertThat(rows.get(1).get("recalled").asBoolean()).isTrue();
        assertThat(rows.get(1).get("text").asText()).as("compliance keeps a recalled text").isEqualTo("oops");
        RestApi.Response exportedCsv = officer.get(messageExport + "?format=csv&conversationId=" + group
                + "&userId=" + annUser.id() + "&userId=" + bobUser.id() + "&from=2000-01-01T00:00:00Z"
                + "&to=2999-01-01T00:00:00Z").ok();
        streamed(exportedCsv, "text/csv", "messages.csv");
        assertThat(OpenApiContract.csvRows(exportedCsv.body())).as("header and both messages").hasSize(3);
        officer.get(messageExport + "?format=csv").problem(400, "VALIDATION_FAILED");
        officer.get(messageExport + "?format=csv&userId=" + annUser.id() + "&from=2026-02-01T00:00:00Z"
                + "&to=2026-01-01T00:00:00Z").problem(400, "VALIDATION_FAILED");
        officer.violating().get(messageExport + "?format=pdf&" + inGroup)
                .problem(400, AuditProblems.UNSUPPORTED_EXPORT_FORMAT);
        officer.violating().get(messageExport + "?" + inGroup).problem(400, "MALFORMED_REQUEST");
        officer.violating().get(messageExport + "?format=csv&userId=ann").problem(400, "VALIDATION_FAILED");
        // the same export with its filters in a body, for id lists a URL cannot hold
        RestApi.Response posted = officer.post(messageExport, body("format", "jsonl", "conversationIds",
                List.of(group), "userIds", List.of(annUser.id()), "from", "2000-01-01T00:00:00Z", "to",
                "2999-01-01T00:00:00Z")).ok();
        streamed(posted, "application/jsonl", "messages.jsonl");
        assertThat(posted.body()).isEqualTo(exported.body());
        streamed(officer.post(messageExport, body("format", "csv", "userIds", List.of(annUser.id()))).ok(),
                "text/csv", "messages.csv");
        officer.post(messageExport, body("format", "csv", "conversationIds", List.of())).problem(400,
                "VALIDATION_FAILED");
        officer.post(messageExport, body("format", "csv", "userIds", List.of(annUser.id()), "from",
                "2026-02-01T00:00:00Z", "to", "2026-01-01T00:00:00Z")).problem(400, "VALIDATION_FAILED");
        officer.violating().post(messageExport, body("format", "pdf", "conversationIds", List.of(group)))
                .problem(400, AuditProblems.UNSUPPORTED_EXPORT_FORMAT);
        officer.violating().post(messageExport, body("conversationIds", List.of(group))).problem(400,
                "VALIDATION_FAILED");
        officer.violating().post(messageExport, body("format", "csv", "userIds", List.of("ann"))).problem(400,
                "MALFORMED_REQUEST");
        officer.violating().post(messageExport, body("format", "csv", "conversationIds", List.of(group),
                "reason", "audit")).problem(400, "MALFORMED_REQUEST");
        officer.violating().post(messageExport, body("format", "csv", "userIds",
                IntStream.range(0, 501).mapToObj(n -> UUID.randomUUID()).toList()))
                .problem(400, "VALIDATION_FAILED");

        // the refusals every audit operation shares: no token, the wrong role
        List<Call> calls = List.of(
                new Call(HttpMethod.GET, events, null),
                new Call(HttpMethod.GET, export + "?format=csv&" + inGroup, null),
                new Call(HttpMethod.GET, verify + "?fromSeq=1&toSeq=1", null),
                new Call(HttpMethod.GET, checkpoints, null),
                new Call(HttpMethod.POST, checkpoints, null),
                new Call(HttpMethod.GET, messageExport + "?format=csv&" + inGroup, null),
                new Call(HttpMethod.POST, messageExport, body("format", "csv", "conversationIds", List.of(group))),
                new Call(HttpMethod.GET, scope, null),
                new Call(HttpMethod.PUT, scope, body("departmentIds", List.of(department))));
        for (Call call : calls) {
            anonymous.violating().call(call.method(), call.template(), call.body()).problem(401, "UNAUTHENTICATED");
            ann.call(call.method(), call.template(), call.body()).problem(403, "FORBIDDEN");
            if (!call.template().startsWith(scope)) {
                admin.call(call.method(), call.template(), call.body()).problem(403, "FORBIDDEN");
            }
        }
        assertThat(admin.get(scope).ok().json().get("scoped").asBoolean()).as("refused calls changed nothing")
                .isFalse();

        assertThat(openApi.unseenResponses().stream().filter(ContractTest::auditResponse))
                .as("documented audit responses the walkthrough never saw: exercise them, or remove them from %s if "
                        + "the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    private static boolean auditResponse(String response) {
        return response.contains(" /api/v1/audit/");
    }

    /** An export's answer is streamed: its documented content type, an attachment, no length known up front. */
    private static void streamed(RestApi.Response response, String contentType, String filename) {
        assertThat(response.headers().getContentType()).as("content type").isNotNull()
                .matches(type -> type.toString().startsWith(contentType + ";") || type.toString().equals(contentType),
                        contentType);
        assertThat(response.headers().getFirst("Content-Disposition")).as("Content-Disposition")
                .isEqualTo("attachment; filename=\"" + filename + "\"");
        assertThat(response.headers().getFirst("Content-Length")).as("length unknown while streaming").isNull();
    }

    // ---------------------------------------------------------------- message search

    /**
     * Every test shares the search index: the walkthrough's queries carry words only its own
     * messages hold. Indexing is asynchronous, so it first waits until what it sent is found.
     */
    @Test
    void everySearchOperationAnswersAsDocumented() throws SQLException {
        String word = "sw" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String draftWord = word + "draft";
        TestUser annUser = clients.user("ann");
        TestUser bobUser = clients.user("bob");
        TestUser officerUser = clients.user("officer", List.of("employee", "compliance_officer"));
        ContractClient ann = client(annUser);
        ContractClient bob = client(bobUser);
        ContractClient outsider = client(clients.user("outsider"));
        ContractClient officer = client(officerUser);
        ContractClient admin = client(clients.orgAdmin());
        ContractClient integration = client(clients.user("integration", List.of("integration")));
        ContractClient anonymous = ContractClient.anonymous(clients, openApi);
        String search = "/api/v1/search/messages?q=";
        String compliance = "/api/v1/search/compliance/messages?q=";

        // something to find: in ann's group, a recalled message, an edited one and two that stay
        String name = "Search " + word;
        String group = ann.post("/api/v1/conversations/groups", body("name", name, "memberIds", List.of(bobUser.id())))
                .status(201).json().get("id").asString();
        String messages = "/api/v1/conversations/" + group + "/messages";
        long recalled = ann.post(messages, body("clientMessageId", "q-1", "text", "oops " + word)).status(201)
                .json().get("id").asLong();
        ann.post(messages + "/" + recalled + "/recall", null).ok();
        long edited = ann.post(messages, body("clientMessageId", "q-2", "text", "estimate " + draftWord)).status(201)
                .json().get("id").asLong();
        ann.patch(messages + "/" + edited, body("text", "estimate revised")).ok();
        // an astral emoji first: highlight offsets count UTF-16 code units, as Java and JavaScript do
        long kickoff = ann.post(messages, body("clientMessageId", "q-3", "text",
                "🚀 Kickoff " + word + " 审批流程 @" + bobUser.username())).status(201).json().get("id").asLong();
        long followUp = ann.post(messages, body("clientMessageId", "q-4", "text", "follow-up on " + word))
                .status(201).json().get("id").asLong();
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Map<Long, JsonNode> found = hits(officer.get(compliance + word).ok());
            JsonNode rewritten = hits(officer.get(compliance + draftWord).ok()).get(edited);
            return found.keySet().equals(Set.of(recalled, kickoff, followUp))
                    && found.get(recalled).get("recalled").asBoolean() && rewritten != null
                    && rewritten.get("matchedIn").asText().equals("EARLIER_TEXT");
        });

        // an employee's search: current texts of live messages in the caller's conversations
        JsonNode hit = hits(ann.get(search + word + " 审批").ok()).get(kickoff);
        assertThat(hit).as("the kickoff message matches every word").isNotNull();
        assertThat(highlighted(hit)).as("what the highlights mark").containsExactly(word, "审批");
        assertThat(hits(ann.get(search + word).ok()).keySet()).as("not the recalled message")
                .containsExactlyInAnyOrder(kickoff, followUp);
        assertThat(hits(ann.get(search + draftWord).ok())).as("earlier texts are for compliance").isEmpty();
        assertThat(hits(outsider.get(search + word).ok())).as("only the caller's conversations").isEmpty();
        assertThat(hits(bob.get(search + "\"kickoff " + word + "\" 审批流程 from:@" + annUser.username() + " in:\"" + name
                + "\" after:2000-01-01 before:2999-01-01 mentions:me -\"no such phrase\" -nowhere&sort=newest&limit=5"
                + "&tz=Asia/Shanghai").ok()).keySet()).as("every filter at once").containsExactly(kickoff);
        assertThat(hits(ann.get(search + "in:" + group + " -" + word).ok()).keySet()).as("filters only")
                .containsExactly(edited);

        // pages, in either order
        JsonNode page = ContractJson.read(ann.get(search + word + "&limit=1").ok().body());
        assertThat(page.get("nextCursor").isTextual()).as("a next page exists").isTrue();
        String relevanceCursor = page.get("nextCursor").asText();
        JsonNode last = ContractJson.read(ann.get(search + word + "&sort=relevance&limit=1&cursor=" + relevanceCursor)
                .ok().body());
        assertThat(last.get("nextCursor").isNull()).as("the last page").isTrue();
        assertThat(List.of(page.at("/items/0/messageId").asLong(), last.at("/items/0/messageId").asLong()))
                .containsExactlyInAnyOrder(kickoff, followUp);
        JsonNode newest = ContractJson.read(ann.get(search + word + "&sort=newest&limit=1").ok().body());
        assertThat(newest.at("/items/0/messageId").asLong()).isEqualTo(followUp);
        assertThat(hits(ann.get(search + word + "&sort=newest&limit=1&cursor=" + newest.get("nextCursor").asText()).ok())
                .keySet()).containsExactly(kickoff);
        ann.get(search + word + "&sort=newest&cursor=" + relevanceCursor).problem(400, "VALIDATION_FAILED");
        ann.get(search + word + "&cursor=not-a-cursor").problem(400, "VALIDATION_FAILED");
        ann.violating().get(search + word + "&limit=0").problem(400, "VALIDATION_FAILED");
        ann.violating().get(search + word + "&limit=51").problem(400, "VALIDATION_FAILED");

        // queries that do not read, and names that name nothing
        ann.violating().get("/api/v1/search/messages").problem(400, "MALFORMED_REQUEST");
        ann.violating().get(search).problem(400, SearchProblems.QUERY_INVALID);
        ann.violating().get(search + "   ").problem(400, SearchProblems.QUERY_INVALID);
        ann.violating().get(search + "x".repeat(501)).problem(400, SearchProblems.QUERY_INVALID);
        ann.violating().get(search + word + "&sort=oldest").problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + "\"unclosed " + word).problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + word + " before:2026-13-45").problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + word + " on:2026-01-01 on:2026-01-02").problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + word + " mentions:bob").problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + word + " from:").problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + "-" + word).problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + word + "&tz=Mars/Olympus_Mons").problem(400, SearchProblems.QUERY_INVALID);
        ann.get(search + word + " from:nobody-" + UUID.randomUUID()).problem(400, SearchProblems.UNKNOWN_SENDER);
        ann.get(search + word + " in:\"No such group " + word + "\"").problem(400, SearchProblems.UNKNOWN_CONVERSATION);
        outsider.get(search + word + " in:" + group).problem(400, SearchProblems.UNKNOWN_CONVERSATION);

        // compliance: every conversation, recalled messages and earlier texts too
        Map<Long, JsonNode> everything = hits(officer.get(compliance + word + "&sort=newest").ok());
        assertThat(everything.keySet()).as("newest first").containsExactly(followUp, kickoff, recalled);
        assertThat(everything.get(recalled).get("text").asText()).as("a recalled text is kept")
                .isEqualTo("oops " + word);
        assertThat(everything.get(kickoff).get("matchedIn").asText()).isEqualTo("CURRENT_TEXT");
        JsonNode rewritten = hits(officer.get(compliance + draftWord).ok()).get(edited);
        assertThat(rewritten.get("text").asText()).isEqualTo("estimate revised");
        assertThat(rewritten.get("earlierTexts")).extracting(JsonNode::asText).containsExactly("estimate " + draftWord);
        assertThat(highlighted(rewritten)).as("the snippet is cut from the earlier text").containsExactly(draftWord);
        JsonNode first = ContractJson.read(officer.get(compliance + word + " in:" + group + " from:" + annUser.username()
                + " after:2000-01-01&limit=2&tz=Europe/Berlin").ok().body());
        assertThat(first.get("items")).hasSize(2);
        assertThat(hits(officer.get(compliance + word + " in:" + group + " from:" + annUser.username()
                + " after:2000-01-01&limit=2&tz=Europe/Berlin&cursor=" + first.get("nextCursor").asText()).ok())).hasSize(1);
        assertThat(hits(officer.get(compliance + word + " in:\"" + name + "\"").ok())).as("in: by a group's name")
                .hasSize(3);
        officer.violating().get("/api/v1/search/compliance/messages").problem(400, "MALFORMED_REQUEST");
        officer.violating().get(compliance + word + "&limit=51").problem(400, "VALIDATION_FAILED");
        officer.get(compliance + word + "&cursor=not-a-cursor").problem(400, "VALIDATION_FAILED");
        officer.get(compliance + word + " after:yesterday").problem(400, SearchProblems.QUERY_INVALID);
        officer.get(compliance + word + " from:nobody-" + UUID.randomUUID()).problem(400, SearchProblems.UNKNOWN_SENDER);
        officer.get(compliance + word + " in:\"No such group " + word + "\"")
                .problem(400, SearchProblems.UNKNOWN_CONVERSATION);
        // ...and every compliance search is in the trail, with its query
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            auditTrail.flush();
            return ContractJson.read(officer.get("/api/v1/audit/events?limit=1000&action=audit.messages_searched&actorId="
                    + officerUser.id()).ok().body()).findValuesAsText("q").contains(draftWord);
        });

        // the index, and a rebuild: while the test holds the documents' table, a rebuild cannot
        // finish, so the second request surely meets the first one running
        String index = "/api/v1/search/index";
        String reindex = "/api/v1/search/reindex";
        JsonNode status = ContractJson.read(admin.get(index).ok().body());
        assertThat(status.get("engine").asText()).isEqualTo("postgres");
        assertThat(status.get("reachable").asBoolean()).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !rebuildState(admin.get(index)).equals("RUNNING"));
        JsonNode started;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement lock = holder.createStatement()) {
                lock.execute("LOCK TABLE search.message_doc IN EXCLUSIVE MODE");
            }
            try {
                started = ContractJson.read(admin.post(reindex, null).status(202).body());
                assertThat(started.get("state").asText()).isEqualTo("RUNNING");
                admin.post(reindex, null).problem(409, SearchProblems.REINDEX_RUNNING);
                assertThat(rebuildState(admin.get(index))).isEqualTo("RUNNING");
            } finally {
                holder.rollback();
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !rebuildState(admin.get(index)).equals("RUNNING"));
        JsonNode rebuilt = ContractJson.read(admin.get(index).ok().body()).get("rebuild");
        assertThat(rebuilt.get("state").asText()).as("rebuild: %s", rebuilt).isEqualTo("COMPLETED");
        assertThat(rebuilt.get("startedAt").asText()).isEqualTo(started.get("startedAt").asText());
        assertThat(rebuilt.get("messagesWritten").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(hits(ann.get(search + word).ok()).keySet()).as("found as before the rebuild")
                .containsExactlyInAnyOrder(kickoff, followUp);

        // the refusals every search operation shares: no token, the wrong role
        List<Call> calls = List.of(
                new Call(HttpMethod.GET, search + word, null),
                new Call(HttpMethod.GET, compliance + word, null),
                new Call(HttpMethod.GET, index, null),
                new Call(HttpMethod.POST, reindex, null));
        for (Call call : calls) {
            anonymous.violating().call(call.method(), call.template(), call.body()).problem(401, "UNAUTHENTICATED");
            integration.call(call.method(), call.template(), call.body()).problem(403, "FORBIDDEN");
            if (!call.template().startsWith(search)) {
                ann.call(call.method(), call.template(), call.body()).problem(403, "FORBIDDEN");
                (call.template().startsWith(compliance) ? admin : officer)
                        .call(call.method(), call.template(), call.body()).problem(403, "FORBIDDEN");
            }
        }
        assertThat(ContractJson.read(admin.get(index).ok().body()).at("/rebuild/startedAt").asText())
                .as("refused calls started no rebuild").isEqualTo(started.get("startedAt").asText());

        assertThat(openApi.unseenResponses().stream().filter(ContractTest::searchResponse))
                .as("documented search responses the walkthrough never saw: exercise them, or remove them from %s if "
                        + "the application cannot answer so", OpenApiContract.LOCATION).isEmpty();
    }

    private static boolean searchResponse(String response) {
        return response.contains(" /api/v1/search/");
    }

    /** The hits of a search page, by message id, in the order of the page. */
    private static Map<Long, JsonNode> hits(RestApi.Response page) {
        Map<Long, JsonNode> hits = new LinkedHashMap<>();
        ContractJson.read(page.body()).get("items").forEach(hit -> hits.put(hit.get("messageId").asLong(), hit));
        return hits;
    }

    /** The stretches of a hit's snippet that its highlights mark, cut as a client cuts them. */
    private static List<String> highlighted(JsonNode hit) {
        String text = hit.at("/snippet/text").asText();
        return StreamSupport.stream(hit.at("/snippet/highlights").spliterator(), false)
                .map(span -> text.substring(span.get("start").asInt(), span.get("end").asInt())).toList();
    }

    private static String rebuildState(RestApi.Response status) {
        return ContractJson.read(status.ok().body()).at("/rebuild/state").asText();
    }

    // ---------------------------------------------------------------- STOMP walkthrough

    @Test
    void everyStompFrameTheApplicationSendsIsDocumented() {
        TestUser aliceUser = clients.user("alice");
        TestUser bobUser = clients.user("bob");
        TestUser carolUser = clients.user("carol");
        RestApi alice = clients.rest(aliceUser);
        alice.post("/api/v1/conversations/direct", body("userId", bobUser.id())).status(201);
        String group = alice.post("/api/v1/conversations/groups", body("name", "Live", "memberIds", List.of(bobUser.id())))
                .status(201).json().get("id").asString();
        String app = "/app/conversations/" + group;

        try (StompTestClient aliceLive = clients.stomp(aliceUser); StompTestClient carolLive = clients.stomp(carolUser)) {
            try (StompTestClient bobLive = clients.stomp(bobUser)) {
                awaitEvent(aliceLive, e -> isPresence(e, bobUser, true));

                Map<String, Object> send = body("clientMessageId", "live-1", "text", "Hi @" + aliceUser.username());
                sent(bobLive, app + "/messages", "SendMessage", send);
                tools.jackson.databind.JsonNode ack = payload("SendAck", bobLive.awaitAck());
                assertThat(ack.get("duplicate").asBoolean()).isFalse();
                JsonNode posted = awaitEvent(aliceLive, "message.posted");
                sent(bobLive, app + "/messages", "SendMessage", send);
                assertThat(payload("SendAck", bobLive.awaitAck()).get("duplicate").asBoolean()).isTrue();
                sent(bobLive, app + "/messages", "SendMessage",
                        body("clientMessageId", "live-2", "text", "Quoting", "replyToMessageId", ack.get("messageId").asLong()));
                payload("SendAck", bobLive.awaitAck());
                assertThat(awaitEvent(aliceLive, "message.posted").at("/message/replyTo").isObject()).isTrue();

                sent(bobLive, "/app/token", "RefreshToken", body("token", clients.token(bobUser, Duration.ofHours(1))));
                sent(bobLive, app + "/typing", "TypingFrame", body());
                awaitEvent(aliceLive, "typing");
                sent(aliceLive, app + "/read", "ReadFrame", body("seq", 2));
                awaitEvent(bobLive, "read.updated");

                // A card, live, and one of its actions: a RECEIPT when handled, a StompError when refused.
                MessageView card = cards.post(new PostCard(ConversationId.of(UUID.fromString(group)),
                        UserId.of(aliceUser.id()), "live-card-1", contractCard("Pending")));
                assertThat(awaitEvent(bobLive, "message.posted").at("/message/card/title").asText())
                        .isEqualTo("Expense claim");
                String actions = app + "/messages/" + card.id() + "/actions/";
                receipted(bobLive, actions + "reject", body("input", "Too much"));
                receipted(bobLive, actions + "approve", body());
                sent(bobLive, actions + "reject", "CardAction", body("input", 42), false);
                assertThat(payload("StompError", bobLive.awaitError()).get("code").asString())
                        .isEqualTo("MALFORMED_REQUEST");
                cards.update(UserId.of(aliceUser.id()), ConversationId.of(UUID.fromString(group)), card.id(),
                        contractCard("Approved"));
                assertThat(awaitEvent(bobLive, "message.updated").at("/message/card/status").asText()).isEqualTo("Approved");
                sent(bobLive, actions + "escalate", "CardAction", body());
                assertThat(payload("StompError", bobLive.awaitError()).get("code").asString())
                        .isEqualTo(ChatProblems.CARD_ACTION_UNAVAILABLE);

                String message = "/api/v1/conversations/" + group + "/messages/" + posted.at("/message/id").asLong();
                alice.put(message + "/reactions/🎉").ok();
                awaitEvent(bobLive, "message.updated");
                alice.post(message + "/recall", null).ok();
                assertThat(awaitEvent(bobLive, "message.updated").at("/message/recalled").asBoolean()).isTrue();

                alice.patch("/api/v1/conversations/" + group, body("name", "Live II")).ok();
                awaitEvent(bobLive, "conversation.updated");
                alice.post("/api/v1/conversations/" + group + "/members", body("userIds", List.of(carolUser.id()))).ok();
                awaitEvent(carolLive, "member.added");
                alice.patch("/api/v1/conversations/" + group + "/members/" + carolUser.id(), body("role", "ADMIN")).ok();
                awaitEvent(carolLive, "member.role_changed");
                alice.delete("/api/v1/conversations/" + group + "/members/" + carolUser.id()).status(204);
                awaitEvent(carolLive, "member.removed");

                sent(bobLive, app + "/messages", "SendMessage", body("clientMessageId", "live-3", "text", " "), false);
                assertThat(payload("StompError", bobLive.awaitError()).get("code").asString()).isEqualTo("VALIDATION_FAILED");
                carolLive.sendMessage(group, "gone-1", "Still here?");
                assertThat(payload("StompError", carolLive.awaitError()).get("code").asString())
                        .isEqualTo(ChatProblems.NOT_A_MEMBER);
                everythingElse(bobLive);
            }
            awaitEvent(aliceLive, e -> isPresence(e, bobUser, false));
            everythingElse(aliceLive);
            everythingElse(carolLive);
        }

        StompHeaders noToken = new StompHeaders();
        errorFrame(StompTestClient.connectExpectingRefusal(clients.wsUrl(), noToken, clients.json()), "UNAUTHENTICATED");
        try (StompTestClient carolAgain = StompTestClient.connectOnly(clients.wsUrl(), carolUser.token(), clients.json())) {
            StompHeaders subscribe = new StompHeaders();
            subscribe.setDestination("/topic/everything");
            carolAgain.session().subscribe(subscribe, new StompFrameHandler() {
                @Override
                public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
                    return tools.jackson.databind.JsonNode.class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                }
            });
            errorFrame(carolAgain.awaitErrorFrame(), "FORBIDDEN");
        }
        // As documented: a frame above the size limit gets an ERROR frame FRAME_TOO_LARGE, then the close.
        try (StompTestClient carolAgain = StompTestClient.connectOnly(clients.wsUrl(), carolUser.token(), clients.json())) {
            try {
                carolAgain.send(app + "/messages", body("clientMessageId", "huge-1", "text", "x".repeat(70_000)));
            } catch (MessageDeliveryException closedWhileSending) {
                // The server may close the connection before the whole frame is written.
            }
            errorFrame(carolAgain.awaitErrorFrame(), "FRAME_TOO_LARGE");
            assertThat(carolAgain.awaitClosed()).as("connection closed after an oversized frame").isTrue();
        }
        // As documented: a session ends with an ERROR frame TOKEN_EXPIRED when its token does.
        try (StompTestClient shortLived = StompTestClient.connectOnly(clients.wsUrl(),
                clients.token(carolUser, Duration.ofSeconds(5)), clients.json())) {
            errorFrame(shortLived.awaitErrorFrame(), ProblemCodes.TOKEN_EXPIRED);
            assertThat(shortLived.awaitClosed()).as("connection closed when its token expired").isTrue();
        }
        // As documented: deactivating an account closes its open sessions with ERROR frames
        // ACCOUNT_DEACTIVATED, and its token no longer connects.
        TestUser goneUser = clients.user("gone");
        try (StompTestClient gone = clients.stomp(goneUser)) {
            accounts.deactivate(UserId.of(goneUser.id()));
            errorFrame(gone.awaitErrorFrame(), ProblemCodes.ACCOUNT_DEACTIVATED);
            assertThat(gone.awaitClosed()).as("a deactivated user's session is closed").isTrue();
        }
        StompHeaders goneToken = new StompHeaders();
        goneToken.add("Authorization", "Bearer " + goneUser.token());
        errorFrame(StompTestClient.connectExpectingRefusal(clients.wsUrl(), goneToken, clients.json()),
                ProblemCodes.ACCOUNT_DEACTIVATED);

        Set<String> expected = new TreeSet<>(asyncApi.messagesWithPayload());
        expected.removeAll(CommandContractTest.LIVE_MESSAGES);
        assertThat(difference(expected, asyncApi.checkedMessages())).as("messages of %s the walkthrough never "
                + "checked: produce them, or remove them if the application cannot send them", AsyncApiContract.LOCATION)
                .isEmpty();
    }

    /** Sends a card action with a {@code receipt} header and waits for the RECEIPT that says it was handled. */
    private void receipted(StompTestClient client, String destination, Map<String, Object> frame) {
        asyncApi.checkPayload("CardAction", clients.json().writeValueAsString(frame));
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setContentType(org.springframework.util.MimeTypeUtils.APPLICATION_JSON);
        headers.setReceipt("act-" + UUID.randomUUID());
        java.util.concurrent.CompletableFuture<Void> receipt = new java.util.concurrent.CompletableFuture<>();
        client.session().send(headers, frame).addReceiptTask(() -> receipt.complete(null));
        assertThat(receipt).as("RECEIPT for %s", destination)
                .succeedsWithin(StompTestClient.WAIT);
    }

    private static boolean isPresence(tools.jackson.databind.JsonNode event, TestUser user, boolean online) {
        return "presence".equals(event.path("type").asString()) && user.id().toString().equals(event.path("userId").asString())
                && event.path("online").asBoolean() == online;
    }

    /**
     * Checks a frame the test sends against the message it belongs to, then sends it. A frame
     * the test makes wrong on purpose must be one the document rejects too.
     */
    private void sent(StompTestClient client, String destination, String message, Map<String, Object> frame) {
        sent(client, destination, message, frame, true);
    }

    private void sent(StompTestClient client, String destination, String message, Map<String, Object> frame,
            boolean conforming) {
        String json = clients.json().writeValueAsString(frame);
        if (conforming) {
            asyncApi.checkPayload(message, json);
        } else {
            asyncApi.checkPayloadRejected(message, json);
        }
        client.send(destination, frame);
    }

    /** Awaits a matching event; every event seen on the way, matching or not, is checked against the document. */
    private JsonNode awaitEvent(StompTestClient client, Predicate<tools.jackson.databind.JsonNode> matching) {
        return ContractJson.read(clients.json().writeValueAsString(client.awaitEvent(event -> {
            event(event);
            return matching.test(event);
        })));
    }

    private JsonNode awaitEvent(StompTestClient client, String type) {
        return awaitEvent(client, event -> type.equals(event.path("type").asString()));
    }

    private JsonNode event(tools.jackson.databind.JsonNode event) {
        String json = clients.json().writeValueAsString(event);
        asyncApi.checkEvent(json);
        return ContractJson.read(json);
    }

    private tools.jackson.databind.JsonNode payload(String message, tools.jackson.databind.JsonNode payload) {
        asyncApi.checkPayload(message, clients.json().writeValueAsString(payload));
        return payload;
    }

    private void errorFrame(StompTestClient.ErrorFrame frame, String code) {
        assertThat(frame.message()).as("ERROR frame's message header").isEqualTo(code);
        asyncApi.checkHeaders("ErrorFrame", ContractJson.JSON.createObjectNode().put("message", frame.message()).toString());
        asyncApi.checkPayload("ErrorFrame", clients.json().writeValueAsString(frame.body()));
        assertThat(frame.body().get("code").asString()).as("ERROR frame body's code").isEqualTo(code);
    }

    /** Whatever else arrived on a client's queues must match the document too. */
    private void everythingElse(StompTestClient client) {
        client.drainEvents().forEach(this::event);
        client.drainAcks().forEach(ack -> payload("SendAck", ack));
        client.drainErrors().forEach(error -> payload("StompError", error));
    }

    // ---------------------------------------------------------------- support

    private static String manyUserIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> "userIds=" + UUID.randomUUID()).collect(Collectors.joining("&"));
    }

    private ContractClient client(TestUser user) {
        return ContractClient.as(clients, openApi, user);
    }

    private static Set<String> difference(Set<String> left, Set<String> right) {
        Set<String> result = new TreeSet<>(left);
        result.removeAll(right);
        return result;
    }

    private static Set<String> constants(Class<?> registry) {
        Set<String> codes = new LinkedHashSet<>();
        for (Field field : registry.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                try {
                    codes.add((String) field.get(null));
                } catch (IllegalAccessException unreadable) {
                    throw new AssertionError(unreadable);
                }
            }
        }
        return codes;
    }

    /** An instance of a record with every component null, zero or false: enough to ask its type(). */
    private static Object blank(Class<?> record) throws ReflectiveOperationException {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = !types[i].isPrimitive() ? null : types[i] == boolean.class ? false
                    : types[i] == long.class ? 0L : types[i] == int.class ? 0 : null;
        }
        Constructor<?> canonical = record.getDeclaredConstructor(types);
        canonical.setAccessible(true);
        return canonical.newInstance(values);
    }

    /**
     * Object schemas (with properties) below {@code node} that do not say {@code additionalProperties: false},
     * but for those {@link #OPEN_BY_DESIGN}: marked {@code x-open: true}, open and naming no properties.
     */
    private static void collectOpenObjects(JsonNode node, String path, List<String> open) {
        if (node.isObject()) {
            boolean objectSchema = "object".equals(node.path("type").asText()) || node.has("properties");
            JsonNode additional = node.path("additionalProperties");
            boolean marked = node.path("x-open").asBoolean(false);
            boolean openByDesign = marked && OPEN_BY_DESIGN.contains(path) && additional.isBoolean()
                    && additional.asBoolean() && !node.has("properties");
            if (marked && !openByDesign) {
                open.add(path + " (x-open is allowed only at " + OPEN_BY_DESIGN + ", with additionalProperties: true"
                        + " and no properties)");
            } else if (objectSchema && !openByDesign && !(additional.isBoolean() && !additional.asBoolean())) {
                open.add(path);
            }
            node.properties().forEach(child -> collectOpenObjects(child.getValue(), path + "/" + child.getKey(), open));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectOpenObjects(node.get(i), path + "/" + i, open);
            }
        }
    }
}
