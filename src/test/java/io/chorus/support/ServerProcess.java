package io.chorus.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What the real servers the tests start (Keycloak, Elasticsearch) have in common: ports, distributions, readiness, logs. */
final class ServerProcess {

    private ServerProcess() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest {@code <prefix>*} folder Maven unpacked into {@code unpacked} that has {@code launcher}. */
    static Path distribution(Path unpacked, String prefix, String launcher, String name) {
        try (Stream<Path> candidates = Files.isDirectory(unpacked) ? Files.list(unpacked) : Stream.empty()) {
            return candidates
                    .filter(path -> path.getFileName().toString().startsWith(prefix))
                    .filter(path -> Files.isRegularFile(path.resolve(launcher)))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IllegalStateException("No " + name + " distribution in " + unpacked
                            + ": run `./mvnw generate-test-resources` (the dependency plugin unpacks it)."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes {@code root} and everything below it, if it exists. */
    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> old = Files.walk(root)) {
                for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * Waits until {@code ready} answers 200. Throws, with the end of the log, if the process
     * exits first, the deadline passes or the wait is interrupted; the caller then stops it.
     */
    static void awaitReady(Process process, HttpClient http, URI ready, long deadlineNanos, Duration poll,
            String name, Path log) {
        while (System.nanoTime() < deadlineNanos) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with status " + process.exitValue()
                        + " before it was ready. End of " + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Servers open their HTTP port late in the start.
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while " + name + " was starting", interrupted);
            }
            sleep(poll);
        }
        throw new IllegalStateException(name + " was not ready in time. End of " + log + ":\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
