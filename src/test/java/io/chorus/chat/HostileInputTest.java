package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RawStompClient;
import io.chorus.support.RawStompClient.Frame;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a fuzzer sends: NUL characters, malformed UTF-16, broken query strings and paths, unknown
 * methods, values of the wrong JSON type. Each is refused with an RFC 9457 problem and a stable
 * code, over real HTTP (raw sockets where a client library would refuse to send the bytes), and
 * changes nothing.
 */
@ChorusIntegrationTest
class HostileInputTest {

    private static final String NUL = "\u0000";

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    JsonMapper json;

    ChatSetup chat;
    TestUser alice;
    TestUser bob;
    String group;

    @BeforeEach
    void setUp() {
        chat = new ChatSetup(clients, jdbc);
        alice = clients.user("alice");
        bob = clients.user("bob");
        group = chat.group(alice, bob);
        chat.send(alice, group, "the only message");
    }

    @Test
    void nulInAnyTextOfARequestBodyIsAValidationFailure() {
        RestApi api = clients.rest(alice);
        String messages = "/api/v1/conversations/" + group + "/messages";

        api.post(messages, body("clientMessageId", "n-1", "text", "a" + NUL + "b")).problem(400, "VALIDATION_FAILED");
        api.patch(messages + "/" + chat.message(alice, group, 1).get("id").asLong(), body("text", NUL))
                .problem(400, "VALIDATION_FAILED");
        api.post("/api/v1/conversations/groups", body("name", "x" + NUL, "memberIds", List.of(bob.id())))
                .problem(400, "VALIDATION_FAILED");
        api.patch("/api/v1/conversations/" + group, body("name", NUL)).problem(400, "VALIDATION_FAILED");

        RestApi admin = clients.rest(clients.orgAdmin());
        admin.post("/api/v1/org/departments", body("name", "Sales" + NUL)).problem(400, "VALIDATION_FAILED");
        String department = admin.post("/api/v1/org/departments", body("name", "Dept " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        admin.exchange(HttpMethod.PATCH, "/api/v1/org/departments/" + department, body("name", NUL))
                .problem(400, "VALIDATION_FAILED");
        admin.exchange(HttpMethod.PUT, "/api/v1/org/departments/" + department + "/members/" + bob.id(),
                body("title", "Boss" + NUL)).problem(400, "VALIDATION_FAILED");

        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        clients.rest(officer).post("/api/v1/legal-holds", body("subjectType", "USER", "subjectId", alice.id(),
                "reason", "case" + NUL)).problem(400, "VALIDATION_FAILED");

        assertNothingChanged();
        assertThat(chat.conversation(alice, group).get("name").asString()).doesNotContain(NUL);
        assertThat(jdbc.sql("SELECT count(*) FROM org.membership WHERE department_id = :d")
                .param("d", UUID.fromString(department)).query(Long.class).single()).isZero();
    }

    @Test
    void nulInAQueryParameterIsAValidationFailure() {
        assertProblem(raw("GET /api/v1/org/users?q=al%00ice HTTP/1.1"), 400, "VALIDATION_FAILED");
        assertProblem(raw("GET /api/v1/conversations?cursor=%00 HTTP/1.1"), 400, "VALIDATION_FAILED");
        assertProblem(raw("GET /api/v1/org/users?q=a%ED%A0%80 HTTP/1.1"), 400, "MALFORMED_REQUEST");
        assertThat(raw("GET /api/v1/org/users?q=%E5%BC%A0+san HTTP/1.1").status()).isEqualTo(200);
    }

    @Test
    void nulInAStompSendIsAValidationFailureAndTheSessionCarriesOn() {
        String destination = "/app/conversations/" + group + "/messages";
        try (RawStompClient raw = clients.raw().connected(alice.token())) {
            raw.subscribe("errors", "/user/queue/errors");
            assertThat(raw.awaitFrame().command()).isEqualTo("RECEIPT");

            raw.sendJson(destination, "{\"clientMessageId\": \"s-1\", \"text\": \"a\\u0000b\"}");
            Frame error = raw.awaitFrame();
            assertThat(error.command()).isEqualTo("MESSAGE");
            assertThat(error.json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(error.json().get("status").asInt()).isEqualTo(400);
            assertThat(error.json().get("clientMessageId").asString()).isEqualTo("s-1");

            raw.sendJson(destination, "{\"clientMessageId\": \"s-2\", \"text\": \"a\\ud800b\"}");
            assertThat(raw.awaitFrame().json().get("code").asString()).isEqualTo("VALIDATION_FAILED");
            assertThat(raw.isOpen()).isTrue();
        }
        assertNothingChanged();
    }

    @Test
    void loneSurrogatesAreRefusedAndAProperPairIsStoredAndEchoedExactly() {
        RestApi api = clients.rest(alice);
        String messages = "/api/v1/conversations/" + group + "/messages";

        RestApi.Response lone = api.postRaw(messages, "{\"clientMessageId\": \"u-1\", \"text\": \"a\\ud800b\"}")
                .problem(400, "VALIDATION_FAILED");
        assertThat(lone.json().at("/errors/0/field").asString()).isEqualTo("text");
        api.postRaw(messages, "{\"clientMessageId\": \"u-2\", \"text\": \"a\\udc00\"}").problem(400, "VALIDATION_FAILED");
        api.postRaw(messages, "{\"clientMessageId\": \"u-3\", \"text\": \"\\ude00\\ud83d\"}")
                .problem(400, "VALIDATION_FAILED");
        assertNothingChanged();

        String pair = "{\"clientMessageId\": \"u-4\", \"text\": \"smile \\ud83d\\ude00\"}";
        JsonNode sent = api.postRaw(messages, pair).status(201).json();
        assertThat(sent.get("text").asString()).isEqualTo("smile 😀");
        JsonNode retried = api.postRaw(messages, pair).ok().json();
        assertThat(retried.get("id").asLong()).isEqualTo(sent.get("id").asLong());
        assertThat(chat.message(bob, group, 2).get("text").asString()).isEqualTo("smile 😀");
    }

    @Test
    void malformedQueryStringsAreProblemsBeforeAnyRoleCheck() {
        for (String query : List.of("?=x", "?x=%FF", "?limit=%", "?q=%ZZ", "?limit=10&=")) {
            assertProblem(raw("GET /api/v1/conversations" + query + " HTTP/1.1"), 400, "MALFORMED_REQUEST");
            assertProblem(raw("GET /api/v1/audit/events" + query + " HTTP/1.1"), 400, "MALFORMED_REQUEST");
        }
        assertProblem(raw("GET /api/v1/audit/events?limit=10 HTTP/1.1"), 403, "FORBIDDEN");
        assertThat(raw("GET /api/v1/conversations?limit=10&&x HTTP/1.1").status()).isEqualTo(200);
    }

    @Test
    void pathsTomcatRefusesAreProblemsToo() {
        assertProblem(raw("GET /api/v1/conversations/%00 HTTP/1.1"), 400, "MALFORMED_REQUEST");
        assertProblem(raw("GET /api/v1/conversations/a%2Fb HTTP/1.1"), 400, "MALFORMED_REQUEST");
        assertProblem(raw("GET /api/v1/conversations/a%0Ab HTTP/1.1"), 400, "MALFORMED_REQUEST");
        assertProblem(raw("GET /api/v1/conversations/%ZZ HTTP/1.1"), 400, "MALFORMED_REQUEST");
        assertProblem(raw("GET /api/v1/conversations;x=y HTTP/1.1"), 400, "MALFORMED_REQUEST");
        assertProblem(raw("GET /api/v1/%2e%2e/v1/conversations HTTP/1.1"), 400, "MALFORMED_REQUEST");
    }

    @Test
    void oversizedHeadersAreAProblem() {
        RawResponse response = raw("GET /api/v1/conversations HTTP/1.1", "X-Padding: " + "x".repeat(40_000));
        assertThat(response.status()).isIn(400, 431);
        assertProblem(response, response.status(), "MALFORMED_REQUEST");
    }

    @Test
    void theErrorPathAskedForDirectlyIsNotFound() {
        clients.rest(alice).get("/error").problem(404, "NOT_FOUND");
        clients.rest(alice).post("/error", body("x", 1)).problem(404, "NOT_FOUND");
        clients.rest((String) null).get("/error").problem(404, "NOT_FOUND");
    }

    @Test
    void unsupportedAndUnknownMethodsAre405WithAllow() throws Exception {
        RestApi.Response delete = clients.rest(alice).delete("/api/v1/conversations/" + group)
                .problem(405, "METHOD_NOT_ALLOWED");
        assertThat(delete.headers().getAllow()).contains(HttpMethod.GET, HttpMethod.PATCH);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        for (String method : List.of("FOO", "PROPFIND")) {
            HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/conversations"))
                    .header("Authorization", "Bearer " + alice.token())
                    .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).as("%s: %s", method, unknown.body()).isEqualTo(405);
            assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(json.readTree(unknown.body()).get("code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
            assertThat(unknown.headers().firstValue("Allow").orElse("")).contains("GET");
        }

        // TRACE would echo the request, bearer token included, back to whoever can read the response.
        RawResponse trace = raw("TRACE /api/v1/conversations HTTP/1.1");
        assertProblem(trace, 405, "METHOD_NOT_ALLOWED");
        assertThat(trace.body()).doesNotContain("Bearer");
    }

    @Test
    void unknownPathIsNotFound() {
        clients.rest(alice).get("/api/v1/no-such-thing").problem(404, "NOT_FOUND");
    }

    @Test
    void theWebSocketAddressRefusesPlainHttpWithProblems() {
        assertProblem(raw("GET /ws HTTP/1.1"), 400, "MALFORMED_REQUEST");
        RawResponse post = raw("POST /ws HTTP/1.1", "Content-Length: 0");
        assertProblem(post, 405, "METHOD_NOT_ALLOWED");
        assertThat(post.headers().get("allow")).isEqualTo("GET");
    }

    @Test
    void aRoleGivenAsANumberIsRefusedAndChangesNoRole() {
        String member = "/api/v1/conversations/" + group + "/members/" + bob.id();
        for (String role : List.of("1", "0", "true")) {
            clients.rest(alice).exchange(HttpMethod.PATCH, member, "{\"role\": " + role + "}")
                    .problem(400, "MALFORMED_REQUEST");
        }
        assertThat(chat.memberList(alice, group)).filteredOn(m -> m.get("userId").asString().equals(bob.id().toString()))
                .singleElement().satisfies(m -> assertThat(m.get("role").asString()).isEqualTo("MEMBER"));
    }

    @Test
    void scalarsOfTheWrongTypeAreNotCoerced() {
        RestApi api = clients.rest(alice);
        api.postRaw("/api/v1/conversations/groups", "{\"name\": 123, \"memberIds\": [\"" + bob.id() + "\"]}")
                .problem(400, "MALFORMED_REQUEST");
        api.postRaw("/api/v1/conversations/groups", "{\"name\": true, \"memberIds\": [\"" + bob.id() + "\"]}")
                .problem(400, "MALFORMED_REQUEST");
        String read = "/api/v1/conversations/" + group + "/read";
        for (String seq : List.of("\"1\"", "1.5", "true", "\"\"")) {
            clients.rest(bob).postRaw(read, "{\"seq\": " + seq + "}").problem(400, "MALFORMED_REQUEST");
        }
        api.postRaw("/api/v1/conversations/" + group + "/messages",
                "{\"clientMessageId\": 12, \"text\": \"numbers are not ids\"}").problem(400, "MALFORMED_REQUEST");
        assertThat(chat.conversation(bob, group).get("readSeq").asLong()).isZero();
        assertNothingChanged();
    }

    @Test
    void timestampsManagersAndFlagsOfTheWrongTypeAreRefused() {
        TestUser officer = clients.user("officer", List.of("employee", "compliance_officer"));
        for (String from : List.of("12345", "1.5", "\"\"")) {
            clients.rest(officer).postRaw("/api/v1/legal-holds", "{\"subjectType\": \"USER\", \"subjectId\": \""
                    + alice.id() + "\", \"from\": " + from + ", \"reason\": \"case\"}").problem(400, "MALFORMED_REQUEST");
        }
        assertThat(clients.rest(officer).get("/api/v1/legal-holds").ok().json())
                .noneMatch(hold -> hold.get("subjectId").asString().equals(alice.id().toString()));

        RestApi admin = clients.rest(clients.orgAdmin());
        String manager = "/api/v1/org/users/" + bob.id() + "/manager";
        admin.exchange(HttpMethod.PUT, manager, body("managerId", alice.id())).ok();
        admin.exchange(HttpMethod.PUT, manager, "{\"managerId\": \"\"}").problem(400, "MALFORMED_REQUEST");
        assertThat(admin.get("/api/v1/org/users/" + bob.id()).ok().json().get("managerId").asString())
                .isEqualTo(alice.id().toString());

        String department = admin.post("/api/v1/org/departments", body("name", "Dept " + UUID.randomUUID()))
                .status(201).json().get("id").asString();
        String membership = "/api/v1/org/departments/" + department + "/members/" + bob.id();
        for (String primary : List.of("2", "1", "\"true\"")) {
            admin.exchange(HttpMethod.PUT, membership, "{\"title\": \"Clerk\", \"primary\": " + primary + "}")
                    .problem(400, "MALFORMED_REQUEST");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM org.membership WHERE department_id = :d")
                .param("d", UUID.fromString(department)).query(Long.class).single()).isZero();
    }

    private void assertNothingChanged() {
        assertThat(chat.storedMessages(group)).isEqualTo(1);
        JsonNode page = clients.rest(bob).get("/api/v1/conversations/" + group + "/messages").ok().json();
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("text").asString()).isEqualTo("the only message");
        assertThat(page.get("items").get(0).get("version").asInt()).isEqualTo(1);
    }

    private String base() {
        return "http://localhost:" + clients.port();
    }

    record RawResponse(int status, Map<String, String> headers, String body) {
    }

    private void assertProblem(RawResponse response, int status, String code) {
        assertThat(response.status()).as("status; %s", response).isEqualTo(status);
        assertThat(response.headers().get("content-type")).as("content type; %s", response)
                .startsWith("application/problem+json");
        assertThat(json.readTree(response.body()).get("code").asString()).as("code; %s", response).isEqualTo(code);
        assertThat(response.body()).doesNotContainIgnoringCase("tomcat").doesNotContain("<html");
    }

    /** Sends the request line and headers byte for byte, as an HTTP client library never would. */
    private RawResponse raw(String requestLine, String... headers) {
        try (Socket socket = new Socket("localhost", clients.port())) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(requestLine).append("\r\n")
                    .append("Host: localhost\r\n")
                    .append("Authorization: Bearer ").append(alice.token()).append("\r\n")
                    .append("Connection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) != -1; ) {
                bytes.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // The server may reset the connection after answering a request it refused.
        }
        return bytes.toByteArray();
    }

    private static RawResponse parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("a complete response head: %s", text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new RawResponse(status, headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
