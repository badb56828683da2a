package io.chorus.integration.internal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** How Chorus calls integrators' endpoints (see {@link Outbound}). */
@Validated
@ConfigurationProperties("chorus.integration.outbound")
record OutboundProperties(
        /** How long opening the TCP connection (and the TLS handshake's first read) may take. */
        @DefaultValue("3s") Duration connectTimeout,
        /**
         * The deadline for the whole response, headers and body, from the moment the request is
         * sent: an endpoint that trickles bytes cannot hold a worker longer than this.
         */
        @DefaultValue("10s") Duration responseTimeout,
        /** The most response body bytes kept; the rest is not read and the body is cut there. */
        @Min(0) @Max(16 * 1024 * 1024) @DefaultValue("65536") int maxResponseBytes,
        /** Plain http targets are refused unless this is set (tests against a local endpoint, closed networks). */
        @DefaultValue("false") boolean allowHttp,
        /**
         * On-premise targets that SSRF protection would refuse (an ERP inside the company network):
         * CIDRs ({@code 10.20.0.0/16}), single addresses ({@code 10.20.1.5}) or host names
         * ({@code erp.corp.example}, whatever it resolves to). Empty: only public addresses.
         */
        @DefaultValue({}) List<String> allow,
        /** Open connections kept to all integrators together, and to one of them. */
        @Min(1) @DefaultValue("64") int maxConnections,
        @Min(1) @DefaultValue("8") int maxConnectionsPerTarget) {

    OutboundProperties {
        allow = allow == null ? List.of() : List.copyOf(allow);
    }

    /** The defaults: https only, public addresses only. */
    static OutboundProperties strict() {
        return new OutboundProperties(Duration.ofSeconds(3), Duration.ofSeconds(10), 65536, false, List.of(), 64, 8);
    }
}
