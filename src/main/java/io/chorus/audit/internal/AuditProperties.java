package io.chorus.audit.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** The audit module's settings ({@code chorus.audit.*}). */
@Validated
@ConfigurationProperties("chorus.audit")
public record AuditProperties(
        /** How many pending entries one chain-writer transaction links. */
        @Min(1) @Max(10_000) @DefaultValue("500") int chainBatchSize,
        /** How often the chain writer looks for pending entries it was not woken for (other nodes, restarts). */
        @DefaultValue("1s") Duration chainInterval,
        /**
         * How long a woken chain writer waits before it drains, so that the entries of many
         * messages go into one transaction instead of one each (a bound on how late an entry is
         * chained, not on when it is safe: it is durable once its message commits).
         */
        @DefaultValue("25ms") Duration chainLinger,
        /**
         * How old the oldest entry waiting to be chained may grow before the {@code audit} health
         * component reports DOWN: entries are durable, but a trail that stops growing is an outage.
         */
        @DefaultValue("1m") Duration chainLagLimit,
        /** The largest page of entries one query returns. */
        @Min(1) @Max(1000) @DefaultValue("200") int maxPageSize,
        /**
         * How long audit entries are kept; unset (the default) keeps them forever. Separate from
         * message retention: the trail outlives the messages it describes.
         */
        Duration entryRetention,
        /** How often expired entries are looked for, when a retention is set. */
        @DefaultValue("1h") Duration retentionInterval,
        @Valid @DefaultValue Checkpoints checkpoints,
        @Valid @DefaultValue Refusals refusals) {

    /**
     * Refused requests (403s, refused STOMP frames): the first of an actor, action and target is an
     * entry at once, its repeats within {@code window} one entry with their count when it closes.
     */
    public record Refusals(
            /** How long repeats of one refusal are counted into one entry. */
            @DefaultValue("1m") Duration window,
            /**
             * How many distinct targets an actor's refusals may name within a window, each with an
             * entry of its own; past it, the actor's refusals are only counted (target {@code *}).
             */
            @Min(1) @Max(10_000) @DefaultValue("20") int distinctTargetsPerActor,
            /** How often closed windows are looked for. */
            @DefaultValue("10s") Duration closeInterval) {
    }

    public record Checkpoints(
            /** How often the chain head is signed (skipped when nothing was chained since). */
            @DefaultValue("1h") Duration interval,
            /**
             * The Ed25519 private key, base64 of its PKCS#8 DER form ({@code openssl genpkey
             * -algorithm ed25519 -outform DER | base64 -w0}). Unset: a key is generated at start,
             * good only until restart, and a warning says so.
             */
            String signingKey,
            /**
             * Public keys (base64 X.509 DER) of earlier signing keys whose checkpoints still count,
             * after a key rotation ({@code CHORUS_AUDIT_TRUSTED_PUBLIC_KEYS}, comma-separated). With a
             * configured key, a checkpoint of any other configured key is reported as UNTRUSTED_KEY,
             * even if the key stored beside it matches; checkpoints of keys generated at start are
             * checked against the chain only. An entry that is no such key stops the start.
             */
            @DefaultValue({}) java.util.List<String> trustedPublicKeys) {

        /** Never prints the key, whoever logs these settings. */
        @Override
        public String toString() {
            return "Checkpoints[interval=" + interval + ", signingKey="
                    + (signingKey == null || signingKey.isBlank() ? "<generated>" : "<hidden>") + "]";
        }
    }
}
