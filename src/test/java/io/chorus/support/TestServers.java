package io.chorus.support;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.testcontainers.DockerClientFactory;

/**
 * Where the tests' real servers come from, decided once per test JVM: from Testcontainers where a
 * Docker-compatible engine answers (a developer's laptop, another CI), otherwise from what Maven
 * Central serves (the embedded PostgreSQL binaries, the Keycloak and Elasticsearch zips), as on the
 * project's own machines. {@code CHORUS_TEST_CONTAINERS} (or {@code -Dchorus.test.containers}) set
 * to {@code true} or {@code false} overrides the detection; {@code auto} or unset detects.
 *
 * <p>The places that start a server ask here: {@link ContainerDatabase} (instead of the embedded
 * PostgreSQL), {@link KeycloakServer}, {@link ElasticsearchNode}, and {@link TestContainers#stompBroker()}
 * for the broker relay.
 */
public final class TestServers {

    public static final String VARIABLE = "CHORUS_TEST_CONTAINERS";
    public static final String PROPERTY = "chorus.test.containers";

    public enum Source { CONTAINERS, MAVEN_CENTRAL }

    /** The choice and why, printed once so a test log says which servers it ran against. */
    public record Choice(Source source, String reason) {
    }

    private static Choice choice;

    private TestServers() {
    }

    /** Whether this JVM's tests take their servers from containers. */
    public static boolean fromContainers() {
        return choice().source() == Source.CONTAINERS;
    }

    public static synchronized Choice choice() {
        if (choice == null) {
            String setting = System.getProperty(PROPERTY, System.getenv(VARIABLE));
            choice = choose(setting, TestServers::engineAnswers);
            System.out.printf("Test servers: %s (%s)%n", choice.source(), choice.reason());
        }
        return choice;
    }

    static Choice choose(String setting, BooleanSupplier engineAnswers) {
        String value = setting == null ? "auto" : setting.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true" -> new Choice(Source.CONTAINERS, VARIABLE + "=true");
            case "false" -> new Choice(Source.MAVEN_CENTRAL, VARIABLE + "=false");
            case "auto", "" -> engineAnswers.getAsBoolean()
                    ? new Choice(Source.CONTAINERS, "a Docker-compatible engine answers")
                    : new Choice(Source.MAVEN_CENTRAL, "no Docker-compatible engine answers");
            default -> throw new IllegalArgumentException(VARIABLE + " (or -D" + PROPERTY + ") is '" + setting
                    + "'; allowed: true, false, auto");
        };
    }

    /** Testcontainers' own probe: DOCKER_HOST, the Docker socket, Docker Desktop, rootless Docker, ~/.testcontainers.properties. */
    static boolean engineAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError noEngine) {
            return false;
        }
    }
}
