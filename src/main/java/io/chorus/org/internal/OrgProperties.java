package io.chorus.org.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The org module's settings: directory sync from Keycloak, and the local-mode demo chart. */
@Validated
@ConfigurationProperties("chorus.org")
public record OrgProperties(@Valid @DefaultValue Sync sync, @DefaultValue("false") boolean demoChart) {

    /**
     * Keycloak as the source of users and departments. The service account needs the
     * realm-management roles view-users, query-users, query-groups and view-realm.
     */
    public record Sync(
            @DefaultValue("false") boolean enabled,
            String serverUrl,
            @DefaultValue("chorus") String realm,
            @DefaultValue("chorus-sync") String clientId,
            String clientSecret,
            @DefaultValue("15m") Duration interval,
            @DefaultValue("30s") Duration initialDelay,
            @DefaultValue("100") int pageSize,
            @Valid @DefaultValue Attributes attributes,
            @Valid @DefaultValue DeactivationGuard deactivationGuard) {

        @AssertTrue(message = "directory sync needs server-url and client-secret")
        public boolean isComplete() {
            return !enabled || serverUrl != null && !serverUrl.isBlank() && clientSecret != null && !clientSecret.isBlank();
        }

        /** Never prints the client secret, whoever logs these settings. */
        @Override
        public String toString() {
            return "Sync[enabled=" + enabled + ", serverUrl=" + serverUrl + ", realm=" + realm + ", clientId=" + clientId
                    + ", clientSecret=" + (clientSecret == null || clientSecret.isEmpty() ? "<none>" : "<hidden>")
                    + ", interval=" + interval + "]";
        }
    }

    /**
     * How many active accounts one run may take out of the org chart (deactivate, or find no longer
     * listed) before it refuses and waits for a forced run: an empty or shrunken user list more
     * often means a misconfigured Keycloak or a user federation that is down than a mass departure.
     * A run may always take out {@code alwaysAllowed} accounts, and more only up to {@code maxPercent}
     * of the active ones; it never takes out every active account unless forced.
     */
    public record DeactivationGuard(
            @Min(0) @Max(100) @DefaultValue("10") int maxPercent,
            @Min(0) @DefaultValue("5") int alwaysAllowed) {
    }

    /** Which Keycloak user attributes carry the org facts groups cannot express. */
    public record Attributes(
            @NotBlank @DefaultValue("title") String title,
            @NotBlank @DefaultValue("primaryDepartment") String primaryDepartment,
            @NotBlank @DefaultValue("manager") String manager) {
    }
}
