package io.chorus.identity.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where tokens come from. With {@code issuerUri} set, Chorus trusts that OIDC issuer
 * (a Keycloak realm) and local mode stays off whatever {@code local.enabled} says.
 *
 * <p>{@code audience} is who a token must be meant for: it names Chorus in its {@code aud}
 * claim, or it was issued to that client ({@code azp}). A realm issues tokens to many
 * applications; one meant for another of them must not work here.
 */
@Validated
@ConfigurationProperties("chorus.identity")
public record IdentityProperties(
        String issuerUri,
        @NotBlank @DefaultValue("chorus") String audience,
        @Valid @DefaultValue Local local,
        @Valid @DefaultValue Provider provider) {

    public boolean localMode() {
        return local.enabled() && (issuerUri == null || issuerUri.isBlank());
    }

    /** Local mode: Chorus signs its own tokens for seeded demo users. Never for production. */
    public record Local(
            @DefaultValue("false") boolean enabled,
            @NotBlank @DefaultValue("chorus-local") String issuer,
            @DefaultValue("1h") Duration tokenTtl,
            @Valid @DefaultValue List<DemoUser> demoUsers) {
    }

    /**
     * Fetching the issuer's configuration and signing keys: a request whose token needs them waits
     * at most about this long while the identity provider does not answer, then gets 503.
     */
    public record Provider(
            @DefaultValue("1s") Duration connectTimeout,
            @DefaultValue("3s") Duration readTimeout) {
    }

    public record DemoUser(
            @NotBlank String username,
            @NotBlank String displayName,
            String email,
            @NotEmpty List<String> roles) {
    }
}
