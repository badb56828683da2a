package io.chorus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart in helm/chorus, linted and rendered by an embedded Helm 3, offline. */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "chorus");

    private static String render(String... keysAndValues) {
        var template = new Helm(CHART).template().withName("acme");
        template.set("database.url", "jdbc:postgresql://db:5432/chorus")
                .set("database.existingSecret", "chorus-db")
                .set("oidc.issuerUri", "https://keycloak.example/realms/acme");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            template.set(keysAndValues[i], keysAndValues[i + 1]);
        }
        return template.call();
    }

    @Test
    void chartPassesStrictLint() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void deploymentUsesTheRealIssuerAndDatabaseAndNeverLocalMode() {
        String manifests = render("chat.allowedOrigins[0]", "https://chat.example.com");
        assertThat(manifests)
                .contains("kind: Deployment", "kind: Service")
                .contains("value: \"https://keycloak.example/realms/acme\"")
                .contains("value: \"jdbc:postgresql://db:5432/chorus\"")
                .contains("name: chorus-db")
                .contains("value: \"https://chat.example.com\"")
                .contains("path: /actuator/health/readiness", "path: /actuator/health/liveness")
                .doesNotContain("local");
    }

    @Test
    void theAuditSigningKeyComesFromASecretWhenOneIsNamed() {
        assertThat(render()).doesNotContain("CHORUS_AUDIT_SIGNING_KEY");
        assertThat(render("audit.signingKeySecret", "chorus-audit"))
                .contains("name: CHORUS_AUDIT_SIGNING_KEY", "name: chorus-audit", "key: signing-key");
    }

    @Test
    void searchRunsOnPostgresUnlessAnElasticsearchClusterIsNamed() {
        assertThat(render()).contains("name: CHORUS_SEARCH_ENGINE", "value: \"postgres\"")
                .doesNotContain("SPRING_ELASTICSEARCH_URIS");
        assertThat(render("search.engine", "elasticsearch", "search.elasticsearch.uris", "http://es:9200",
                "search.elasticsearch.username", "chorus", "search.elasticsearch.existingSecret", "chorus-es"))
                .contains("value: \"elasticsearch\"", "name: SPRING_ELASTICSEARCH_URIS", "value: \"http://es:9200\"",
                        "name: SPRING_ELASTICSEARCH_PASSWORD", "name: chorus-es");
        assertThatThrownBy(() -> render("search.engine", "elasticsearch"))
                .hasMessageContaining("search.elasticsearch.uris is required");
    }

    @Test
    void refusesToRenderWithoutAnIssuer() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("acme")
                .set("database.url", "jdbc:postgresql://db:5432/chorus")
                .set("database.existingSecret", "chorus-db").call())
                .hasMessageContaining("oidc.issuerUri is required");
    }

    @Test
    void refusesASecondReplicaUntilLiveEventsCrossNodes() {
        assertThatThrownBy(() -> render("replicaCount", "2")).hasMessageContaining("broker relay");
    }
}
