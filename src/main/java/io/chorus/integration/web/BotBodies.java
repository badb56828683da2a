package io.chorus.integration.web;

import io.chorus.integration.Bots;
import io.chorus.platform.MappingConfig;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.mapstruct.Mapper;

/** Bots and tokens as the management API shows them: a token's secret only in the response that made it. */
@Mapper(config = MappingConfig.class)
interface BotBodies {

    record BotBody(UUID id, String key, String displayName, String avatarUrl, UUID ownerId, Instant createdAt,
            boolean disabled) {
    }

    record TokenBody(UUID id, UUID botId, String name, String hint, List<String> scopes, Instant createdAt,
            Instant expiresAt, Instant revokedAt, Instant lastUsedAt, UUID rotatedTo) {
    }

    record IssuedBody(String token, TokenBody details) {
    }

    BotBody bot(Bots.Bot bot);

    TokenBody token(Bots.Token token);

    default IssuedBody issued(Bots.Issued issued) {
        return new IssuedBody(issued.secret(), token(issued.token()));
    }

    /** Scopes in a stable order, so a list reads the same every time. */
    default List<String> scopes(java.util.Set<String> scopes) {
        return scopes.stream().sorted().toList();
    }
}
