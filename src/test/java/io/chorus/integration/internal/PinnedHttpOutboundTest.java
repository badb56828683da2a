package io.chorus.integration.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client against a real local endpoint; names resolve through a table the test owns. */
class PinnedHttpOutboundTest {

    private static final byte[] BODY = "{\"type\":\"message.posted\",\"id\":\"m-1\"}".getBytes(StandardCharsets.UTF_8);

    private final WireMockServer endpoint = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    private final Map<String, InetAddress[]> dns = new ConcurrentHashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final HostResolver resolver = host -> {
        lookups.incrementAndGet();
        InetAddress[] addresses = dns.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    };
    private PinnedHttpOutbound outbound;

    @BeforeEach
    void start() throws Exception {
        endpoint.start();
        endpoint.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("{\"ok\":true}")));
        dns.put("internal.example.test", new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        dns.put("hooks.example.test", new InetAddress[] {InetAddress.getByName("127.0.0.1")});
    }

    @AfterEach
    void stop() {
        if (outbound != null) {
            outbound.close();
        }
        endpoint.stop();
    }

    /** http allowed (WireMock speaks it), addresses as strict as the defaults: refusals come from the address. */
    private PinnedHttpOutbound strictAddresses() {
        return client(properties(true, List.of(), Duration.ofSeconds(10), 65536));
    }

    private PinnedHttpOutbound onPremise(Duration responseTimeout, int maxResponseBytes) {
        return client(properties(true, List.of("127.0.0.1/32"), responseTimeout, maxResponseBytes));
    }

    private PinnedHttpOutbound client(IntegrationProperties.OutboundCalls properties) {
        outbound = new PinnedHttpOutbound(properties, resolver);
        return outbound;
    }

    private static IntegrationProperties.OutboundCalls properties(boolean allowHttp, List<String> allow, Duration responseTimeout,
            int maxResponseBytes) {
        return new IntegrationProperties.OutboundCalls(Duration.ofSeconds(3), responseTimeout, maxResponseBytes, allowHttp, allow, 8, 4);
    }

    private URI url(String host, String path) {
        return URI.create("http://" + host + ":" + endpoint.port() + path);
    }

    @Test
    void aNameResolvingToLoopbackIsRefusedAndNothingIsSent() {
        Outbound.Result result = strictAddresses().post(url("internal.example.test", "/hook"), Map.of(), BODY);

        assertThat(result.refused()).isTrue();
        assertThat(result.status()).isZero();
        assertThat(result.error()).startsWith(Outbound.REFUSED).contains("not a public address");
        assertThat(endpoint.getAllServeEvents()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://2130706433/", "http://0177.0.0.1/", "http://0x7f.1/", "http://127.1/",
            "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data", "http://[fd00:ec2::254]/",
            "http://10.0.0.1/", "http://0.0.0.0/", "http://0.0.0.0:PORT/hook", "http://127.0.0.1:PORT/hook",
            "http://[::1]:PORT/hook", "http://localhost:PORT/hook", "https://192.168.0.10/", "https://[fe80::1]/",
            "http://[::]/", "http://255.255.255.255/", "http://100.64.0.1/", "http://224.0.0.1/"})
    void refusedTargets(String target) throws Exception {
        dns.put("localhost", new InetAddress[] {InetAddress.getByName("127.0.0.1")});
        URI uri = URI.create(target.replace("PORT", Integer.toString(endpoint.port())));

        Outbound.Result result = strictAddresses().post(uri, Map.of(), BODY);

        assertThat(result.refused()).as(result.error()).isTrue();
        assertThat(result.status()).isZero();
        assertThat(endpoint.getAllServeEvents()).isEmpty();
    }

    @Test
    void aRedirectToTheMetadataServiceIsNotFollowed() {
        endpoint.stubFor(post(urlEqualTo("/moved")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://169.254.169.254/latest/meta-data/iam/security-credentials/")));

        Outbound.Result result = onPremise(Duration.ofSeconds(10), 65536)
                .post(url("hooks.example.test", "/moved"), Map.of(), BODY);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.status()).isEqualTo(302);
        assertThat(result.error()).contains("redirect not followed");
        assertThat(lookups).hasValue(1);
        assertThat(endpoint.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aRedirectIsNotFollowedEvenToAnAllowedEndpoint() {
        WireMockServer elsewhere = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        elsewhere.start();
        try {
            elsewhere.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
            endpoint.stubFor(post(urlEqualTo("/moved")).willReturn(aResponse().withStatus(307)
                    .withHeader("Location", "http://127.0.0.1:" + elsewhere.port() + "/hook")));

            Outbound.Result result = onPremise(Duration.ofSeconds(10), 65536)
                    .post(url("hooks.example.test", "/moved"), Map.of(), BODY);

            assertThat(result.status()).isEqualTo(307);
            assertThat(result.succeeded()).isFalse();
            assertThat(elsewhere.getAllServeEvents()).isEmpty();
        } finally {
            elsewhere.stop();
        }
    }

    @Test
    void anAllowListedTargetReceivesTheOriginalHostHeaderAndTheBody() {
        Outbound.Result result = onPremise(Duration.ofSeconds(10), 65536).post(url("hooks.example.test", "/hook"),
                Map.of("webhook-id", "msg_1", "Host", "metadata.google.internal"), BODY);

        assertThat(result.succeeded()).as(result.error()).isTrue();
        assertThat(result.error()).isNull();
        assertThat(new String(result.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        endpoint.verify(1, postRequestedFor(urlEqualTo("/hook"))
                .withHeader("Host", equalTo("hooks.example.test:" + endpoint.port()))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withHeader("webhook-id", equalTo("msg_1"))
                .withRequestBody(equalToJson(new String(BODY, StandardCharsets.UTF_8))));
    }

    @Test
    void eachRequestLooksTheNameUpOnceAndTheClientNeverAgain() {
        // The client's own DNS resolver refuses every name: had it tried to resolve
        // hooks.example.test itself, these requests would fail.
        PinnedHttpOutbound client = onPremise(Duration.ofSeconds(10), 65536);

        assertThat(client.post(url("hooks.example.test", "/hook"), Map.of(), BODY).succeeded()).isTrue();
        assertThat(lookups).hasValue(1);
        assertThat(client.post(url("hooks.example.test", "/hook"), Map.of(), BODY).succeeded()).isTrue();
        assertThat(lookups).hasValue(2);
        assertThat(endpoint.getAllServeEvents()).hasSize(2);
    }

    @Test
    void aNameWithOnePrivateAmongItsAddressesIsRefused() throws Exception {
        dns.put("mixed.example.test", new InetAddress[] {InetAddress.getByName("8.8.8.8"),
                InetAddress.getByName("10.1.2.3")});

        Outbound.Result result = strictAddresses().post(URI.create("https://mixed.example.test/hook"), Map.of(), BODY);

        assertThat(result.refused()).isTrue();
    }

    @Test
    void aSlowEndpointEndsInATimeoutNotAHungWorker() {
        endpoint.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));

        Outbound.Result result = onPremise(Duration.ofMillis(500), 65536)
                .post(url("hooks.example.test", "/slow"), Map.of(), BODY);

        assertThat(result.status()).isZero();
        assertThat(result.refused()).isFalse();
        assertThat(result.error()).startsWith("timeout");
    }

    @Test
    void anEndpointTricklingItsBodyIsCutOffAtTheDeadline() {
        // Each chunk comes well within the per-read timeout; only the deadline for the whole response ends it.
        endpoint.stubFor(post(urlEqualTo("/trickle")).willReturn(aResponse().withStatus(200)
                .withBody("x".repeat(40)).withChunkedDribbleDelay(40, 8_000)));

        Outbound.Result result = onPremise(Duration.ofMillis(1_000), 65536)
                .post(url("hooks.example.test", "/trickle"), Map.of(), BODY);

        assertThat(result.status()).isZero();
        assertThat(result.error()).startsWith("timeout: no complete response within");
    }

    @Test
    void aConnectionResetIsAFailedResultNotAnException() {
        endpoint.stubFor(post(urlEqualTo("/reset")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Outbound.Result result = onPremise(Duration.ofSeconds(10), 65536)
                .post(url("hooks.example.test", "/reset"), Map.of(), BODY);

        assertThat(result.status()).isZero();
        assertThat(result.refused()).isFalse();
        assertThat(result.error()).isNotBlank();
    }

    @Test
    void aHugeResponseBodyIsCutAtTheCap() {
        byte[] huge = new byte[4 * 1024 * 1024];
        Arrays.fill(huge, (byte) 'a');
        huge[0] = 'b';
        endpoint.stubFor(post(urlEqualTo("/huge")).willReturn(aResponse().withStatus(200).withBody(huge)));

        Outbound.Result result = onPremise(Duration.ofSeconds(10), 1024)
                .post(url("hooks.example.test", "/huge"), Map.of(), BODY);

        assertThat(result.status()).as(result.error()).isEqualTo(200);
        assertThat(result.body()).hasSize(1024).isEqualTo(Arrays.copyOf(huge, 1024));
    }

    @Test
    void plainHttpIsRefusedUnlessAllowed() {
        Outbound.Result result = client(IntegrationProperties.OutboundCalls.strict()).post(url("hooks.example.test", "/hook"), Map.of(), BODY);

        assertThat(result.refused()).isTrue();
        assertThat(result.error()).contains("scheme http");
        assertThat(lookups).hasValue(0);
        assertThat(endpoint.getAllServeEvents()).isEmpty();
    }

    @Test
    void anUnknownHostIsAFailureButNotARefusal() {
        Outbound.Result result = strictAddresses().post(URI.create("https://nowhere.example.test/hook"), Map.of(), BODY);

        assertThat(result.status()).isZero();
        assertThat(result.refused()).isFalse();
        assertThat(result.error()).isEqualTo("unknown host");
    }
}
