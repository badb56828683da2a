package io.chorus.chat;

import java.time.Instant;
import java.util.UUID;

public record MemberView(UUID userId, String username, String displayName, MemberRole role, long readSeq,
        Instant joinedAt) {
}
