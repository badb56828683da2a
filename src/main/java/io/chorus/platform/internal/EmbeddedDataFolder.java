package io.chorus.platform.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Chorus's claim on the folder where the embedded PostgreSQL keeps its data: an
 * exclusive lock on {@code <folder>.lock} beside it, held until {@link #close()}. The operating
 * system drops the lock when the process dies, however it dies, so a free lock means no Chorus
 * runs on the folder any more.
 *
 * <p>The server itself outlives a Chorus killed with {@code kill -9}: {@code pg_ctl} started it
 * as its own process, which is left running with the data folder locked by its
 * {@code postmaster.pid}. Whoever claims the folder next stops that orphan first, so that the
 * local instance restarts by itself; it only does so with the claim in hand, so it never stops
 * the server of a Chorus that is still running.
 */
final class EmbeddedDataFolder implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDataFolder.class);

    /** Smart shutdown waits for sessions to end; an orphan's only client, its Chorus, is gone. */
    private static final Duration ORPHAN_SHUTDOWN = Duration.ofSeconds(60);

    /** Between the postmaster process starting and it writing its start time into postmaster.pid. */
    private static final Duration START_TOLERANCE = Duration.ofSeconds(5);

    private final FileChannel channel;
    private final FileLock lock;

    private EmbeddedDataFolder(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code folder} for this process and stops a server an earlier owner left running on
     * it. Fails, changing nothing, while another Chorus holds the folder.
     */
    static EmbeddedDataFolder claim(Path folder) throws IOException {
        Path lockFile = folder.resolveSibling(folder.getFileName() + ".lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            String owner = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new IllegalStateException("Another Chorus" + (owner.isEmpty() ? "" : " (process " + owner + ")")
                    + " is running on the embedded database folder " + folder + ": only one may use it at a time. "
                    + "Stop that one, or give this one its own folder (CHORUS_DATA_DIR, "
                    + "chorus.platform.embedded-database.data-directory).");
        }
        try {
            channel.truncate(0).write(ByteBuffer.wrap(
                    Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            stopOrphanedServer(folder);
            return new EmbeddedDataFolder(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The server named by the folder's {@code postmaster.pid}, if it is a live PostgreSQL on this folder. */
    static Optional<ProcessHandle> runningServer(Path folder) throws IOException {
        Path pidFile = folder.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
        if (lines.size() < 2 || !lines.get(0).strip().matches("\\d+")) {
            // Half written, or not PostgreSQL's: the server's own start decides what it means.
            return Optional.empty();
        }
        Path serverFolder = Path.of(lines.get(1).strip());
        return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
                .filter(ProcessHandle::isAlive)
                // A number the system has since given to another process is not our server: after a
                // reboot it may even be another cluster's postgres, so its name is not enough. The
                // file's third line is the postmaster's start time; the process must have started then.
                .filter(process -> process.info().command()
                        .map(command -> Path.of(command).getFileName().toString().matches("postgres(\\.exe)?"))
                        .orElse(false))
                .filter(process -> startedAsRecorded(process.info().startInstant(), lines))
                .filter(process -> Files.exists(serverFolder) && sameFile(serverFolder, folder));
    }

    /**
     * Whether a process that started at {@code processStart} is the postmaster that wrote
     * {@code pidFileLines}: its third line is the postmaster's start (epoch seconds), a moment
     * after the process itself started. Unknown start times never match: better to leave a
     * server running (its own start then refuses the folder, clearly) than to stop a stranger.
     */
    static boolean startedAsRecorded(Optional<Instant> processStart, List<String> pidFileLines) {
        if (processStart.isEmpty() || pidFileLines.size() < 3 || !pidFileLines.get(2).strip().matches("\\d+")) {
            return false;
        }
        Instant recorded = Instant.ofEpochSecond(Long.parseLong(pidFileLines.get(2).strip()));
        return Duration.between(processStart.get(), recorded).abs().compareTo(START_TOLERANCE) <= 0;
    }

    private static void stopOrphanedServer(Path folder) throws IOException {
        Optional<ProcessHandle> orphan = runningServer(folder);
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle server = orphan.get();
        log.warn("The embedded PostgreSQL (process {}) of a Chorus that did not shut down is still running on {}; "
                + "stopping it before starting again", server.pid(), folder);
        server.destroy();
        try {
            server.onExit().get(ORPHAN_SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The embedded PostgreSQL (process " + server.pid() + ") left running on "
                    + folder + " did not stop within " + ORPHAN_SHUTDOWN.toSeconds() + " s; something may still be "
                    + "connected to it. Stop it (pg_ctl stop -m fast -D " + folder + ") and start Chorus again.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping the embedded PostgreSQL left running on "
                    + folder, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        log.info("Stopped the embedded PostgreSQL that was left running on {}", folder);
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
