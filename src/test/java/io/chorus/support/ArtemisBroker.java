package io.chorus.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * A real ActiveMQ Artemis broker in this JVM with a STOMP acceptor, as several Chorus nodes share
 * one in production: the prefixes make {@code /queue/..} anycast and {@code /topic/..} multicast,
 * the way Spring's broker relay names destinations. It can be stopped and started again on the
 * same port, for the tests of a broker outage.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final int port;
    private final Path data;
    private EmbeddedActiveMQ server;

    private ArtemisBroker(int port, Path data) {
        this.port = port;
        this.data = data;
    }

    public static ArtemisBroker start() {
        try {
            ArtemisBroker broker = new ArtemisBroker(ServerProcess.freePort(), Files.createTempDirectory("artemis"));
            broker.startAgain();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not start", e);
        }
    }

    public int port() {
        return port;
    }

    public synchronized void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Artemis did not stop", e);
        }
    }

    public synchronized void startAgain() {
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
        stop();
    }
}
