package io.chorus.integration.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * {@link Outbound} over Apache HttpClient, pinned: the host is resolved here, once, every address
 * checked by the {@link AddressPolicy}, and the request goes to an {@link HttpHost} carrying the
 * checked address, which the client connects to as it is (its own DNS resolver refuses to work, so
 * it cannot look the name up again and be rebound elsewhere). The original host name still travels
 * in the Host header and serves TLS SNI and certificate verification.
 *
 * <p>Redirects are never followed: a 3xx is returned as what it is, a failure with the status and
 * an error saying so; the integrator fixes its URL. No proxy is used (a proxy would resolve the name
 * itself), no retries (the callers own retries), no cookies, no content decoding (the cap counts the
 * bytes that arrive).
 */
@Component
class PinnedHttpOutbound implements Outbound, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PinnedHttpOutbound.class);

    /** Headers the client sets itself; a caller's copy would contradict the pinned target or the body. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "expect", "upgrade", "te", "trailer", "keep-alive", "proxy-connection");

    private final IntegrationProperties.OutboundCalls properties;
    private final AddressPolicy policy;
    private final HostResolver resolver;
    private final CloseableHttpClient client;
    private final ScheduledExecutorService deadlines;

    @Autowired
    PinnedHttpOutbound(IntegrationProperties properties) {
        this(properties.outbound(), HostResolver.SYSTEM);
    }

    PinnedHttpOutbound(IntegrationProperties.OutboundCalls properties, HostResolver resolver) {
        this.properties = properties;
        this.policy = new AddressPolicy(properties.allow());
        this.resolver = resolver;
        DnsResolver noLookups = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                throw new UnknownHostException("outbound calls connect to checked addresses only: " + host);
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                throw new UnknownHostException(host);
            }
        };
        Timeout readTimeout = Timeout.of(properties.responseTimeout());
        this.client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(noLookups)
                        .setTlsSocketStrategy(DefaultClientTlsStrategy.createDefault())
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.of(properties.connectTimeout()))
                                .setSocketTimeout(readTimeout)
                                .setTimeToLive(TimeValue.ofMinutes(5))
                                .build())
                        .setMaxConnTotal(properties.maxConnections())
                        .setMaxConnPerRoute(properties.maxConnectionsPerTarget())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(Timeout.of(properties.connectTimeout()))
                        .setResponseTimeout(readTimeout)
                        .setRedirectsEnabled(false)
                        .build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .evictIdleConnections(TimeValue.ofSeconds(30))
                .setUserAgent("Chorus")
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("outbound-deadlines").factory());
    }

    @Override
    public Result post(URI target, Map<String, String> headers, byte[] jsonBody) {
        long start = System.nanoTime();
        Pinned pinned;
        try {
            pinned = pin(target);
        } catch (Refused e) {
            log.info("Outbound call to {} refused: {}", safeHost(target), e.getMessage());
            return new Result(0, new byte[0], elapsed(start), REFUSED + ": " + e.getMessage());
        } catch (UnknownHostException e) {
            return new Result(0, new byte[0], elapsed(start), "unknown host");
        }
        return send(pinned, target, headers, jsonBody, start);
    }

    /** The target's scheme, host and port, with the one checked address the connection goes to. */
    private record Pinned(HttpHost host) {
    }

    private static final class Refused extends Exception {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private Pinned pin(URI target) throws Refused, UnknownHostException {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && properties.allowHttp())) {
            throw new Refused("scheme " + (scheme.isEmpty() ? "missing" : scheme) + " not allowed");
        }
        if (!target.isAbsolute() || target.isOpaque() || target.getHost() == null) {
            throw new Refused("no host");
        }
        if (target.getRawUserInfo() != null) {
            throw new Refused("credentials in the URL");
        }
        String host = target.getHost().toLowerCase(Locale.ROOT);
        int port = target.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : target.getPort();
        InetAddress[] addresses;
        try {
            InetAddress literal = AddressPolicy.literal(host);
            if (literal != null) {
                addresses = new InetAddress[] {literal};
            } else {
                String refusal = AddressPolicy.hostNameRefusal(host);
                if (refusal != null) {
                    throw new Refused(refusal);
                }
                addresses = resolver.resolve(host);
            }
        } catch (IllegalArgumentException e) {
            throw new Refused(e.getMessage());
        }
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        // Every address must pass, not just the one we would pick: a name that also points inside is
        // an attempt (or a misconfiguration) we want the integrator to see, not a coin toss.
        for (InetAddress address : addresses) {
            String refusal = policy.addressRefusal(host, address);
            if (refusal != null) {
                throw new Refused(refusal);
            }
        }
        String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return new Pinned(new HttpHost(scheme, addresses[0], name, port));
    }

    private Result send(Pinned pinned, URI target, Map<String, String> headers, byte[] jsonBody, long start) {
        HttpPost request = new HttpPost(target);
        headers.forEach((name, value) -> {
            if (!RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                request.setHeader(name, value);
            }
        });
        request.setEntity(new ByteArrayEntity(jsonBody, ContentType.APPLICATION_JSON));
        AtomicBoolean pastDeadline = new AtomicBoolean();
        // The socket timeout bounds each read; this bounds them all together, body included.
        ScheduledFuture<?> deadline = deadlines.schedule(() -> {
            pastDeadline.set(true);
            request.cancel();
        }, properties.responseTimeout().toNanos(), TimeUnit.NANOSECONDS);
        ClassicHttpResponse response = null;
        try {
            response = client.executeOpen(pinned.host(), request, null);
            int status = response.getCode();
            byte[] body = read(response.getEntity(), request);
            String error = status >= 300 && status < 400 ? "redirect not followed (" + status + ")" : null;
            return new Result(status, body, elapsed(start), error);
        } catch (IOException | RuntimeException e) {
            String error = pastDeadline.get()
                    ? "timeout: no complete response within " + properties.responseTimeout().toMillis() + " ms"
                    : describe(e);
            log.info("Outbound call to {} failed: {}", pinned.host().getHostName(), error);
            return new Result(0, new byte[0], elapsed(start), error);
        } finally {
            deadline.cancel(false);
            closeQuietly(response);
        }
    }

    /** The response is complete or given up by now; a cancelled one complains about being closed. */
    private static void closeQuietly(ClassicHttpResponse response) {
        if (response == null) {
            return;
        }
        try {
            response.close();
        } catch (IOException | RuntimeException e) {
            log.debug("Closing a cancelled outbound response: {}", e.toString());
        }
    }

    /**
     * The body up to the cap. Past it the request is cancelled, which drops the connection: closing
     * the stream normally would read the rest to keep the connection reusable.
     */
    private byte[] read(HttpEntity entity, HttpPost request) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        InputStream in = entity.getContent();
        byte[] body = in.readNBytes(properties.maxResponseBytes());
        if (in.read() != -1) {
            request.cancel();
        }
        return body;
    }

    private String describe(Exception e) {
        return switch (e) {
            case ConnectTimeoutException c -> "timeout: connect";
            case SocketTimeoutException s -> "timeout: nothing received for " + properties.responseTimeout().toMillis() + " ms";
            case ConnectException c -> "connection refused";
            case NoHttpResponseException n -> "no response";
            case SSLException s -> "TLS: " + s.getMessage();
            case SocketException s when s.getMessage() != null && s.getMessage().contains("reset") -> "connection reset";
            case InterruptedIOException i -> "interrupted";
            default -> "I/O error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }

    /** For logs: never the path or query, where integrators put tokens. */
    private static String safeHost(URI target) {
        return String.valueOf(target.getHost());
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        client.close(CloseMode.GRACEFUL);
    }
}
