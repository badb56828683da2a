package io.chorus.platform.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server (not an in-memory imitation) started from the binaries on the
 * classpath, and, when its data is kept, this process's claim on the folder that holds it.
 */
final class EmbeddedDatabase implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres server;
    private final EmbeddedDataFolder folder;

    private EmbeddedDatabase(EmbeddedPostgres server, EmbeddedDataFolder folder) {
        this.server = server;
        this.folder = folder;
    }

    static EmbeddedDatabase start(EmbeddedDatabaseProperties properties) throws IOException {
        // The owner stops the server (close); the library's own JVM shutdown hook would stop it
        // concurrently, under beans still closing. The server keeps the library's default
        // synchronous_commit=off on purpose: Chorus's sessions ask for on themselves (SynchronousCommits),
        // and the tests show that they do on a server whose default would lose commits.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("fsync", "on")
                .setRegisterShutdownHook(false);
        if (properties.port() > 0) {
            builder.setPort(properties.port());
        }
        if (properties.dataDirectory() == null || properties.dataDirectory().isBlank()) {
            // A throw-away directory of its own: nobody else can be on it.
            return started(builder, null);
        }
        Path directory = Path.of(properties.dataDirectory()).toAbsolutePath();
        Files.createDirectories(directory);
        EmbeddedDataFolder folder = EmbeddedDataFolder.claim(directory);
        try {
            builder.setDataDirectory(directory).setCleanDataDirectory(false);
            log.info("Embedded PostgreSQL keeps its data in {}", directory);
            return started(builder, folder);
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
    }

    private static EmbeddedDatabase started(EmbeddedPostgres.Builder builder, EmbeddedDataFolder folder)
            throws IOException {
        EmbeddedPostgres server = builder.start();
        log.info("Embedded PostgreSQL listening on port {}", server.getPort());
        return new EmbeddedDatabase(server, folder);
    }

    String jdbcUrl() {
        return server.getJdbcUrl("postgres", "postgres");
    }

    /** Stops the server, then gives up the claim on its folder: never the other way round. */
    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            if (folder != null) {
                folder.close();
            }
        }
    }
}
