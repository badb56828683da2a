package io.chorus.identity;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.RestApi;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import tools.jackson.databind.JsonNode;

@ChorusIntegrationTest
class TokenAuthenticationTest {

    private static final List<String> EMPLOYEE = List.of("employee");

    @Autowired
    TestClients clients;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    LocalTokenIssuer issuer;

    @Test
    void meDescribesTheCallerFromTheirToken() {
        String username = "mei-" + UUID.randomUUID().toString().substring(0, 8);
        String token = clients.token(username, "Mei Lin", List.of("org_admin", "employee"), Instant.now());

        JsonNode me = clients.rest(token).get("/api/v1/me").ok().json();

        assertThat(me.get("username").asString()).isEqualTo(username);
        assertThat(me.get("displayName").asString()).isEqualTo("Mei Lin");
        assertThat(me.get("roles").valueStream().map(JsonNode::asString)).containsExactly("employee", "org_admin");
        UUID id = UUID.fromString(me.get("id").asString());
        assertThat(storedUsername(id)).isEqualTo(username);
        assertThat(clients.rest(token).get("/api/v1/me").ok().json().get("id").asString())
                .as("the same person keeps the same id").isEqualTo(id.toString());
    }

    @Test
    void rolesChorusDoesNotKnowAreIgnored() {
        String token = clients.token("kai-" + UUID.randomUUID(), "Kai",
                List.of("employee", "superuser", "uma_authorization"), Instant.now());

        JsonNode me = clients.rest(token).get("/api/v1/me").ok().json();

        assertThat(me.get("roles").valueStream().map(JsonNode::asString)).containsExactly("employee");
    }

    @Test
    void requestWithoutATokenIsUnauthenticated() {
        clients.anonymous().get("/api/v1/me").problem(401, "UNAUTHENTICATED");
        clients.anonymous().get("/api/v1/conversations").problem(401, "UNAUTHENTICATED");
        clients.anonymous().post("/api/v1/conversations/groups", body("name", "x", "memberIds", List.of()))
                .problem(401, "UNAUTHENTICATED");
    }

