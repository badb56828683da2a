package io.chorus.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between the application and a server, which a test can cut and restore: while cut,
 * open connections are dropped and new ones closed at once, as when the server is stopped or
 * the network between them fails. The server itself (one Keycloak for the whole test JVM) goes
 * on serving every other test.
 */
public final class TcpGate implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean open = true;

    private TcpGate(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tcp-gate-" + listener.getLocalPort()).start(this::accept);
    }

    /** A gate on a free port of 127.0.0.1, relaying to {@code host:port}. */
    public static TcpGate to(String host, int port) {
        try {
            return new TcpGate(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a TCP gate to " + host + ":" + port, e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** The server can no longer be reached through the gate: open connections drop, new ones close. */
    public void cut() {
        open = false;
        sockets.forEach(TcpGate::closeQuietly);
        sockets.clear();
    }

    public void restore() {
        open = true;
    }

    @Override
    public void close() {
        open = false;
        closeQuietly(listener);
        sockets.forEach(TcpGate::closeQuietly);
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException closed) {
                return;
            }
            if (!open) {
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        Socket server = new Socket();
        sockets.add(client);
        sockets.add(server);
        try {
            server.connect(target, 5_000);
            Thread.ofVirtual().start(() -> pipe(server, client));
            pipe(client, server);
        } catch (IOException unreachable) {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    /** Copies until either side closes, then closes both, so the other direction ends too. */
    private void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[16 * 1024];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException dropped) {
            // Cut, or one side went away: the relay of this connection ends.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Already closed.
        }
    }
}
