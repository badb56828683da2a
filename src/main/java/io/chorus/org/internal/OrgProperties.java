package io.chorus.org.internal;

import jakarta.validation.Valid;
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
            @Valid @DefaultValue Attributes attributes) {
    }

    /** Which Keycloak user attributes carry the org facts groups cannot express. */
    public record Attributes(
            @NotBlank @DefaultValue("title") String title,
            @NotBlank @DefaultValue("primaryDepartment") String primaryDepartment,
            @NotBlank @DefaultValue("manager") String manager) {
    }
}
