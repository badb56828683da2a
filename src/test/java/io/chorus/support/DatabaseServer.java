package io.chorus.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The PostgreSQL server a running application uses (the embedded one the tests start), stopped
 * and started again as an operator's restart would: the same binary, data folder, port and
 * settings, which the server itself wrote into {@code postmaster.opts}. The application's pool is
 * not told; it finds out as it would in production. Signals rather than {@code pg_ctl}, which
 * refuses to run as root (as the tests may) even where the server itself can be made to.
 */
public final class DatabaseServer {

    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dataDirectory;
    private final List<String> command;

    private DatabaseServer(Path dataDirectory, List<String> command) {
        this.dataDirectory = dataDirectory;
        this.command = command;
    }

    /** The server behind {@code dataSource}, read while it still answers. */
    public static DatabaseServer of(DataSource dataSource) {
        Path data = Path.of(JdbcClient.create(dataSource).sql("SHOW data_directory").query(String.class).single());
        try {
            // e.g. /…/bin/postgres "-D" "/…/data" "-p" "41237" "-c" "max_connections=200" …
            String opts = Files.readString(data.resolve("postmaster.opts"), StandardCharsets.UTF_8).strip();
            List<String> command = new ArrayList<>();
            command.add(opts.substring(0, opts.indexOf(' ')).replace("\"", ""));
            Matcher quoted = QUOTED.matcher(opts.substring(opts.indexOf(' ')));
            while (quoted.find()) {
                command.add(quoted.group(1));
            }
            return new DatabaseServer(data, List.copyOf(command));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read how the server in " + data + " was started", e);
        }
    }

    /** Fast shutdown (SIGINT): sessions are ended, as when an operator stops or restarts PostgreSQL. */
    public void stop() {
        ProcessHandle postmaster = postmaster().orElseThrow(() ->
                new IllegalStateException("No PostgreSQL runs on " + dataDirectory));
        signal("INT", postmaster.pid());
        try {
            postmaster.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception notStopped) {
            throw new IllegalStateException("PostgreSQL on " + dataDirectory + " did not stop", notStopped);
        }
    }

    /**
     * Starts the server again on the same folder and port, and returns once it accepts
     * connections. It is stopped when the test JVM exits, whoever else forgets.
     */
    public void start() {
        Path log = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target/postgres-restarted.log");
        Process server;
        try {
            server = new ProcessBuilder(asUnprivileged(command)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + command.getFirst(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (server.isAlive()) {
                signal("INT", server.pid());
            }
        }, "restarted-postgres-stop"));
        await().atMost(WAIT).until(() -> {
            if (!server.isAlive()) {
                throw new IllegalStateException("PostgreSQL did not start again; see " + log);
            }
            return ready(server.pid());
        });
    }

    /**
     * PostgreSQL refuses to run as root; as root, the library that started it ran it in a user
     * namespace of its own ({@code unshare -U}, which then becomes the server, same process), and
     * so does this.
     */
    private static List<String> asUnprivileged(List<String> command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return command;
        }
        List<String> unshared = new ArrayList<>(List.of("unshare", "-U"));
        unshared.addAll(command);
        return unshared;
    }

    private Optional<ProcessHandle> postmaster() {
        try {
            List<String> pid = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return ProcessHandle.of(Long.parseLong(pid.getFirst().strip())).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException noServer) {
            return Optional.empty();
        }
    }

    /** postmaster.pid names the process, and its status line says "ready" once connections are accepted. */
    private boolean ready(long pid) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.size() > 7 && lines.getFirst().strip().equals(Long.toString(pid))
                    && lines.get(7).strip().equals("ready");
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
