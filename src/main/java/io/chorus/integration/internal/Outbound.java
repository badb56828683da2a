package io.chorus.integration.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Every HTTP request Chorus makes to an integrator's endpoint (event deliveries, slash commands,
 * card actions) goes through here: HTTPS only unless allowed, the host resolved once and the
 * connection pinned to that address, private/loopback/link-local/metadata targets refused
 * unless on the allow-list, redirects never followed blindly, connect and read timeouts, and a
 * bounded response body. A slow or hostile endpoint cannot hold a worker or reach inside.
 */
public interface Outbound {

    /** Sends a POST with a JSON body; never throws for the endpoint's own failures. */
    Result post(URI target, Map<String, String> headers, byte[] jsonBody);

    /**
     * What came of a request.
     *
     * @param status the HTTP status, or 0 when no response came (refused target, timeout, reset)
     * @param body the response body, cut at the configured limit (empty when none)
     * @param error why there was no usable response, or null: {@code TARGET_REFUSED: ...} for an
     *     address SSRF protection refused, else a short description (timeout, connection reset)
     */
    record Result(int status, byte[] body, Duration latency, String error) {

        public boolean succeeded() {
            return status >= 200 && status < 300;
        }

        /** True when the target itself was refused (never retried: it will not become allowed). */
        public boolean refused() {
            return error != null && error.startsWith(REFUSED);
        }
    }

    String REFUSED = "TARGET_REFUSED";
}
