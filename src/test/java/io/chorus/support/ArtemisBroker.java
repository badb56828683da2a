package io.chorus.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.testcontainers.containers.GenericContainer;

/**
 * A real ActiveMQ Artemis broker in this JVM with a STOMP acceptor, as several Chorus nodes share
 * one in production: the prefixes make {@code /queue/..} anycast and {@code /topic/..} multicast,
 * the way Spring's broker relay names destinations. It can be stopped and started again on the
 * same port, for the tests of a broker outage.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final int port;
    private final Path data;
    private final GenericContainer<?> container;
    private EmbeddedActiveMQ server;

    private ArtemisBroker(int port, Path data, GenericContainer<?> container) {
        this.port = port;
        this.data = data;
        this.container = container;
    }

    /** In this JVM, or from Testcontainers where a Docker engine answers ({@link TestServers}). */
    public static ArtemisBroker start() {
        if (TestServers.fromContainers()) {
            GenericContainer<?> container = TestContainers.stompBroker();
            return new ArtemisBroker(container.getMappedPort(61613), null, container);
        }
        try {
            ArtemisBroker broker = new ArtemisBroker(ServerProcess.freePort(), Files.createTempDirectory("artemis"), null);
            broker.startAgain();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not start", e);
        }
    }

    public int port() {
        return port;
    }

    /** The settings that point a node's broker relay here. */
    public Map<String, Object> relaySettings() {
        Map<String, Object> settings = new HashMap<>(Map.of("chorus.chat.broker.relay.enabled", true,
                "chorus.chat.broker.relay.host", "127.0.0.1",
                "chorus.chat.broker.relay.port", port));
        if (container != null) {
            settings.put("chorus.chat.broker.relay.host", container.getHost());
            settings.put("chorus.chat.broker.relay.login", "artemis");
            settings.put("chorus.chat.broker.relay.passcode", "artemis");
        }
        return settings;
    }

    public synchronized void stop() {
        if (container != null) {
            TestContainers.kill(container);
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not stop", e);
        }
    }

    public synchronized void startAgain() {
        if (container != null) {
            TestContainers.startAgain(container);
            return;
        }
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false);
        config.setBrokerInstance(data.toFile());
        config.setJournalDirectory(data.resolve("journal").toString())
                .setBindingsDirectory(data.resolve("bindings").toString())
                .setPagingDirectory(data.resolve("paging").toString())
                .setLargeMessagesDirectory(data.resolve("large").toString());
        try {
            config.addAcceptorConfiguration("stomp", "tcp://127.0.0.1:" + port
                    + "?protocols=STOMP;anycastPrefix=/queue/;multicastPrefix=/topic/");
            server = new EmbeddedActiveMQ().setConfiguration(config);
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not start", e);
        }
    }

    @Override
    public void close() {
        if (container == null) {
            stop();
        }
    }
}
