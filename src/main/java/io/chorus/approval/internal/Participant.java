package io.chorus.approval.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import java.util.UUID;

/** Someone who may see an instance without being its requester or an approver. */
@Embeddable
record Participant(@Column(name = "user_id", nullable = false) UUID userId,
        @Enumerated(EnumType.STRING) @Column(nullable = false) Role role) {

    enum Role {
        CC, MENTIONED
    }
}
