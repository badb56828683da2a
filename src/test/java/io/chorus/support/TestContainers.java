package io.chorus.support;

import java.time.Duration;
import java.util.List;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The tests' servers as containers, one of each per test JVM, started on first use and removed when
 * the JVM exits (Testcontainers' Ryuk). Used only when {@link TestServers} chose containers. The
 * image versions are the ones the Maven Central path runs (surefire passes them from the pom).
 * Servers that fault tests stop and start again are published on a fixed host port, so that the
 * application finds them where they were.
 */
public final class TestContainers {

    private static PostgreSQLContainer postgres;
    private static GenericContainer<?> keycloak;
    private static GenericContainer<?> elasticsearch;
    private static GenericContainer<?> stompBroker;

    private TestContainers() {
    }

    /** PostgreSQL of the same major version as the embedded binaries; every application context gets its own database in it. */
    public static synchronized PostgreSQLContainer postgres() {
        if (postgres == null) {
            String major = System.getProperty("postgresql.version", "18").split("\\.")[0];
            postgres = new PostgreSQLContainer(DockerImageName.parse("postgres:" + major))
                    .withUsername("postgres").withPassword("postgres").withDatabaseName("postgres")
                    .withCommand("postgres", "-c", "max_connections=400", "-c", "fsync=on");
            postgres.start();
        }
        return postgres;
    }

    /** Keycloak in dev mode with the test realm imported; HTTP on {@code httpPort}, health on {@code managementPort}. */
    static synchronized GenericContainer<?> keycloak(int httpPort, String adminUsername, String adminPassword) {
        if (keycloak == null) {
            keycloak = new GenericContainer<>(DockerImageName.parse("quay.io/keycloak/keycloak:"
                    + System.getProperty("keycloak.version", "26.7.3")))
                    .withCommand("start-dev", "--import-realm", "--health-enabled=true")
                    .withEnv("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername)
                    .withEnv("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword)
                    .withCopyFileToContainer(MountableFile.forClasspathResource("keycloak/chorus-realm.json"),
                            "/opt/keycloak/data/import/chorus-realm.json")
                    .withExposedPorts(8080, 9000)
                    .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(3)));
            keycloak.setPortBindings(List.of(httpPort + ":8080"));
            keycloak.start();
        }
        return keycloak;
    }

    /** A single Elasticsearch node without security, on {@code httpPort}. */
    static synchronized GenericContainer<?> elasticsearch(int httpPort) {
        if (elasticsearch == null) {
            elasticsearch = new GenericContainer<>(DockerImageName.parse("docker.elastic.co/elasticsearch/elasticsearch:"
                    + System.getProperty("elasticsearch.version", "9.2.0")))
                    .withEnv("discovery.type", "single-node")
                    .withEnv("xpack.security.enabled", "false")
                    .withEnv("cluster.routing.allocation.disk.threshold_enabled", "false")
                    .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m")
                    .withExposedPorts(9200)
                    .waitingFor(Wait.forHttp("/_cluster/health?wait_for_status=yellow&timeout=2s").forPort(9200)
                            .withStartupTimeout(Duration.ofMinutes(2)));
            elasticsearch.setPortBindings(List.of(httpPort + ":9200"));
            elasticsearch.start();
        }
        return elasticsearch;
    }

    /**
     * ActiveMQ Artemis with its STOMP acceptor (61613) for the broker relay; credentials artemis/artemis.
     * Where the tests run the embedded Artemis instead, ask {@link TestServers#fromContainers()} first.
     */
    public static synchronized GenericContainer<?> stompBroker() {
        if (stompBroker == null) {
            stompBroker = new GenericContainer<>(DockerImageName.parse("apache/activemq-artemis:"
                    + System.getProperty("artemis.version", "2.55.0")))
                    .withEnv("ARTEMIS_USER", "artemis")
                    .withEnv("ARTEMIS_PASSWORD", "artemis")
                    .withExposedPorts(61613)
                    .waitingFor(Wait.forListeningPort());
            stompBroker.start();
        }
        return stompBroker;
    }

    /** Stops a container at once, as a crash would, keeping it (and its data) for {@link #startAgain}. */
    static void kill(GenericContainer<?> container) {
        container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(0).exec();
    }

    /** Starts a {@link #kill}ed container again; it comes back on the same host ports. */
    static void startAgain(GenericContainer<?> container) {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
    }
}
