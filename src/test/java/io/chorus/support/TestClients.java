package io.chorus.support;

import io.chorus.identity.internal.IdentityProperties.DemoUser;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.web.socket.WebSocketHttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * Entry point for tests: makes users (a token signed by the application's own local issuer,
 * then {@code GET /api/v1/me} so their account exists), REST clients and STOMP clients.
 */
@TestComponent
public class TestClients {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final LocalTokenIssuer issuer;
    private final ApplicationContext context;
    private final JsonMapper json;

    public TestClients(LocalTokenIssuer issuer, ApplicationContext context, JsonMapper json) {
        this.issuer = issuer;
        this.context = context;
        this.json = json;
    }

    public int port() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** A fresh employee with a unique username starting with {@code prefix}. */
    public TestUser user(String prefix) {
        return user(prefix, List.of("employee"));
    }

    public TestUser user(String prefix, List<String> roles) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return user(username, displayName(username), roles);
    }

    /** An employee whose identity provider reports {@code displayName} (a Chinese name, say). */
    public TestUser named(String prefix, String displayName) {
        String username = prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
        return user(username, displayName, List.of("employee"));
    }

    /** An org_admin (also an employee). */
    public TestUser orgAdmin() {
        return user("admin", List.of("employee", "org_admin"));
    }

    private TestUser user(String username, String displayName, List<String> roles) {
        String token = token(username, displayName, roles, Instant.now());
        UUID id = UUID.fromString(rest(token).get("/api/v1/me").ok().json().get("id").asString());
        return new TestUser(id, username, token);
    }

    /** A token for {@code username} issued at {@code issuedAt} (in the past for an expired one). */
    public String token(String username, List<String> roles, Instant issuedAt) {
        return token(username, displayName(username), roles, issuedAt);
    }

    /** As {@link #token(String, List, Instant)}, with the display name the identity provider reports. */
    public String token(String username, String displayName, List<String> roles, Instant issuedAt) {
        return issuer.issue(new DemoUser(username, displayName, username + "@test.local", roles), issuedAt).value();
    }

    /** A fresh token for {@code user}, issued now and valid for {@code lifetime} only. */
    public String token(TestUser user, Duration lifetime) {
        Instant now = Instant.now();
        return token(user, now, claims -> claims.expiresAt(now.plus(lifetime)));
    }

    /** A token for {@code user}, issued now, with its claims adjusted before signing (another audience, say). */
    public String token(TestUser user, Consumer<JwtClaimsSet.Builder> adjust) {
        return token(user, Instant.now(), adjust);
    }

    private String token(TestUser user, Instant now, Consumer<JwtClaimsSet.Builder> adjust) {
        DemoUser demo = new DemoUser(user.username(), displayName(user.username()), user.username() + "@test.local",
                List.of("employee"));
        return issuer.issue(demo, now, adjust).value();
    }

    /** The display name the tokens of {@link #user(String)} carry unless a test chooses another. */
    public static String displayName(String username) {
        return "Test " + username;
    }

    public RestApi rest(String token) {
        return new RestApi("http://localhost:" + port(), token, json);
    }

    public RestApi rest(TestUser user) {
        return rest(user.token());
    }

    public RestApi anonymous() {
        return rest((String) null);
    }

    public StompTestClient stomp(TestUser user) {
        return StompTestClient.connect("ws://localhost:" + port() + "/ws", user.token(), json);
    }

    public StompTestClient stomp(String token) {
        return StompTestClient.connect("ws://localhost:" + port() + "/ws", token, json);
    }

    /** A bare WebSocket to /ws on which the test writes STOMP frames by hand. */
    public RawStompClient raw() {
        return raw(new WebSocketHttpHeaders());
    }

    public RawStompClient raw(WebSocketHttpHeaders handshakeHeaders) {
        return RawStompClient.open(wsUrl(), handshakeHeaders, json);
    }

    public String wsUrl() {
        return "ws://localhost:" + port() + "/ws";
    }

    public JsonMapper json() {
        return json;
    }
}
