package io.chorus.approval.internal;

import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the approval module.
 *
 * @param remindInterval how often a requester may remind the approvers of one request
 * @param idempotencyKeyTtl how long an Idempotency-Key of a submit is remembered (at least 24 h)
 * @param timerInterval how often due reminders and escalations are looked for
 * @param botName the display name of the bot that posts approval cards into chat
 */
@Validated
@ConfigurationProperties("chorus.approval")
record ApprovalProperties(@DefaultValue("10m") Duration remindInterval, @DefaultValue("48h") Duration idempotencyKeyTtl,
        @DefaultValue("30s") Duration timerInterval, @DefaultValue("Approvals") @NotBlank String botName) {

    ApprovalProperties {
        if (idempotencyKeyTtl.compareTo(Duration.ofHours(24)) < 0) {
            throw new IllegalArgumentException("chorus.approval.idempotency-key-ttl must be at least 24h");
        }
    }
}