    @Test
    void garbageBearerTokenIsUnauthenticated() {
        clients.rest("not-a-jwt").get("/api/v1/me").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void expiredTokenIsRefused() {
        String username = "old-" + UUID.randomUUID();
        // Local tokens live one hour; this one ran out an hour ago.
        String expired = clients.token(username, EMPLOYEE, Instant.now().minus(Duration.ofHours(2)));

        clients.rest(expired).get("/api/v1/me").problem(401, "UNAUTHENTICATED");
        assertThat(accountsNamed(username)).as("a refused token creates no account").isZero();
    }

    @Test
    void tokenMeantForAnotherApplicationIsRefused() {
        TestUser user = clients.user("aud");
        clients.rest(clients.token(user, claims -> claims.audience(List.of("chorus")))).get("/api/v1/me").ok();

        clients.rest(clients.token(user, claims -> claims.audience(List.of("timesheets")))).get("/api/v1/me")
                .problem(401, "UNAUTHENTICATED");
        clients.rest(clients.token(user, claims -> claims.claims(all -> all.remove("aud")))).get("/api/v1/me")
                .problem(401, "UNAUTHENTICATED");
        clients.rest(clients.token(user, claims -> claims.audience(List.of("account")).claim("azp", "timesheets")))
                .get("/api/v1/conversations").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void tokenIssuedToChorusAsAuthorizedPartyIsAcceptedWithoutNamingItsAudience() {
        TestUser user = clients.user("azp");
        // Keycloak's default layout: aud names only its own "account" client, azp the client that asked.
        String keycloakShaped = clients.token(user, claims -> claims.audience(List.of("account")).claim("azp", "chorus"));

        assertThat(clients.rest(keycloakShaped).get("/api/v1/me").ok().json().get("id").asString())
                .isEqualTo(user.id().toString());
    }

    @Test
    void tokenWithoutAnExpiryIsRefused() {
        TestUser user = clients.user("forever");

        clients.rest(clients.token(user, claims -> claims.claims(all -> all.remove("exp")))).get("/api/v1/me")
                .problem(401, "UNAUTHENTICATED");
    }

    @Test
    void tokenSignedByAnotherKeyIsRefused() throws Exception {
        TestUser victim = clients.user("victim");
        String forged = signedByAFreshKey(victim.username());

        clients.rest(forged).get("/api/v1/me").problem(401, "UNAUTHENTICATED");
        clients.rest(forged).get("/api/v1/conversations").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void unsignedTokenWithAlgNoneIsRefused() {
        TestUser victim = clients.user("victim");
        String genuine = victim.token();
        clients.rest(genuine).get("/api/v1/me").ok();
        String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        // The genuine token's own claims, with the signature stripped off.
        String unsigned = header + "." + genuine.split("\\.")[1] + ".";

        clients.rest(unsigned).get("/api/v1/me").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void tokenSignedWithThePublicKeyAsAnHmacSecretIsRefused() throws Exception {
        TestUser victim = clients.user("victim");
        String payload = victim.token().split("\\.")[1];
        String claims = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
        // The classic key-confusion attack: the server's public key is no secret.
        SignedJWT confused = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JWTClaimsSet.parse(claims));
        confused.sign(new MACSigner(issuer.publicKey().getEncoded()));

        clients.rest(confused.serialize()).get("/api/v1/me").problem(401, "UNAUTHENTICATED");
    }

    @Test
    void tokenWhoseClaimsWereAlteredAfterSigningIsRefused() {
        TestUser user = clients.user("tamper");
        String[] parts = user.token().split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String altered = claims.replace("\"employee\"", "\"compliance_officer\"");
        assertThat(altered).isNotEqualTo(claims);

        clients.rest(parts[0] + "." + base64Url(altered) + "." + parts[2]).get("/api/v1/me")
                .problem(401, "UNAUTHENTICATED");
    }

    @Test
    void validTokenWithoutTheEmployeeRoleMayNotUseChat() {
        TestUser service = clients.user("erp", List.of("integration"));
        TestUser colleague = clients.user("colleague");

        JsonNode me = clients.rest(service).get("/api/v1/me").ok().json();
        assertThat(me.get("roles").valueStream().map(JsonNode::asString)).containsExactly("integration");

        RestApi api = clients.rest(service);
        api.get("/api/v1/conversations").problem(403, "FORBIDDEN");
        api.post("/api/v1/conversations/groups", body("name", "Sneaky", "memberIds", List.of(colleague.id())))
                .problem(403, "FORBIDDEN");
        api.post("/api/v1/conversations/direct", body("userId", colleague.id())).problem(403, "FORBIDDEN");
        assertThat(conversationsCreatedBy(service.id())).isZero();
    }

    @Test
    void devTokenEndpointIssuesAWorkingTokenForADemoUser() {
        JsonNode issued = clients.anonymous().post("/api/v1/dev/token", body("username", "alice")).ok().json();

        assertThat(issued.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(issued.get("expires_in").asLong()).isEqualTo(Duration.ofHours(1).toSeconds());
        String token = issued.get("access_token").asString();
        assertThat(token).isNotBlank();
        JsonNode me = clients.rest(token).get("/api/v1/me").ok().json();
        assertThat(me.get("username").asString()).isEqualTo("alice");
        assertThat(me.get("displayName").asString()).isEqualTo("Alice Chen");
        assertThat(me.get("roles").valueStream().map(JsonNode::asString)).containsExactly("employee");
        clients.rest(token).get("/api/v1/conversations").ok();
    }

    @Test
    void devTokenForAnUnknownDemoUserIsNotFound() {
        clients.anonymous().post("/api/v1/dev/token", body("username", "mallory")).problem(404, "UNKNOWN_DEMO_USER");
        clients.anonymous().post("/api/v1/dev/token", body("username", " ")).problem(400, "VALIDATION_FAILED");
    }

    @Test
    void changedDisplayNameInANewerTokenUpdatesTheProfileOthersSee() {
        TestUser bob = clients.user("bob");
        TestUser alice = clients.user("alice");
        String group = groupOf(alice, bob);

        String renamed = clients.token(bob.username(), "Robert Li", EMPLOYEE, Instant.now());
        JsonNode me = clients.rest(renamed).get("/api/v1/me").ok().json();

        assertThat(me.get("id").asString()).as("still the same person").isEqualTo(bob.id().toString());
        assertThat(me.get("displayName").asString()).isEqualTo("Robert Li");
        assertThat(displayNameOf(bob, alice, group)).isEqualTo("Robert Li");
    }

    @Test
    void displayNameChangedBackIsStoredAgain() {
        TestUser bob = clients.user("bob");
        TestUser alice = clients.user("alice");
        String group = groupOf(alice, bob);

        clients.rest(clients.token(bob.username(), "Robert Li", EMPLOYEE, Instant.now())).get("/api/v1/me").ok();
        assertThat(displayNameOf(bob, alice, group)).isEqualTo("Robert Li");

        // The identity provider reverts the name: the profile must follow it back.
        String original = TestClients.displayName(bob.username());
        clients.rest(clients.token(bob.username(), original, EMPLOYEE, Instant.now())).get("/api/v1/me").ok();
        assertThat(displayNameOf(bob, alice, group)).isEqualTo(original);
    }

    private String groupOf(TestUser owner, TestUser member) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", "Names", "memberIds", List.of(member.id()))).status(201).json().get("id").asString();
    }

    /** The display name of {@code user} as {@code viewer} sees it in a group's member list. */
    private String displayNameOf(TestUser user, TestUser viewer, String group) {
        return clients.rest(viewer).get("/api/v1/conversations/" + group + "/members").ok().json().valueStream()
                .filter(member -> member.get("userId").asString().equals(user.id().toString()))
                .findFirst().orElseThrow().get("displayName").asString();
    }

    /** A Keycloak-shaped token for {@code username}, correct in every claim, signed by a key Chorus never saw. */
    private static String signedByAFreshKey(String username) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString()).build();
        NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer("chorus-local")
                .subject("local:" + username)
                .issuedAt(now)
                .expiresAt(now.plus(Duration.ofHours(1)))
                .id(UUID.randomUUID().toString())
                .claim("preferred_username", username)
                .claim("name", TestClients.displayName(username))
                .claim("email", username + "@test.local")
                .claim("realm_access", Map.of("roles", List.of("employee", "compliance_officer")))
                .build();
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
                .getTokenValue();
    }

    private static String base64Url(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private String storedUsername(UUID id) {
        return jdbc.sql("SELECT username FROM identity.user_account WHERE id = :id").param("id", id)
                .query(String.class).single();
    }

    private long accountsNamed(String username) {
        return jdbc.sql("SELECT count(*) FROM identity.user_account WHERE username = :u").param("u", username)
                .query(Long.class).single();
    }

    private long conversationsCreatedBy(UUID user) {
        return jdbc.sql("SELECT count(*) FROM chat.conversation WHERE created_by = :u").param("u", user)
                .query(Long.class).single();
    }
}
