package io.chorus.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Local mode keeps its database in a folder, and a Chorus killed with {@code kill -9} leaves
 * that folder's PostgreSQL running. The next start must take the folder back on its own, with
 * its data; a second Chorus while the first still runs must be refused, and leave it alone.
 * The first Chorus is a separate JVM here, so that killing it is a real {@code kill -9}.
 */
class EmbeddedDataFolderTest {

    private static final String READY = "OWNER READY";

    @TempDir
    Path workspace;

    private Process owner;
    private ProcessHandle ownersServer;

    /** Stands in for a local Chorus: starts the embedded database as the application does, then waits. */
    public static void main(String[] args) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(new EmbeddedDatabaseProperties(true, args[0], 0));
                Connection connection = DriverManager.getConnection(database.jdbcUrl());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE note (text text NOT NULL)");
            statement.execute("INSERT INTO note VALUES ('written before the kill')");
            System.out.println(READY);
            System.out.flush();
            // Until the test closes our input: a graceful end. A kill -9 never gets here.
            while (System.in.read() >= 0) {
                continue;
            }
        }
    }

    @AfterEach
    void stopWhatIsLeft() throws InterruptedException {
        if (owner != null && owner.isAlive()) {
            owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (ownersServer != null && ownersServer.isAlive()) {
            ownersServer.destroy();
            ownersServer.onExit().orTimeout(60, TimeUnit.SECONDS).join();
        }
    }

    @Test
    void aChorusKilledWithKill9StartsAgainOnItsDataFolder() throws Exception {
        Path folder = workspace.resolve("postgres");
        startOwner(folder);

        owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(ownersServer.isAlive()).as("the server outlives the Chorus that started it").isTrue();

        try (EmbeddedDatabase again = EmbeddedDatabase.start(properties(folder))) {
            assertThat(ownersServer.isAlive()).as("the orphaned server").isFalse();
            assertThat(JdbcClient.create(dataSource(again)).sql("SELECT text FROM note").query(String.class).list())
                    .containsExactly("written before the kill");
        }
    }

    @Test
    void aSecondChorusOnTheSameDataFolderIsRefusedAndLeavesTheFirstAlone() throws Exception {
        Path folder = workspace.resolve("postgres");
        startOwner(folder);

        assertThatThrownBy(() -> EmbeddedDatabase.start(properties(folder)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Another Chorus (process " + owner.pid() + ") is running on the embedded "
                        + "database folder " + folder);
        assertThat(ownersServer.isAlive()).as("the first Chorus's server").isTrue();
        assertThat(owner.isAlive()).isTrue();

        owner.getOutputStream().close();
        assertThat(owner.waitFor(60, TimeUnit.SECONDS)).as("the first Chorus ends by itself").isTrue();
        assertThat(owner.exitValue()).isZero();
        try (EmbeddedDatabase afterIt = EmbeddedDatabase.start(properties(folder))) {
            assertThat(JdbcClient.create(dataSource(afterIt)).sql("SELECT count(*) FROM note").query(Long.class)
                    .single()).isEqualTo(1);
        }
    }

    @Test
    void aPostgresWhoseStartDoesNotMatchThePidFileIsNotTakenForTheOrphan() throws Exception {
        Path folder = workspace.resolve("postgres");
        startOwner(folder);
        owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(EmbeddedDataFolder.runningServer(folder)).as("the real orphan is recognised")
                .map(ProcessHandle::pid).contains(ownersServer.pid());

        // As after a reboot: the file names a pid that a postgres of someone else's now holds.
        Path pidFile = folder.resolve("postmaster.pid");
        List<String> lines = new ArrayList<>(Files.readAllLines(pidFile, StandardCharsets.UTF_8));
        lines.set(2, Long.toString(Long.parseLong(lines.get(2).strip()) - Duration.ofHours(1).toSeconds()));
        Files.write(pidFile, lines, StandardCharsets.UTF_8);

        assertThat(EmbeddedDataFolder.runningServer(folder)).as("a postgres that started at another time").isEmpty();
        // The folder's own start then refuses (PostgreSQL's lock file) rather than stop a stranger.
        assertThatThrownBy(() -> EmbeddedDatabase.start(properties(folder)).close()).isInstanceOf(Exception.class);
        assertThat(ownersServer.isAlive()).as("the stranger is left running").isTrue();
    }

    private void startOwner(Path folder) throws IOException {
        Path log = workspace.resolve("owner.log");
        ProcessBuilder java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                EmbeddedDataFolderTest.class.getName(), folder.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        java.environment().put("CLASSPATH", System.getProperty("java.class.path"));
        owner = java.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            assertThat(owner.isAlive()).as("the first Chorus, see %s", log).isTrue();
            return Files.readString(log, StandardCharsets.UTF_8).contains(READY);
        });
        long pid = Long.parseLong(Files.readAllLines(folder.resolve("postmaster.pid")).getFirst().strip());
        ownersServer = ProcessHandle.of(pid).orElseThrow();
    }

    private static EmbeddedDatabaseProperties properties(Path folder) {
        return new EmbeddedDatabaseProperties(true, folder.toString(), 0);
    }

    private static DataSource dataSource(EmbeddedDatabase database) {
        return new DriverManagerDataSource(database.jdbcUrl());
    }
}
