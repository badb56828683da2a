package io.chorus.identity.internal.local;

import io.chorus.identity.internal.IdentityProperties;
import io.chorus.identity.internal.IdentityProperties.DemoUser;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;
import org.springframework.util.function.SingletonSupplier;

/**
 * Signs Keycloak-shaped tokens for the seeded demo users, with a key made fresh at every
 * start (tokens from a previous run stop working, which is what a dev instance should do).
 */
@Component
@LocalMode
public class LocalTokenIssuer {

    private static final Logger log = LoggerFactory.getLogger(LocalTokenIssuer.class);

    private final IdentityProperties properties;
    /**
     * Made when the first token is issued or checked, not at start: generating an RSA key costs a
     * few hundred milliseconds, and nothing before readiness needs it.
     */
    private final SingletonSupplier<SigningKey> key = SingletonSupplier.of(SigningKey::generate);

    LocalTokenIssuer(IdentityProperties properties) {
        this.properties = properties;
        log.warn("LOCAL MODE: Chorus issues its own tokens to anyone who asks POST /api/v1/dev/token. "
                + "Never expose this instance; configure chorus.identity.issuer-uri for real use.");
    }

    public RSAPublicKey publicKey() {
        return key.obtain().publicKey();
    }

    public String issuer() {
        return properties.local().issuer();
    }

    Optional<DemoUser> demoUser(String username) {
        return properties.local().demoUsers().stream().filter(user -> user.username().equals(username)).findFirst();
    }

    /** A signed token for a demo user, in the claim layout Keycloak uses. */
    public IssuedToken issue(DemoUser user) {
        return issue(user, Instant.now());
    }

    /**
     * As {@link #issue(DemoUser)}, issued at a chosen time (an expired token, for instance). Each
     * token is a sign-in of its own: a session ({@code sid}) of its own, as Keycloak gives a login.
     */
    public IssuedToken issue(DemoUser user, Instant now) {
        return issueInSession(user, now, UUID.randomUUID().toString());
    }

    /**
     * As {@link #issue(DemoUser, Instant)}, within the session {@code sessionId} (as Keycloak
     * refreshes a token), or with no {@code sid} claim at all when it is null.
     */
    public IssuedToken issueInSession(DemoUser user, Instant now, String sessionId) {
        return issue(user, now, claims -> {
            if (sessionId != null) {
                claims.claim("sid", sessionId);
            }
        });
    }

    /**
     * As {@link #issue(DemoUser, Instant)}, with its claims adjusted before signing (a short
     * lifetime, another audience, another session): how tests make the tokens Chorus must cut
     * off or refuse. It carries no {@code sid} unless {@code adjust} adds one.
     */
    public IssuedToken issue(DemoUser user, Instant now, Consumer<JwtClaimsSet.Builder> adjust) {
        JwtClaimsSet.Builder builder = JwtClaimsSet.builder()
                .issuer(issuer())
                .subject(subjectOf(user.username()))
                .audience(List.of(properties.audience()))
                .issuedAt(now)
                .expiresAt(now.plus(properties.local().tokenTtl()))
                .id(UUID.randomUUID().toString())
                .claim("preferred_username", user.username())
                .claim("name", user.displayName())
                .claim("email", user.email() == null ? "" : user.email())
                .claim("realm_access", Map.of("roles", user.roles()));
        adjust.accept(builder);
        JwtClaimsSet claims = builder.build();
        String token = key.obtain().encoder().encode(JwtEncoderParameters.from(
                JwsHeader.with(SignatureAlgorithm.RS256).build(), claims)).getTokenValue();
        Instant expiresAt = claims.getExpiresAt();
        return new IssuedToken(token, expiresAt == null ? 0 : Duration.between(now, expiresAt).toSeconds());
    }

    public static String subjectOf(String username) {
        return "local:" + username;
    }

    public record IssuedToken(String value, long expiresInSeconds) {
    }

    /** A key pair of this run, and the encoder that signs with its private half. */
    private record SigningKey(RSAPublicKey publicKey, NimbusJwtEncoder encoder) {

        static SigningKey generate() {
            KeyPair pair;
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                pair = generator.generateKeyPair();
            } catch (NoSuchAlgorithmException everyJavaHasRsa) {
                throw new IllegalStateException(everyJavaHasRsa);
            }
            RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
            RSAKey jwk = new RSAKey.Builder(publicKey).privateKey((RSAPrivateKey) pair.getPrivate())
                    .keyID(UUID.randomUUID().toString()).build();
            return new SigningKey(publicKey, new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk))));
        }
    }
}
