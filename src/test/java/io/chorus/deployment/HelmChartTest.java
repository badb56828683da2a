package io.chorus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.Release;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart in helm/chorus, linted and rendered by an embedded Helm 3, offline. Each value set is a
 * file in helm/chorus/ci; the rendered objects are read back as YAML and checked field by field.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm", "chorus");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Manifests render(String valueSet, String... keysAndValues) {
        var template = new Helm(CHART).template().withName("acme").withNamespace("chat")
                .withValuesFile(CHART.resolve("ci").resolve(valueSet + "-values.yaml"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            template.set(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Manifests.parse(template.call());
    }

    @Test
    void chartPassesStrictLint() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    /** Lint sees only values.yaml: a copy of the chart whose values.yaml has every part switched on. */
    @Test
    void chartWithEverythingOnPassesStrictLint(@TempDir Path copy) throws IOException {
        try (var files = Files.walk(CHART)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(CHART.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        JsonNode merged = merge(YAML.readTree(CHART.resolve("values.yaml").toFile()),
                YAML.readTree(CHART.resolve("ci/everything-on-values.yaml").toFile()));
        YAML.writeValue(copy.resolve("values.yaml").toFile(), merged);

        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void defaultsRenderOnePodWithTheRestrictedSecurityLevelAndNoOptionalObjects() {
        Manifests manifests = render("defaults");
        assertThat(manifests.kinds()).containsExactlyInAnyOrder(
                "ServiceAccount", "Service", "Deployment", "PodDisruptionBudget", "NetworkPolicy");

        JsonNode deployment = manifests.one("Deployment");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxUnavailable").asInt()).isZero();
        assertThat(deployment.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(1);

        JsonNode pod = deployment.at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/runAsUser").asInt()).isEqualTo(10001);
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.at("/automountServiceAccountToken").isBoolean()).isTrue();
        assertThat(pod.at("/automountServiceAccountToken").asBoolean()).isFalse();
        assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("acme-chorus");
        assertThat(manifests.one("ServiceAccount").at("/automountServiceAccountToken").asBoolean(true)).isFalse();

        JsonNode container = manifests.container();
        JsonNode security = container.at("/securityContext");
        assertThat(security.at("/allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(security.at("/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(security.at("/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.at("/runAsNonRoot").asBoolean()).isTrue();
        assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(security.at("/capabilities/add").isMissingNode()).isTrue();
        assertThat(security.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(pod.at("/volumes/0/name").asText()).isEqualTo(container.at("/volumeMounts/0/name").asText());
        assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();

        assertThat(ports(container)).containsExactly(Map.entry("http", 8080), Map.entry("management", 9090));
        assertThat(manifests.one("Service").at("/spec/ports").findValuesAsText("name"))
                .containsExactly("http", "management");

        Map<String, JsonNode> env = manifests.env();
        assertThat(env.get("CHORUS_DB_URL").get("value").asText()).isEqualTo("jdbc:postgresql://db:5432/chorus");
        assertThat(env.get("CHORUS_ISSUER_URI").get("value").asText())
                .isEqualTo("https://keycloak.example/realms/acme");
        assertThat(env.get("CHORUS_MANAGEMENT_PORT").get("value").asText()).isEqualTo("9090");
        assertThat(env.get("CHORUS_LOG_FORMAT").get("value").asText()).isEqualTo("ecs");
        assertThat(env.get("CHORUS_SEARCH_ENGINE").get("value").asText()).isEqualTo("postgres");
        assertThat(env.get("JAVA_TOOL_OPTIONS").get("value").asText()).contains("MaxRAMPercentage");
        assertThat(env).doesNotContainKeys("CHORUS_AUDIT_SIGNING_KEY", "CHORUS_AUDIT_TRUSTED_PUBLIC_KEYS",
                "CHORUS_AUDIT_RETENTION", "SPRING_FLYWAY_USER", "CHORUS_SYNC_ENABLED", "SPRING_ELASTICSEARCH_URIS",
                "CHORUS_CHAT_BROKER_RELAY_ENABLED", "CHORUS_INTEGRATION_COMMANDS_PUBLICBASEURL");
        assertThat(container.has("envFrom")).isFalse();
        assertThat(manifests.text()).doesNotContain("local");
    }

    @Test
    void probesUseTheManagementPortAndLivenessWaitsForAStartOfThreeMinutes() {
        JsonNode container = render("defaults").container();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(container.at("/" + probe + "/httpGet/port").asText()).as(probe).isEqualTo("management");
        }
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/liveness");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/actuator/health/readiness");

        // Starts of up to 72 s were seen; liveness counts only once the startup probe has passed.
        JsonNode startup = container.at("/startupProbe");
        assertThat(startup.get("failureThreshold").asInt() * startup.get("periodSeconds").asInt())
                .isGreaterThanOrEqualTo(180);
        assertThat(container.at("/livenessProbe/initialDelaySeconds").isMissingNode()).isTrue();
    }

    @Test
    void aStoppingPodLeavesTheEndpointsFirstAndHasTimeForTheGracefulStop() {
        Manifests manifests = render("defaults");
        int sleep = manifests.container().at("/lifecycle/preStop/sleep/seconds").asInt();
        int grace = manifests.one("Deployment").at("/spec/template/spec/terminationGracePeriodSeconds").asInt();
        assertThat(sleep).isEqualTo(5);
        assertThat(grace).isGreaterThanOrEqualTo(sleep + 20);

        assertThat(render("defaults", "preStopSleepSeconds", "0").container().has("lifecycle")).isFalse();
        assertThatThrownBy(() -> render("defaults", "terminationGracePeriodSeconds", "15"))
                .hasMessageContaining("terminationGracePeriodSeconds (15) must cover");
    }

    @Test
    void everythingOnRendersIngressAutoscalerServiceMonitorAndEverySetting() {
        Manifests manifests = render("everything-on");
        assertThat(manifests.kinds()).containsExactlyInAnyOrder("ServiceAccount", "Service", "Deployment",
                "PodDisruptionBudget", "NetworkPolicy", "Ingress", "Ingress", "HorizontalPodAutoscaler",
                "ServiceMonitor");

        // The autoscaler owns the replica count.
        assertThat(manifests.one("Deployment").at("/spec/replicas").isMissingNode()).isTrue();
        JsonNode hpa = manifests.one("HorizontalPodAutoscaler");
        assertThat(hpa.get("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("acme-chorus");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(3);
        assertThat(hpa.at("/spec/maxReplicas").asInt()).isEqualTo(8);

        JsonNode monitor = manifests.one("ServiceMonitor");
        assertThat(monitor.get("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("management");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/actuator/prometheus");
        JsonNode serviceLabels = manifests.one("Service").at("/metadata/labels");
        assertThat(monitor.at("/spec/selector/matchLabels").properties()).isNotEmpty().allSatisfy(label ->
                assertThat(serviceLabels.get(label.getKey())).as(label.getKey()).isEqualTo(label.getValue()));

        Map<String, JsonNode> env = manifests.env();
        assertThat(value(env, "SPRING_FLYWAY_USER")).isEqualTo("chorus_owner");
        assertThat(value(env, "CHORUS_SYNC_ENABLED")).isEqualTo("true");
        assertThat(value(env, "CHORUS_KEYCLOAK_URL")).isEqualTo("https://keycloak.example");
        assertThat(value(env, "CHORUS_KEYCLOAK_REALM")).isEqualTo("acme");
        assertThat(value(env, "CHORUS_SYNC_CLIENT_ID")).isEqualTo("chorus-sync");
        assertThat(value(env, "CHORUS_SYNC_INTERVAL")).isEqualTo("5m");
        assertThat(value(env, "CHORUS_CHAT_STOMP_ALLOWEDORIGINS"))
                .isEqualTo("https://chat.example.com,https://admin.example.com");
        assertThat(value(env, "CHORUS_AUDIT_TRUSTED_PUBLIC_KEYS")).isEqualTo(
                "MCowBQYDK2VwAyEALIDMvrIZ75dQIsfGZSbN3jxQgytYkd62heEvRThN47Q=,"
                        + "MCowBQYDK2VwAyEA96tQIs7DRliRNNexIhqDXQVCRd62suQU2cYA9TvCBZI=");
        assertThat(value(env, "CHORUS_AUDIT_CHECKPOINT_INTERVAL")).isEqualTo("30m");
        assertThat(value(env, "CHORUS_AUDIT_RETENTION")).isEqualTo("3650d");
        assertThat(env).doesNotContainKey("CHORUS_LOG_FORMAT");
        assertThat(value(env, "CHORUS_CHAT_BROKER_RELAY_HOST")).isEqualTo("artemis.messaging.svc");
        assertThat(value(env, "CHORUS_CHAT_BROKER_RELAY_LOGIN")).isEqualTo("chorus");
        assertThat(value(env, "CHORUS_CHAT_BROKER_RELAY_VIRTUALHOST")).isEqualTo("chorus");
        assertThat(value(env, "CHORUS_INTEGRATION_COMMANDS_PUBLICBASEURL")).isEqualTo("https://chat-api.example.com");
        assertThat(value(env, "CHORUS_CHAT_RECALLWINDOW")).isEqualTo("5m");
        assertThat(manifests.container().at("/envFrom/0/secretRef/name").asText()).isEqualTo("chorus-extra");
        assertThat(manifests.one("Deployment").at("/spec/template/metadata/annotations/example.com~1team").asText())
                .isEqualTo("collaboration");
    }

    @Test
    void theWebSocketPathHasAnIngressOfItsOwnWithLongTimeouts() {
        Manifests manifests = render("everything-on");
        JsonNode api = manifests.named("Ingress", "acme-chorus");
        JsonNode ws = manifests.named("Ingress", "acme-chorus-ws");

        for (JsonNode ingress : List.of(api, ws)) {
            assertThat(ingress.at("/spec/ingressClassName").asText()).isEqualTo("nginx");
            assertThat(ingress.at("/spec/tls/0/secretName").asText()).isEqualTo("acme-chorus-tls");
            assertThat(texts(ingress.at("/spec/tls/0/hosts"))).containsExactly("chat-api.example.com");
            assertThat(ingress.at("/spec/rules/0/host").asText()).isEqualTo("chat-api.example.com");
            assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/port/name").asText()).isEqualTo("http");
            assertThat(ingress.at("/metadata/annotations/cert-manager.io~1cluster-issuer").asText())
                    .isEqualTo("letsencrypt");
        }
        assertThat(api.at("/spec/rules/0/http/paths/0/path").asText()).isEqualTo("/");
        assertThat(ws.at("/spec/rules/0/http/paths/0/path").asText()).isEqualTo("/ws");
        assertThat(ws.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").asText())
                .isEqualTo("3600");
        assertThat(ws.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-send-timeout").asText())
                .isEqualTo("3600");
        assertThat(api.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-read-timeout").isMissingNode())
                .isTrue();

        JsonNode plain = render("everything-on", "ingress.className", "haproxy", "ingress.tls.enabled", "false")
                .named("Ingress", "acme-chorus-ws");
        assertThat(plain.at("/spec/ingressClassName").asText()).isEqualTo("haproxy");
        assertThat(plain.at("/spec/tls").isMissingNode()).isTrue();
        assertThatThrownBy(() -> render("defaults", "ingress.enabled", "true")).hasMessageContaining("host");
    }

    @Test
    void elasticsearchAndTheBrokerRelayRunTwoPods() {
        Manifests manifests = render("elasticsearch-relay");
        assertThat(manifests.one("Deployment").at("/spec/replicas").asInt()).isEqualTo(2);

        Map<String, JsonNode> env = manifests.env();
        assertThat(value(env, "CHORUS_SEARCH_ENGINE")).isEqualTo("elasticsearch");
        assertThat(value(env, "SPRING_ELASTICSEARCH_URIS")).isEqualTo("http://elasticsearch:9200");
        assertThat(value(env, "CHORUS_CHAT_BROKER_RELAY_ENABLED")).isEqualTo("true");
        assertThat(value(env, "CHORUS_CHAT_BROKER_RELAY_HOST")).isEqualTo("artemis");
        assertThat(value(env, "CHORUS_CHAT_BROKER_RELAY_PORT")).isEqualTo("61616");
        // Without a login the broker takes anonymous connections, and there is no passcode to reference.
        assertThat(env).doesNotContainKeys("CHORUS_CHAT_BROKER_RELAY_LOGIN", "CHORUS_CHAT_BROKER_RELAY_PASSCODE",
                "SPRING_ELASTICSEARCH_USERNAME", "SPRING_ELASTICSEARCH_PASSWORD");

        assertThat(egressPorts(manifests)).contains(9200, 61616);
        assertThat(egressPorts(render("defaults"))).doesNotContain(9200, 61613, 61616);
    }

    @Test
    void everySecretIsReferencedByNameAndKeyAndNoneIsRendered() {
        Manifests manifests = render("existing-secrets");
        assertThat(manifests.kinds()).doesNotContain("Secret");
        Map<String, JsonNode> env = manifests.env();
        assertThat(secretRef(env, "CHORUS_DB_PASSWORD")).isEqualTo("db-app/app-password");
        assertThat(secretRef(env, "SPRING_FLYWAY_PASSWORD")).isEqualTo("db-owner/owner-password");
        assertThat(secretRef(env, "CHORUS_SYNC_CLIENT_SECRET")).isEqualTo("keycloak-sync/secret");
        assertThat(secretRef(env, "CHORUS_AUDIT_SIGNING_KEY")).isEqualTo("audit-key/ed25519");
        assertThat(secretRef(env, "SPRING_ELASTICSEARCH_PASSWORD")).isEqualTo("es-credentials/es-password");
        assertThat(secretRef(env, "CHORUS_CHAT_BROKER_RELAY_PASSCODE")).isEqualTo("broker-credentials/stomp-passcode");
        assertThat(value(env, "SPRING_FLYWAY_USER")).isEqualTo("chorus_owner");
        assertThat(value(env, "SPRING_ELASTICSEARCH_USERNAME")).isEqualTo("chorus");
    }

    @Test
    void theNetworkPolicyAdmitsTheIngressControllerAndTheScraperOnly() {
        JsonNode policy = render("everything-on").one("NetworkPolicy");
        assertThat(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1instance").asText()).isEqualTo("acme");
        assertThat(texts(policy.at("/spec/policyTypes"))).containsExactly("Ingress", "Egress");

        JsonNode http = policy.at("/spec/ingress/0");
        assertThat(http.at("/ports/0/port").asText()).isEqualTo("http");
        assertThat(http.at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("ingress-nginx");
        assertThat(http.at("/from/1/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("erp");
        JsonNode management = policy.at("/spec/ingress/1");
        assertThat(management.at("/ports/0/port").asText()).isEqualTo("management");
        assertThat(management.at("/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText())
                .isEqualTo("monitoring");
        assertThat(policy.at("/spec/ingress")).hasSize(2);

        // Each egress rule names its ports; the database's is narrowed to the configured peers.
        JsonNode egress = policy.at("/spec/egress");
        assertThat(egress).allSatisfy(rule -> assertThat(rule.at("/ports").size()).isPositive());
        JsonNode database = StreamSupport.stream(egress.spliterator(), false)
                .filter(rule -> rule.at("/ports/0/port").asInt() == 5432).findFirst().orElseThrow();
        assertThat(database.at("/to/0/ipBlock/cidr").asText()).isEqualTo("10.40.0.0/16");
        assertThat(egressPorts(render("defaults"))).containsExactlyInAnyOrder(53, 53, 5432, 443, 8080, 8443, 443);

        assertThat(render("defaults", "networkPolicy.enabled", "false").kinds()).doesNotContain("NetworkPolicy");
    }

    @Test
    void theValuesSchemaRefusesTyposAndIncompletePairs() {
        assertThatThrownBy(() -> render("defaults", "search.engine", "elastic"))
                .hasMessageContaining("search.engine").hasMessageContaining("postgres");
        assertThatThrownBy(() -> render("defaults", "serach.engine", "postgres"))
                .hasMessageContaining("serach");
        assertThatThrownBy(() -> render("defaults", "ingress.hostname", "chat.example.com"))
                .hasMessageContaining("hostname");
        assertThatThrownBy(() -> render("defaults", "logging.format", "xml"))
                .hasMessageContaining("logging.format");
        assertThatThrownBy(() -> render("defaults", "replicaCount", "0"))
                .hasMessageContaining("replicaCount");
        assertThatThrownBy(() -> render("defaults", "broker.relay.enabled", "true"))
                .hasMessageContaining("broker.relay.host");
        assertThatThrownBy(() -> render("defaults", "database.migration.username", "owner"))
                .hasMessageContaining("database.migration.existingSecret");
        assertThatThrownBy(() -> render("defaults", "directorySync.enabled", "true"))
                .hasMessageContaining("directorySync.keycloakUrl");
        assertThatThrownBy(() -> render("defaults", "search.engine", "elasticsearch"))
                .hasMessageContaining("search.elasticsearch.uris");
        assertThatThrownBy(() -> render("defaults", "audit.retention", "ten years"))
                .hasMessageContaining("audit.retention");
    }

    /** Every object the schema describes names all its keys, so a misspelt one anywhere is refused. */
    @Test
    void theValuesSchemaClosesEveryObjectItDescribes() throws IOException {
        JsonNode schema = YAML.readTree(CHART.resolve("values.schema.json").toFile());
        assertThat(schema.at("/$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        Map<String, Boolean> closedByPath = new LinkedHashMap<>();
        collectObjects(schema, "", closedByPath);
        assertThat(closedByPath).hasSizeGreaterThan(30);
        assertThat(closedByPath).as("object schemas that allow keys they don't name").doesNotContainValue(false);
    }

    /** Each object schema's path, and whether it refuses keys it doesn't name; if/then only add conditions. */
    private static void collectObjects(JsonNode node, String path, Map<String, Boolean> closedByPath) {
        if (node.isObject()) {
            if (node.has("properties")) {
                closedByPath.put(path, node.path("additionalProperties").equals(BooleanNode.FALSE));
            }
            node.properties().stream()
                    .filter(entry -> !List.of("if", "then").contains(entry.getKey()))
                    .forEach(entry -> collectObjects(entry.getValue(), path + "/" + entry.getKey(), closedByPath));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectObjects(node.get(i), path + "/" + i, closedByPath);
            }
        }
    }

    @Test
    void theInstallNotesWarnAboutWhatIsMissing() {
        String defaults = notes("defaults");
        assertThat(defaults).contains("no audit.signingKey.existingSecret", "chat.allowedOrigins is empty",
                "integration.publicBaseUrl is unset", "One pod, with the in-process STOMP broker",
                "port-forward service/acme-chorus 8080:8080");
        String everythingOn = notes("everything-on");
        assertThat(everythingOn).contains("https://chat-api.example.com/api/v1", "wss://chat-api.example.com/ws",
                "through the STOMP broker at artemis.messaging.svc:61613");
        assertThat(everythingOn).doesNotContain("WARNING", "NOTE:");
    }

    private static String notes(String valueSet) {
        Release release = new Helm(CHART).install().withName("acme").withNamespace("chat").dryRun().clientOnly()
                .withValuesFile(CHART.resolve("ci").resolve(valueSet + "-values.yaml")).call();
        return release.getOutput();
    }

    @Test
    void refusesToRenderWithoutTheRequiredSettings() {
        assertThatThrownBy(() -> new Helm(CHART).template().withName("acme")
                .set("database.url", "jdbc:postgresql://db:5432/chorus")
                .set("database.existingSecret", "chorus-db").call())
                .hasMessageContaining("oidc.issuerUri is required");
        assertThatThrownBy(() -> new Helm(CHART).template().withName("acme")
                .set("oidc.issuerUri", "https://keycloak.example/realms/acme")
                .set("database.existingSecret", "chorus-db").call())
                .hasMessageContaining("database.url is required");
    }

    @Test
    void refusesSeveralPodsWithoutTheBrokerRelay() {
        assertThatThrownBy(() -> render("defaults", "replicaCount", "2")).hasMessageContaining("broker relay");
        assertThatThrownBy(() -> render("defaults", "autoscaling.enabled", "true")).hasMessageContaining("broker relay");
        assertThat(render("elasticsearch-relay", "replicaCount", "4").one("Deployment").at("/spec/replicas").asInt())
                .isEqualTo(4);
    }

    private static String value(Map<String, JsonNode> env, String name) {
        assertThat(env).containsKey(name);
        return env.get(name).get("value").asText();
    }

    private static String secretRef(Map<String, JsonNode> env, String name) {
        assertThat(env).containsKey(name);
        JsonNode ref = env.get(name).at("/valueFrom/secretKeyRef");
        return ref.get("name").asText() + "/" + ref.get("key").asText();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<Map.Entry<String, Integer>> ports(JsonNode container) {
        return StreamSupport.stream(container.get("ports").spliterator(), false)
                .map(port -> Map.entry(port.get("name").asText(), port.get("containerPort").asInt())).toList();
    }

    private static List<Integer> egressPorts(Manifests manifests) {
        return manifests.one("NetworkPolicy").at("/spec/egress").findValues("port").stream()
                .map(JsonNode::asInt).toList();
    }

    private static JsonNode merge(JsonNode base, JsonNode overlay) {
        ObjectNode merged = base.deepCopy();
        overlay.properties().forEach(entry -> {
            JsonNode current = merged.get(entry.getKey());
            merged.set(entry.getKey(), current != null && current.isObject() && entry.getValue().isObject()
                    ? merge(current, entry.getValue()) : entry.getValue());
        });
        return merged;
    }

    /** The objects of one rendering. */
    private record Manifests(String text, List<JsonNode> objects) {

        static Manifests parse(String text) {
            List<JsonNode> objects = new ArrayList<>();
            try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
                while (documents.hasNext()) {
                    JsonNode document = documents.next();
                    if (document != null && document.has("kind")) {
                        objects.add(document);
                    }
                }
            } catch (IOException unreadable) {
                throw new UncheckedIOException("helm template rendered no YAML:\n" + text, unreadable);
            }
            return new Manifests(text, objects);
        }

        List<String> kinds() {
            return objects.stream().map(object -> object.get("kind").asText()).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> ofKind = objects.stream().filter(object -> object.get("kind").asText().equals(kind)).toList();
            assertThat(ofKind).as("objects of kind %s", kind).hasSize(1);
            return ofKind.getFirst();
        }

        JsonNode named(String kind, String name) {
            return objects.stream()
                    .filter(object -> object.get("kind").asText().equals(kind))
                    .filter(object -> object.at("/metadata/name").asText().equals(name))
                    .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in\n" + text));
        }

        JsonNode container() {
            JsonNode containers = one("Deployment").at("/spec/template/spec/containers");
            assertThat(containers).hasSize(1);
            return containers.get(0);
        }

        /** The container's environment by variable name; a name set twice fails. */
        Map<String, JsonNode> env() {
            Map<String, JsonNode> env = new LinkedHashMap<>();
            for (JsonNode variable : container().get("env")) {
                assertThat(env.put(variable.get("name").asText(), variable)).as(variable.get("name").asText()).isNull();
            }
            return env;
        }
    }
}
