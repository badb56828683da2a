package io.chorus.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

/** An issuer mismatch is refused every time and reported once per issuer, naming both. */
class IssuerCheckTest {

    private static final String TRUSTED = "http://localhost:8180/realms/chorus";

    @Test
    void theTrustedIssuerPassesAndAnyOtherIsRefusedAndReportedOnce() {
        IssuerCheck check = new IssuerCheck(TRUSTED);

        assertThat(check.validate(token(TRUSTED)).hasErrors()).isFalse();
        assertThat(check.validate(token("http://127.0.0.1:8180/realms/chorus")).hasErrors()).isTrue();
        assertThat(check.validate(token("http://127.0.0.1:8180/realms/chorus")).hasErrors()).isTrue();
        assertThat(check.validate(token(null)).hasErrors()).isTrue();
        assertThat(check.reported()).containsExactlyInAnyOrder("http://127.0.0.1:8180/realms/chorus", "(none)");
    }

    @Test
    void madeUpIssuersCannotGrowWhatIsRemembered() {
        IssuerCheck check = new IssuerCheck(TRUSTED);
        for (int i = 0; i < 1_000; i++) {
            assertThat(check.validate(token("https://evil-" + i + ".example")).hasErrors()).isTrue();
        }
        assertThat(check.reported()).hasSize(100);
    }

    private static Jwt token(String issuer) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256").subject("someone")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60));
        if (issuer != null) {
            builder.issuer(issuer);
        }
        return builder.build();
    }
}
