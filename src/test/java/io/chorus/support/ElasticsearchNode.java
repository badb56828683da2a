package io.chorus.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;

/**
 * One real Elasticsearch node for the whole test JVM, from the integration-test distribution
 * Maven unpacks into {@code target/elasticsearch} (or a container, where {@link TestServers}
 * chose containers). It starts on first use on a free port with a data directory of its own
 * (fresh in every JVM), and stops when the JVM exits. Fault tests {@link #stop()} it while the
 * application keeps running and {@link #start()} it again: same port, same data, so the
 * application reconnects to the index it had. About 20 s to green on two cores, about 750 MB RSS.
 */
public final class ElasticsearchNode {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static ElasticsearchNode node;
    private static RuntimeException failedStart;

    private final Path home;
    private final Path dataDirectory;
    private final Path logDirectory;
    private final Path workDirectory;
    private final Path log;
    private final int httpPort;
    private final int transportPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    /** Set when {@link TestServers} chose containers: the node then runs there, on the same fixed port. */
    private GenericContainer<?> container;

    private ElasticsearchNode(Path home, Path workDirectory) {
        this.home = home;
        this.workDirectory = workDirectory;
        this.dataDirectory = workDirectory.resolve("data");
        this.logDirectory = workDirectory.resolve("logs");
        this.log = workDirectory.resolve("node.log");
        this.httpPort = ServerProcess.freePort();
        this.transportPort = ServerProcess.freePort();
    }

    /** The node of this JVM, started (and waited for) on the first call. */
    public static synchronized ElasticsearchNode get() {
        if (failedStart != null) {
            // Fail every later test class at once instead of waiting out the timeout again.
            throw new IllegalStateException("Elasticsearch did not start earlier in this JVM", failedStart);
        }
        if (node == null && TestServers.fromContainers()) {
            Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
            node = new ElasticsearchNode(null, target.resolve("elasticsearch-node"));
            node.container = TestContainers.elasticsearch(node.httpPort);
        }
        if (node == null) {
            Path target = Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("target");
            ElasticsearchNode created = new ElasticsearchNode(ServerProcess.distribution(target.resolve("elasticsearch"), "elasticsearch-",
                    "bin/elasticsearch", "Elasticsearch"),
                    target.resolve("elasticsearch-node"));
            created.freshDirectories();
            Runtime.getRuntime().addShutdownHook(new Thread(created::stop, "elasticsearch-stop"));
            try {
                created.start();
            } catch (RuntimeException failure) {
                failedStart = failure;
                throw failure;
            }
            node = created;
        }
        return node;
    }

    /** {@code http://127.0.0.1:PORT}, the same across {@link #stop()} and {@link #start()}. */
    public String uri() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Starts the node (again, after {@link #stop()}) and waits until its cluster is at least yellow. */
    public synchronized void start() {
        if (container != null) {
            if (!container.isRunning()) {
                TestContainers.startAgain(container);
            }
            awaitContainerHealthy();
            return;
        }
        if (process != null && process.isAlive()) {
            return;
        }
        awaitPortFree();
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            // Elasticsearch refuses to run as root; in a user namespace it is uid 1000 and still owns target/.
            command.addAll(List.of("unshare", "--user", "--map-user=1000", "--map-group=1000"));
        }
        command.add(home.resolve("bin/elasticsearch").toString());
        command.addAll(List.of(
                // Set on every start, not only the first: without it the start script writes TLS settings into config/.
                "-Expack.security.enabled=false",
                "-Ediscovery.type=single-node",
                "-Ecluster.name=chorus-test",
                "-Enode.name=chorus-test",
                "-Enetwork.host=127.0.0.1",
                "-Ehttp.port=" + httpPort,
                "-Etransport.port=" + transportPort,
                "-Epath.data=" + dataDirectory,
                "-Epath.logs=" + logDirectory,
                // A nearly full disk on a developer's machine must not turn the test indices read-only.
                "-Ecluster.routing.allocation.disk.threshold_enabled=false"));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> environment = builder.environment();
        // A developer's own ES_* settings (another config directory, say) must not leak into the test node.
        environment.keySet().removeIf(name -> name.startsWith("ES_") || name.equals("JAVA_TOOL_OPTIONS"));
        environment.put("ES_JAVA_HOME", System.getProperty("java.home"));
        environment.put("ES_JAVA_OPTS", "-Xms512m -Xmx512m");
        environment.put("ES_TMPDIR", workDirectory.resolve("tmp").toString());

        long started = System.nanoTime();
        try {
            Files.createDirectories(workDirectory.resolve("tmp"));
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot run " + String.join(" ", command), e);
        }
        // GET / answers 405 on this distribution; health with a wait is the readiness signal.
        URI health = URI.create(uri() + "/_cluster/health?wait_for_status=yellow&timeout=2s");
        try {
            ServerProcess.awaitReady(process, http, health, started + START_TIMEOUT.toNanos(), Duration.ofMillis(300),
                    "Elasticsearch", log);
        } catch (IllegalStateException notReady) {
            stop();
            throw notReady;
        }
        System.out.printf("Elasticsearch (%s) ready at %s after %.1f s%n", home.getFileName(), uri(),
                (System.nanoTime() - started) / 1e9);
    }

    /**
     * Kills the node and all its processes, as a crash would, and returns once they are gone and
     * the port no longer answers. Its data stays for {@link #start()}.
     */
    public synchronized void stop() {
        if (container != null) {
            TestContainers.kill(container);
            awaitPortFree();
            return;
        }
        if (process == null) {
            return;
        }
        // bin/elasticsearch runs a CLI JVM that runs the server JVM: take the whole tree before killing any of it.
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notStopped) {
                throw new IllegalStateException("Elasticsearch process " + handle.pid() + " did not exit", notStopped);
            }
        }
        process = null;
        awaitPortFree();
    }

    private void awaitContainerHealthy() {
        URI health = URI.create(uri() + "/_cluster/health?wait_for_status=yellow&timeout=2s");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // the node opens its port late in the start
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while Elasticsearch was starting", interrupted);
            }
            ServerProcess.sleep(Duration.ofMillis(300));
        }
        throw new IllegalStateException("The Elasticsearch container was not healthy in time: " + container.getLogs());
    }

    /** A restart binds the same port: wait until nothing (the killed node, a straggler) listens on it. */
    private void awaitPortFree() {
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), httpPort), 200);
            } catch (IOException nobodyListens) {
                return;
            }
            ServerProcess.sleep(Duration.ofMillis(200));
        }
        throw new IllegalStateException("Port " + httpPort + " is still in use " + STOP_TIMEOUT + " after the stop");
    }

    private static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noProcfs) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** New data and logs every JVM: indices left by an earlier run must not change what tests see. */
    private void freshDirectories() {
        try {
            ServerProcess.deleteTree(workDirectory);
            Files.createDirectories(dataDirectory);
            Files.createDirectories(logDirectory);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + workDirectory, e);
        }
    }
}
