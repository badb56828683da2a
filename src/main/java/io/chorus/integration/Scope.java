package io.chorus.integration;

import io.chorus.identity.ApiTokens;
import java.util.Arrays;
import java.util.Optional;

/**
 * What an integration's token may do. A bot's token carries some of them; a Keycloak service
 * account gets those its client scopes name. Each guards a part of the integration API with
 * {@code @PreAuthorize("hasAuthority('SCOPE_<value>')")}.
 */
public enum Scope {
    /** Post, update and delete its own messages and cards in conversations it belongs to; find or create groups. */
    MESSAGES_WRITE("messages:write"),
    /** Read the conversations it belongs to and their messages. */
    MESSAGES_READ("messages:read"),
    /** Look up users and departments. */
    ORG_READ("org:read"),
    APPROVALS_SUBMIT("approvals:submit"),
    APPROVALS_READ("approvals:read"),
    /** Manage its own event subscriptions and slash commands. */
    WEBHOOKS_MANAGE("webhooks:manage");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    /** The scope as tokens and the API name it. */
    public String value() {
        return value;
    }

    public String authority() {
        return ApiTokens.authority(value);
    }

    public static Optional<Scope> of(String value) {
        return Arrays.stream(values()).filter(scope -> scope.value.equals(value)).findFirst();
    }
}
