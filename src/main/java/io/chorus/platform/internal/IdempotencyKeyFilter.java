package io.chorus.platform.internal;

import io.chorus.platform.Idempotency;
import io.chorus.platform.ProblemCodes;
import io.chorus.platform.internal.IdempotentRequests.Claimed;
import io.chorus.platform.internal.IdempotentRequests.HeldBy;
import io.chorus.platform.internal.IdempotentRequests.Remembered;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on every POST of the API (bots and service accounts use the same API as
 * people), once for all of them: an
 * ERP that did not hear back retries with the same key and gets the first result instead of a
 * second message or approval request.
 *
 * <p>The key is the caller's (two bots may pick the same key). The request is claimed in the
 * database before it runs, so of concurrent duplicates exactly one runs; the others wait for its
 * result and replay it. Only successful (2xx) results are remembered: a refusal may depend on
 * state that changes (the bot is added to the conversation later, a rate limit passes), so a
 * failed request releases its key and a retry runs afresh.
 *
 * <p>Runs after Spring Security, so the caller is known and unauthenticated requests never
 * claim anything.
 */
final class IdempotencyKeyFilter extends OncePerRequestFilter {

    static final String PATH_PREFIX = "/api/";

    /**
     * Creating POSTs that keep their own keys in their own transaction (a submitted approval and
     * its key commit together); the filter leaves them alone so a repeat is answered one way.
     */
    private static final java.util.Set<String> KEYED_BY_THEIR_MODULE = java.util.Set.of("/api/v1/approvals/instances");

    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyFilter.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(20);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(500);

    private final IdempotentRequests requests;
    private final IdempotencyProperties properties;
    private final Clock clock;

    IdempotencyKeyFilter(IdempotentRequests requests, IdempotencyProperties properties, Clock clock) {
        this.requests = requests;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !"POST".equals(request.getMethod()) || !path.startsWith(PATH_PREFIX)
                || KEYED_BY_THEIR_MODULE.contains(path) || request.getHeader(Idempotency.KEY_HEADER) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Principal caller = request.getUserPrincipal();
        if (caller == null) {
            chain.doFilter(request, response);
            return;
        }
        String key = request.getHeader(Idempotency.KEY_HEADER);
        if (!Idempotency.isWellFormedKey(key)) {
            EdgeProblems.write(response, 400, ProblemCodes.VALIDATION_FAILED,
                    "Idempotency-Key must be 1 to 200 visible ASCII characters.");
            return;
        }
        long maxBody = properties.maxBodySize().toBytes();
        byte[] body = request.getInputStream().readNBytes((int) maxBody + 1);
        if (body.length > maxBody) {
            EdgeProblems.write(response, 413, EdgeProblems.codeFor(413),
                    "A request with an Idempotency-Key may carry at most " + maxBody + " bytes.");
            return;
        }
        String fingerprint = fingerprint(request, body);
        HttpServletRequest rereadable = new RereadableRequest(request, body);

        long deadline = System.nanoTime() + properties.waitForConcurrent().toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            switch (requests.claim(caller.getName(), key, fingerprint, clock.instant())) {
                case Claimed claimed -> {
                    run(rereadable, response, chain, caller.getName(), key, claimed.claim());
                    return;
                }
                case HeldBy(Remembered holder) when !holder.fingerprint().equals(fingerprint) -> {
                    EdgeProblems.write(response, 409, ProblemCodes.IDEMPOTENCY_KEY_REUSED,
                            "This Idempotency-Key was used for a different request.");
                    return;
                }
                case HeldBy(Remembered holder) when holder.completed() -> {
                    replay(holder, response);
                    return;
                }
                case HeldBy running -> {
                    // The same request is running (another thread or node): wait for its result.
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        response.setHeader(HttpHeaders.RETRY_AFTER, "1");
                        EdgeProblems.write(response, 409, ProblemCodes.IDEMPOTENCY_KEY_IN_PROGRESS,
                                "A request with this Idempotency-Key is still being processed; "
                                        + "send it again later to get its result.");
                        return;
                    }
                    pauseFor(Duration.ofNanos(Math.min(left, pause.toNanos())));
                    pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                }
            }
        }
    }

    private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String caller,
            String key, UUID claim) throws ServletException, IOException {
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        boolean remembered = false;
        try {
            chain.doFilter(request, captured);
            remembered = remember(captured, caller, key, claim);
        } finally {
            if (!remembered) {
                release(caller, key, claim);
            }
        }
        captured.copyBodyToResponse();
    }

    private boolean remember(ContentCachingResponseWrapper captured, String caller, String key, UUID claim) {
        int status = captured.getStatus();
        if (status < 200 || status > 299) {
            return false;
        }
        String caching = captured.getHeader(HttpHeaders.CACHE_CONTROL);
        if (caching != null && caching.contains("no-store")) {
            // A response that carries a secret (a token, a webhook's signing secret) is shown once and
            // stored nowhere, not even here: a retry with the same key runs again and makes a new one.
            return false;
        }
        if (captured.getContentSize() > properties.maxBodySize().toBytes()) {
            log.warn("A response of {} bytes is too large to remember for its Idempotency-Key; a retry will run again",
                    captured.getContentSize());
            return false;
        }
        try {
            // False only when the claim was taken over as stale: that request's result is the one kept.
            requests.complete(caller, key, claim, status, captured.getContentType(),
                    captured.getHeader(HttpHeaders.LOCATION), captured.getContentAsByteArray());
            return true;
        } catch (RuntimeException notStored) {
            log.warn("Could not remember the result of a request with an Idempotency-Key; a retry will run again",
                    notStored);
            return false;
        }
    }

    private void release(String caller, String key, UUID claim) {
        try {
            requests.release(caller, key, claim);
        } catch (RuntimeException stuck) {
            // The claim goes stale and a retry takes it over after chorus.platform.idempotency.stale-after.
            log.warn("Could not release an Idempotency-Key claim", stuck);
        }
    }

    private static void replay(Remembered first, HttpServletResponse response) throws IOException {
        response.setStatus(first.status());
        if (first.contentType() != null) {
            response.setContentType(first.contentType());
        }
        if (first.location() != null) {
            response.setHeader(HttpHeaders.LOCATION, first.location());
        }
        response.setHeader(Idempotency.REPLAYED_HEADER, "true");
        response.setContentLength(first.body().length);
        response.getOutputStream().write(first.body());
    }

    /**
     * Method, address and body: the same key on another endpoint is another request. A JSON body
     * counts by its canonical form, so member order and spacing do not make a retry different.
     */
    private static String fingerprint(HttpServletRequest request, byte[] body) {
        String address = request.getRequestURI()
                + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        return Idempotency.sha256((request.getMethod() + "\n" + address + "\n").getBytes(StandardCharsets.UTF_8),
                canonicalBody(request.getContentType(), body));
    }

    private static byte[] canonicalBody(String contentType, byte[] body) {
        if (body.length == 0 || contentType == null || !isJson(contentType)) {
            return body;
        }
        try {
            return Idempotency.canonicalJson(JsonMapper.shared().readTree(body)).getBytes(StandardCharsets.UTF_8);
        } catch (JacksonException unreadable) {
            // The handler refuses it; compared byte for byte meanwhile.
            return body;
        }
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException unparsable) {
            return false;
        }
    }

    private static void pauseFor(Duration pause) throws IOException {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for a concurrent request with the same Idempotency-Key",
                    interrupted);
        }
    }

    /** The request with its body read once (to fingerprint it) and served again to the handler. */
    private static final class RereadableRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        RereadableRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] into, int offset, int length) {
                    return bytes.read(into, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("The body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }
}
