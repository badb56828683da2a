package io.chorus.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A STOMP client on a bare TCP socket that connects, subscribes to its events and then never
 * reads again, with a receive buffer as small as the system allows: what a frozen browser tab or
 * a phone in a dead spot looks like to the server. The WebSocket handshake and frames are written
 * by hand, so nothing reads on the client's behalf.
 */
public final class StalledStompClient implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private StalledStompClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects as the token's user and subscribes to {@code /user/queue/events}; reads nothing after that. */
    public static StalledStompClient connect(int port, String token) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(1024);
            socket.setSoTimeout((int) StompTestClient.WAIT.toMillis());
            socket.connect(new InetSocketAddress("localhost", port));
            StalledStompClient client = new StalledStompClient(socket);
            client.handshake();
            client.sendFrame("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\nAuthorization:Bearer "
                    + token + "\n\n\0");
            assertThat(client.readFrame()).startsWith("CONNECTED");
            client.sendFrame("SUBSCRIBE\nid:events\ndestination:/user/queue/events\nreceipt:events\n\n\0");
            assertThat(client.readFrame()).startsWith("RECEIPT");
            return client;
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    private void handshake() throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        out.write(("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            assertThat(next).as("handshake answer").isNotNegative();
            head.write(next);
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    }

    /** One masked text frame, as a client must send it. */
    private void sendFrame(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write(0x81);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xff);
        }
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i % 4]);
        }
        out.flush();
    }

    /** The text of the next (unmasked, unfragmented) frame from the server. */
    private String readFrame() throws IOException {
        in.read(); // FIN and opcode
        long length = in.read() & 0x7f;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        return new String(in.readNBytes((int) length), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }
}
