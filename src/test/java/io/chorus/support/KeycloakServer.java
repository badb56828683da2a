package io.chorus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real Keycloak for the whole test JVM, from the distribution Maven unpacks into
 * {@code target/keycloak} (or a container, where {@link TestServers} chose containers). It
 * starts on first use, imports {@code keycloak/chorus-realm.json} into a fresh database, and
 * stops when the JVM exits. On two cores the first start after an unpack takes about 80 s
 * (Quarkus builds the distribution once), later ones about 30 s.
 */
public final class KeycloakServer {

    public static final String REALM = "chorus";
    /** Public client with direct access grants: tests log users in with their password. */
    public static final String WEB_CLIENT_ID = "chorus-web";

    /** Another application of the realm; its tokens do not name Chorus as their audience. */
    public static final String OTHER_CLIENT_ID = "timesheets";
    /** Confidential client whose service account may read, not change, users and groups. */
    public static final String SYNC_CLIENT_ID = "chorus-sync";
    public static final String SYNC_CLIENT_SECRET = "chorus-sync-secret";

    private static final String ADMIN_USERNAME = "admin";
    private static final String ADMIN_PASSWORD = "admin";
    // The first start includes a one-time Quarkus build; on a busy 2-core machine it can take minutes.
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static KeycloakServer running;
    private static RuntimeException failedStart;

    private final Process process;
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakServer(Process process, int httpPort) {
        this.process = process;
        this.httpPort = httpPort;
    }

    /** {@code http://127.0.0.1:PORT/realms/chorus}: the {@code iss} of every token this server issues to tests. */
    public static String issuerUri() {
        return serverUrl() + "/realms/" + REALM;
    }

    /** Always 127.0.0.1: a token's {@code iss} follows the host the client called, so every caller must use the same one. */
    public static String serverUrl() {
        return "http://127.0.0.1:" + server().httpPort;
    }

    /** The master realm's administrator, for tests that change the directory. Close it when done. */
    public static Keycloak admin() {
        return KeycloakBuilder.builder()
                .serverUrl(serverUrl())
                .realm("master")
                .clientId("admin-cli")
                .username(ADMIN_USERNAME)
                .password(ADMIN_PASSWORD)
                .build();
    }

    /** An access token for a realm user, by the password grant on {@link #WEB_CLIENT_ID}. */
    public static String accessToken(String username, String password) {
        return accessToken(WEB_CLIENT_ID, username, password);
    }

    /** An access token for a realm user, by the password grant on the public client {@code clientId}. */
    public static String accessToken(String clientId, String username, String password) {
        return accessTokenFrom(issuerUri(), clientId, username, password);
    }

    /**
     * An access token from this Keycloak reached at {@code issuerUri} (through a {@link TcpGate},
     * say): the token's {@code iss} is that address, as for a client that knows Keycloak by it.
     */
    public static String accessTokenFrom(String issuerUri, String clientId, String username, String password) {
        KeycloakServer server = server();
        String form = form(Map.of("grant_type", "password", "client_id", clientId,
                "username", username, "password", password, "scope", "openid"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuerUri + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .timeout(Duration.ofSeconds(30))
                .build();
        HttpResponse<String> response = server.send(request);
        if (response.statusCode() != 200) {
            throw new AssertionError("Keycloak refused a token for " + username + ": HTTP "
                    + response.statusCode() + " " + response.body());
        }
        JsonNode body = JSON.readTree(response.body());
        return body.get("access_token").asString();
    }

    private static synchronized KeycloakServer server() {
        if (failedStart != null) {
            // Fail every later test class at once instead of waiting out the timeout again.
            throw new IllegalStateException("Keycloak did not start earlier in this JVM", failedStart);
        }
        if (running == null) {
            try {
                running = start();
            } catch (RuntimeException failure) {
                failedStart = failure;
                throw failure;
            }
        }
        return running;
    }

    private static KeycloakServer start() {
        if (TestServers.fromContainers()) {
            int httpPort = ServerProcess.freePort();
            TestContainers.keycloak(httpPort, ADMIN_USERNAME, ADMIN_PASSWORD);
            return new KeycloakServer(null, httpPort);
        }
        Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
        Path home = ServerProcess.distribution(target.resolve("keycloak"), "keycloak-", "bin/kc.sh", "Keycloak");
        Path log = target.resolve("keycloak.log");
        freshData(home);
        int httpPort = ServerProcess.freePort();
        int managementPort = ServerProcess.freePort();

        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                "--import-realm")
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        // A developer's own KC_* or JAVA_OPTS settings (a database, say) must not leak into the test server.
        environment.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS"));
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
        environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);

        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + home.resolve("bin/kc.sh"), e);
        }
        KeycloakServer server = new KeycloakServer(process, httpPort);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-stop"));
        try {
            ServerProcess.awaitReady(process, server.http, URI.create("http://127.0.0.1:" + managementPort
                    + "/health/ready"), started + START_TIMEOUT.toNanos(), Duration.ofMillis(500), "Keycloak", log);
        } catch (IllegalStateException notReady) {
            server.stop();
            throw notReady;
        }
        System.out.printf("Keycloak (%s) ready at http://127.0.0.1:%d after %.1f s%n", home.getFileName(), httpPort,
                (System.nanoTime() - started) / 1e9);
        return server;
    }

    /** A new database every JVM, so the realm file is always imported (an existing realm is skipped). */
    private static void freshData(Path home) {
        Path data = home.resolve("data");
        try {
            ServerProcess.deleteTree(data);
            Path imports = Files.createDirectories(data.resolve("import"));
            try (InputStream realm = KeycloakServer.class.getResourceAsStream("/keycloak/chorus-realm.json")) {
                if (realm == null) {
                    throw new IllegalStateException("keycloak/chorus-realm.json is not on the test classpath");
                }
                Files.copy(realm, imports.resolve("chorus-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + data, e);
        }
    }

    private void stop() {
        if (process == null) {
            return; // a container: Testcontainers removes it when the JVM exits
        }
        // kc.sh forwards TERM to its java child; the descendants are signalled too in case it no longer can.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notStopped) {
                handle.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("Keycloak did not answer " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
