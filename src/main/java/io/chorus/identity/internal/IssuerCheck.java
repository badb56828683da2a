package io.chorus.identity.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token must come from the issuer Chorus trusts. A mismatch is nearly always configuration,
 * not an attack: clients reach Keycloak as {@code localhost} and Chorus as {@code 127.0.0.1}, or
 * through another proxy host, and every token is then refused. So the first token from each
 * other issuer is logged with both names (once: a client retrying cannot flood the log), and
 * the 401 itself says nothing more than it did.
 */
final class IssuerCheck implements OAuth2TokenValidator<Jwt> {

    private static final Logger log = LoggerFactory.getLogger(IssuerCheck.class);
    /** Issuers already reported; bounded so that made-up issuers cannot grow it without end. */
    private static final int MAX_REPORTED = 100;

    private final String expected;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final OAuth2Error refused = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
            "The token was issued by another issuer.", null);

    IssuerCheck(String expected) {
        this.expected = expected;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        // As a string: an issuer need not be a URL (the local mode's is not), and a malformed one must not throw.
        String issuer = token.getClaimAsString("iss");
        if (expected.equals(issuer)) {
            return OAuth2TokenValidatorResult.success();
        }
        String shown = issuer == null ? "(none)" : issuer.length() > 200 ? issuer.substring(0, 200) + "…" : issuer;
        if (reported.size() < MAX_REPORTED && reported.add(shown)) {
            log.warn("Refusing tokens issued by '{}': Chorus trusts '{}' (chorus.identity.issuer-uri). If both name the"
                    + " same Keycloak realm, clients and Chorus must reach it by the same host name and port.",
                    shown, expected);
        }
        return OAuth2TokenValidatorResult.failure(refused);
    }

    /** The issuers reported so far (for tests). */
    Set<String> reported() {
        return Set.copyOf(reported);
    }
}
