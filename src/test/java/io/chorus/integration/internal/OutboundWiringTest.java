package io.chorus.integration.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.chorus.support.ChorusIntegrationTest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The application's Outbound as the test profile configures it: plain http to this machine
 * allowed (other tests' WireMock integrators rely on it), the metadata service still refused.
 */
@ChorusIntegrationTest
class OutboundWiringTest {

    @Autowired
    Outbound outbound;

    @Test
    void theTestProfileReachesALocalEndpointAndNothingInternalElse() {
        WireMockServer endpoint = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        endpoint.start();
        try {
            endpoint.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(204)));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

            Outbound.Result local = outbound.post(URI.create("http://127.0.0.1:" + endpoint.port() + "/hook"),
                    Map.of(), body);
            Outbound.Result metadata = outbound.post(URI.create("http://169.254.169.254/latest/meta-data"),
                    Map.of(), body);
            Outbound.Result privateNetwork = outbound.post(URI.create("http://10.0.0.1/hook"), Map.of(), body);

            assertThat(local.status()).as(local.error()).isEqualTo(204);
            endpoint.verify(1, postRequestedFor(urlEqualTo("/hook")));
            assertThat(metadata.refused()).isTrue();
            assertThat(privateNetwork.refused()).isTrue();
        } finally {
            endpoint.stop();
        }
    }
}
