package io.chorus.benchmark;

import io.chorus.ChorusApplication;
import io.chorus.identity.internal.local.LocalTokenIssuer;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.messaging.WebSocketStompClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The send path end to end: real STOMP clients, the real application, real PostgreSQL.
 * {@code senders} members of one group each send {@code messages} messages, one at a time
 * (the next after the previous one's ack, as a person or a bot would), while every member
 * is connected, so each message is also fanned out to all of them. Reports throughput, ack
 * latency (SEND to acknowledgement after commit) and fan-out latency (SEND to arrival at a
 * member who is not sending). Client and server share the machine.
 *
 * <p>Run: {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.chorus.benchmark.SendBenchmark [-Dmembers=50 -Dsenders=10 -Dmessages=200]}
 */
public final class SendBenchmark {

    public static void main(String[] args) throws Exception {
        int members = Integer.getInteger("members", 50);
        int senders = Integer.getInteger("senders", 10);
        int perSender = Integer.getInteger("messages", 200);
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ChorusApplication.class)
                .profiles("test")
                .run("--server.port=0", "--logging.level.root=WARN", "--logging.level.io.chorus=WARN",
                        "--chorus.chat.send-budget.rate=1000000", "--chorus.chat.send-budget.burst=1000000");
        JsonMapper json = app.getBean(JsonMapper.class);
        TestClients clients = new TestClients(app.getBean(LocalTokenIssuer.class), app, json);
        try {
            run(clients, json, members, senders, perSender);
        } finally {
            app.close();
        }
    }

    private static void run(TestClients clients, JsonMapper json, int memberCount, int senderCount, int perSender)
            throws Exception {
        List<TestUser> members = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            members.add(clients.user("bench"));
        }
        String group = clients.rest(members.getFirst()).post("/api/v1/conversations/groups",
                Map.of("name", "Benchmark", "memberIds", members.stream().skip(1).map(TestUser::id).toList()))
                .status(201).json().get("id").asString();

        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] fanoutNanos = new long[senderCount * perSender];
        int[] fanoutCount = {0};
        List<Session> sessions = new ArrayList<>();
        CountDownLatch observed = new CountDownLatch(senderCount * perSender);
        for (int i = 0; i < memberCount; i++) {
            boolean observer = i == memberCount - 1;
            sessions.add(new Session(clients.wsUrl(), members.get(i).token(), json, event -> {
                if (observer && "message.posted".equals(event.path("type").asString())) {
                    Long start = sentAt.get(event.at("/message/clientMessageId").asString());
                    synchronized (fanoutNanos) {
                        fanoutNanos[fanoutCount[0]++] = System.nanoTime() - start;
                    }
                    observed.countDown();
                }
            }));
        }

        long[] ackNanos = new long[senderCount * perSender];
        ExecutorService pool = Executors.newFixedThreadPool(senderCount);
        long begin = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int s = 0; s < senderCount; s++) {
            int sender = s;
            running.add(pool.submit(() -> {
                Session session = sessions.get(sender);
                for (int m = 0; m < perSender; m++) {
                    String clientMessageId = "bench-" + sender + "-" + m;
                    long start = System.nanoTime();
                    sentAt.put(clientMessageId, start);
                    session.send("/app/conversations/" + group + "/messages",
                            Map.of("clientMessageId", clientMessageId, "text", "基准测试 benchmark message " + m));
                    session.awaitAck();
                    ackNanos[sender * perSender + m] = System.nanoTime() - start;
                }
                return null;
            }));
        }
        for (Future<?> future : running) {
            future.get();
        }
        long elapsed = System.nanoTime() - begin;
        boolean complete = observed.await(60, TimeUnit.SECONDS);
        pool.shutdown();
        sessions.forEach(Session::close);

        long lastSeq = clients.rest(members.getFirst()).get("/api/v1/conversations/" + group).ok().json()
                .get("lastSeq").asLong();
        int total = senderCount * perSender;
        String report = """
                # Send benchmark
                members online: %d, concurrent senders: %d, messages per sender: %d (total %d)
                every message fanned out to %d sessions; all delivered to the observer: %s; last seq %d (expected %d)

                | metric | value |
                | --- | --- |
                | throughput (acked messages/s) | %.0f |
                | deliveries/s (messages × members) | %.0f |
                | ack latency p50 / p95 / p99 (ms) | %s |
                | fan-out latency p50 / p95 / p99 (ms) | %s |
                """.formatted(memberCount, senderCount, perSender, total, memberCount, complete, lastSeq, total,
                total / (elapsed / 1e9), total * (double) memberCount / (elapsed / 1e9),
                percentiles(ackNanos, total), percentiles(fanoutNanos, fanoutCount[0]));
        System.out.println(report);
        Path out = Path.of("target", "benchmark", "send-report.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println("Report written to " + out.toAbsolutePath());
        if (!complete || lastSeq != total) {
            throw new IllegalStateException("Messages were lost or duplicated: the figures above are not valid.");
        }
    }

    private static String percentiles(long[] nanos, int count) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return "%.1f / %.1f / %.1f".formatted(at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99));
    }

    private static double at(long[] sorted, double quantile) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e6;
    }

    /** A lean STOMP session: events to a callback, acks to a hand-off queue. */
    private static final class Session {
        private final WebSocketStompClient client = new WebSocketStompClient(new StandardWebSocketClient());
        private final SynchronousQueue<JsonNode> acks = new SynchronousQueue<>();
        private final StompSession session;

        Session(String url, String token, JsonMapper json, java.util.function.Consumer<JsonNode> onEvent)
                throws Exception {
            client.setMessageConverter(new JacksonJsonMessageConverter(json));
            ThreadPoolTaskScheduler receipts = new ThreadPoolTaskScheduler();
            receipts.setDaemon(true);
            receipts.initialize();
            client.setTaskScheduler(receipts);
            StompHeaders connect = new StompHeaders();
            connect.add("Authorization", "Bearer " + token);
            session = client.connectAsync(url, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
            }).get(10, TimeUnit.SECONDS);
            subscribe("/user/queue/events", onEvent);
            subscribe("/user/queue/acks", ack -> {
                try {
                    acks.put(ack);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        /** Subscribes and waits for the server's RECEIPT, so no message can slip past. */
        private void subscribe(String destination, java.util.function.Consumer<JsonNode> handler) throws InterruptedException {
            StompHeaders headers = new StompHeaders();
            headers.setDestination(destination);
            headers.setReceipt(destination);
            CountDownLatch live = new CountDownLatch(1);
            session.subscribe(headers, new StompFrameHandler() {
                @Override
                public Type getPayloadType(StompHeaders headers) {
                    return JsonNode.class;
                }

                @Override
                public void handleFrame(StompHeaders headers, Object payload) {
                    handler.accept((JsonNode) payload);
                }
            }).addReceiptTask(live::countDown);
            if (!live.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no RECEIPT for " + destination);
            }
        }

        void send(String destination, Object body) {
            StompHeaders headers = new StompHeaders();
            headers.setDestination(destination);
            headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
            session.send(headers, body);
        }

        void awaitAck() throws InterruptedException {
            if (acks.poll(30, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no ack within 30 s");
            }
        }

        void close() {
            session.disconnect();
            client.stop();
        }
    }
}
