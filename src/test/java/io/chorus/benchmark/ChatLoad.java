package io.chorus.benchmark;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.awaitility.core.ConditionTimeoutException;
import org.HdrHistogram.Recorder;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.converter.StringMessageConverter;
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
 * Live chat under load: an open-loop generator that drives an already running Chorus over its
 * real REST and STOMP contract, as many users with many devices would.
 *
 * <p>It makes {@code users} users (dev tokens, so the instance must be in local mode and know
 * them: see {@link ChatLoadUsers}), opens conversations by {@code mix}, connects
 * {@code sessions} STOMP sessions per user, then sends Poisson-distributed messages at
 * {@code rate} per second in total, each to a random conversation from a random member (one
 * of its sessions). Sends follow the schedule whatever the server does: a send's latency is
 * counted from the time it was <em>scheduled</em>, so a server that falls behind is charged for
 * the queue it builds (no coordinated omission). Latencies count only sends scheduled after
 * the warm-up; delivery checks count every send.
 *
 * <p>Expected copies of a message: every session of every member, the sender's own sessions
 * included (each of a user's devices shows the conversation). After the last send it waits up to
 * {@code drain} for missing acks and copies.
 *
 * <p>Server cost over the measured window: CPU and RSS of the server JVM ({@code pid}, found by
 * its main class {@code io.chorus.ChorusApplication} when not given) and CPU of the PostgreSQL
 * server and its backends (the postmaster of {@code dataDir}); commits and row writes from
 * {@code pg_stat_database} / {@code pg_stat_user_tables} over the whole send period (warm-up
 * included, once the table statistics stayed still for {@code settle}, so that after-commit work and
 * lagging statistics are in),
 * divided by the messages acknowledged in it.
 *
 * <p>Run against a local instance started with the load users:
 * {@code ./mvnw -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.chorus.benchmark.ChatLoad
 * -Dusers=200 -Dgroups=20 -DgroupSize=10 -Drate=100 -Dwarmup=10s -Dduration=30s -Dsessions=1 -Dout=target/chat-load.json}
 */
public final class ChatLoad {

    private final Settings settings;
    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final WebSocketStompClient stompClient;

    private final List<User> users = new ArrayList<>();
    private final List<Conversation> conversations = new ArrayList<>();
    private final Map<String, Send> sends = new ConcurrentHashMap<>();
    private final Recorder ackLatency = new Recorder(3);
    private final Recorder receiveLatency = new Recorder(3);
    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder ackedDuplicate = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();
    private final LongAdder unknownCopies = new LongAdder();
    private final LongAdder expectedCopies = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);

    private ChatLoad(Settings settings) {
        this.settings = settings;
        stompClient = new WebSocketStompClient(new StandardWebSocketClient());
        // Frames stay text: JSON is parsed here, and sent as written (the server wants application/json).
        stompClient.setMessageConverter(new StringMessageConverter() {
            @Override
            protected boolean supportsMimeType(MessageHeaders headers) {
                return true;
            }
        });
        stompClient.setInboundMessageSizeLimit(1024 * 1024);
        ThreadPoolTaskScheduler receipts = new ThreadPoolTaskScheduler();
        receipts.setDaemon(true);
        receipts.setPoolSize(2);
        receipts.setThreadNamePrefix("chat-load-receipts-");
        receipts.initialize();
        stompClient.setTaskScheduler(receipts);
        // No client heartbeats: they would be written from another thread than the sender's.
        stompClient.setDefaultHeartbeat(new long[] {0, 0});
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromSystemProperties();
        ChatLoad load = new ChatLoad(settings);
        try {
            load.run();
        } finally {
            load.stompClient.stop();
        }
        System.exit(0);
    }

    // ---- the run ----

    private void run() throws Exception {
        System.out.println("Chat load " + settings);
        ServerProcesses server = ServerProcesses.find(settings);
        System.out.println("Server JVM pid " + server.jvmPid() + ", PostgreSQL postmaster pid " + server.postmasterPid()
                + ", database " + server.dbUrl());
        if (settings.idle) {
            writeReport(idleSessions(server));
            return;
        }
        setUp();
        System.out.printf("%d users, %d conversations, %d sessions connected%n", users.size(), conversations.size(),
                users.stream().mapToInt(user -> user.sessions.size()).sum());

        DbStats dbBefore = DbStats.sample(server.dbUrl());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        long measureFrom = start + settings.warmup.toNanos();
        long end = measureFrom + settings.measured().toNanos();
        measureFromNanos = measureFrom;
        settings.schedule().forEach(phase -> phaseStats.add(new PhaseStats(phase)));
        CpuSampler cpu = new CpuSampler(server, measureFrom, end);
        cpu.start();
        Thread memory = settings.phases().isEmpty() ? null : memorySampler(server, measureFrom);
        sendOnSchedule(start, measureFrom, end);
        long lastSend = System.nanoTime();
        cpu.join();
        boolean complete = drain();
        long drained = System.nanoTime() - lastSend;
        awaitQuietStatistics(server.dbUrl());
        DbStats dbAfter = DbStats.sample(server.dbUrl());

        Map<String, Object> report = report(cpu, dbBefore, dbAfter, complete, drained);
        if (memory != null) {
            memory.join();
            report.put("phases", phasesReport());
        }
        printSummary(report);
        writeReport(report);
        closeSessions();
    }

    private void writeReport(Map<String, Object> report) throws IOException {
        if (settings.out != null) {
            Path out = Path.of(settings.out);
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            System.out.println("Report written to " + out.toAbsolutePath());
        }
    }

    private void closeSessions() {
        for (User user : users) {
            for (Session session : user.sessions) {
                session.close();
            }
        }
    }

    /**
     * What idle sessions cost the server ({@code -Didle=true}): its footprint (RSS, and heap in use
     * after a full collection) with no session of these users open, then with {@code users} ×
     * {@code sessions} sessions connected and subscribed, each time after a garbage collection
     * and once the RSS has stopped moving for {@code settle}.
     */
    private Map<String, Object> idleSessions(ServerProcesses server) throws Exception {
        createUsers();
        Footprint before = Footprint.settled(server, settings.settle);
        System.out.printf("before: RSS %.1f MB, heap used %.1f MB%n", before.rssKb / 1024.0, before.heapKb / 1024.0);
        long started = System.nanoTime();
        connectAll();
        int sessions = users.stream().mapToInt(user -> user.sessions.size()).sum();
        System.out.printf("%d sessions connected in %.1f s%n", sessions, (System.nanoTime() - started) / 1e9);
        Footprint after = Footprint.settled(server, settings.settle);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "idle-sessions");
        report.put("time", Instant.now().toString());
        report.put("gitCommit", gitCommit());
        report.put("parameters", Map.of("users", settings.users, "sessionsPerUser", settings.sessions));
        report.put("sessions", sessions);
        report.put("errors", Map.copyOf(errors.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum()))));
        report.put("rssMbBefore", round(before.rssKb / 1024.0, 1));
        report.put("rssMbAfter", round(after.rssKb / 1024.0, 1));
        report.put("heapUsedMbBefore", round(before.heapKb / 1024.0, 1));
        report.put("heapUsedMbAfter", round(after.heapKb / 1024.0, 1));
        report.put("rssKbPerSession", sessions == 0 ? null : round((after.rssKb - before.rssKb) / (double) sessions, 1));
        report.put("heapKbPerSession", sessions == 0 ? null
                : round((after.heapKb - before.heapKb) / (double) sessions, 1));
        System.out.println("# Idle sessions (commit " + report.get("gitCommit") + ")");
        report.forEach((key, value) -> System.out.println(key + ": " + value));
        closeSessions();
        return report;
    }

    /** The server's resident memory and heap in use, measured after a full collection. */
    private record Footprint(long rssKb, long heapKb) {

        static Footprint settled(ServerProcesses server, Duration settle) {
            long heap = server.collectGarbage();
            AtomicLong last = new AtomicLong(server.rssKb());
            AtomicLong stillSince = new AtomicLong(System.nanoTime());
            await("server RSS at rest").atMost(settle.multipliedBy(10)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long now = server.rssKb();
                        // Moves of less than 1 MB are noise (a thread stack, a buffer).
                        if (Math.abs(now - last.get()) > 1024) {
                            last.set(now);
                            stillSince.set(System.nanoTime());
                        }
                        return System.nanoTime() - stillSince.get() >= settle.toNanos();
                    });
            return new Footprint(server.rssKb(), heap);
        }
    }

    /** Connects every user's sessions, several at a time (one at a time, 10,000 take minutes). */
    private void connectAll() throws Exception {
        String url = settings.wsUrl();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> connected = new ArrayList<>();
            for (User user : users) {
                for (int s = 0; s < settings.sessions; s++) {
                    connected.add(pool.submit(() -> {
                        Session session = connect(url, user);
                        synchronized (user) {
                            user.sessions.add(session);
                        }
                        return null;
                    }));
                }
            }
            for (var future : connected) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void createUsers() throws Exception {
        for (int i = 1; i <= settings.users; i++) {
            String username = ChatLoadUsers.PREFIX + i;
            String token = token(username);
            JsonNode me = rest("GET", "/api/v1/me", token, null);
            users.add(new User(username, token, me.get("id").asString()));
        }
    }

    private void setUp() throws Exception {
        createUsers();
        // Members are taken in turn from a shuffled ring of users, so memberships spread evenly
        // (20 groups of 10 out of 200 users: everyone in exactly one group).
        Random random = new Random(settings.seed);
        List<User> ring = new ArrayList<>(users);
        Collections.shuffle(ring, random);
        int next = 0;
        int number = 0;
        for (Map.Entry<Integer, Integer> kind : settings.conversationCounts().entrySet()) {
            int size = kind.getKey();
            if (size > users.size()) {
                throw new IllegalArgumentException("Conversations of " + size + " need at least as many users");
            }
            for (int c = 0; c < kind.getValue(); c++) {
                List<User> members = new ArrayList<>();
                for (int m = 0; m < size; m++) {
                    members.add(ring.get(next++ % ring.size()));
                }
                User owner = members.getFirst();
                JsonNode created = size == 2
                        ? rest("POST", "/api/v1/conversations/direct", owner.token, Map.of("userId", members.get(1).id))
                        : rest("POST", "/api/v1/conversations/groups", owner.token, Map.of(
                                "name", "Load " + runId + " #" + (++number),
                                "memberIds", members.stream().skip(1).map(user -> user.id).toList()));
                Conversation conversation = new Conversation(created.get("id").asString(), members);
                if (conversations.stream().anyMatch(existing -> existing.id.equals(conversation.id))) {
                    continue; // a direct chat of a pair met before: there is only one per pair
                }
                conversations.add(conversation);
                for (User member : members) {
                    member.conversations.add(conversation);
                }
            }
        }
        connectAll();
    }

    /** The open loop: one thread, exponential gaps, each send stamped with its scheduled time. */
    private void sendOnSchedule(long start, long measureFrom, long end) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String text = text(settings.textBytes);
        List<Phase> schedule = settings.schedule();
        long scheduled = start;
        long number = 0;
        int phase = -1;
        long phaseEnd = measureFrom;
        while (true) {
            // The warm-up runs at the first phase's rate.
            double meanGapNanos = 1e9 / schedule.get(Math.max(phase, 0)).rate();
            scheduled += (long) (-Math.log(1 - random.nextDouble()) * meanGapNanos);
            if (scheduled >= end) {
                return;
            }
            while (scheduled >= phaseEnd && phase + 1 < schedule.size()) {
                phase++;
                phaseEnd += schedule.get(phase).duration().toNanos();
            }
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            // The conversation first, then one of its members: the mix's shares are shares of the
            // traffic, and a group of 500 does not take most of it just because most users are in it.
            Conversation conversation = conversations.get(random.nextInt(conversations.size()));
            User sender = conversation.members.get(random.nextInt(conversation.members.size()));
            Session session = sender.sessions.get(random.nextInt(sender.sessions.size()));
            String clientMessageId = "load-" + runId + "-" + (++number);
            Send send = new Send(scheduled, scheduled >= measureFrom, conversation.members.size() * settings.sessions,
                    scheduled >= measureFrom ? phase : -1);
            sends.put(clientMessageId, send);
            sent.increment();
            if (send.phase >= 0) {
                phaseStats.get(send.phase).scheduled.increment();
            }
            try {
                session.send(conversation.id, clientMessageId, text);
            } catch (RuntimeException failed) {
                send.settled.set(true);
                error("SEND_FAILED " + failed.getClass().getSimpleName());
            }
        }
    }

    /** Waits until every send is answered and every copy arrived, or {@code drain} has passed. */
    private boolean drain() {
        try {
            await("every answer and every copy").atMost(settings.drain).pollInterval(Duration.ofMillis(50))
                    .until(() -> outstanding() == 0);
            return true;
        } catch (ConditionTimeoutException stillOutstanding) {
            return false;
        }
    }

    /**
     * Waits until the table write counters have not moved for {@code settle}: after-commit work
     * (audit, search) is done and PostgreSQL, which reports an idle backend's statistics up to
     * 10 s late, has reported it. (Commit counters move with every sample, so they cannot tell.)
     */
    private void awaitQuietStatistics(String dbUrl) {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(DbStats.sample(dbUrl).writesByTable());
        AtomicLong quietSince = new AtomicLong(System.nanoTime());
        await("table statistics at rest").atMost(settings.settle.multipliedBy(10)).pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Map<String, Long> now = DbStats.sample(dbUrl).writesByTable();
                    if (!now.equals(last.getAndSet(now))) {
                        quietSince.set(System.nanoTime());
                    }
                    return System.nanoTime() - quietSince.get() >= settings.settle.toNanos();
                });
    }

    private long outstanding() {
        long open = 0;
        for (Send send : sends.values()) {
            if (!send.settled.get()) {
                open++;
            } else if (send.acked && send.copies.get() < send.expectedCopies) {
                open++;
            }
        }
        return open;
    }

    // ---- what arrives ----

    private void onAck(JsonNode ack) {
        Send send = sends.get(ack.path("clientMessageId").asString());
        long now = System.nanoTime();
        if (send == null || !send.settled.compareAndSet(false, true)) {
            error("UNEXPECTED_ACK");
            return;
        }
        send.acked = true;
        acked.increment();
        expectedCopies.add(send.expectedCopies);
        if (ack.path("duplicate").asBoolean(false)) {
            ackedDuplicate.increment();
        }
        if (send.measured) {
            long micros = Math.max(0, (now - send.scheduled) / 1000);
            ackLatency.recordValue(micros);
            PhaseStats phase = phaseOf(send);
            phase.ack.recordValue(micros);
            phase.accepted.increment();
        }
    }

    private void onError(JsonNode error) {
        error(error.path("code").asString("UNKNOWN"));
        Send send = sends.get(error.path("clientMessageId").asString(""));
        if (send != null) {
            send.settled.set(true);
            if (send.measured) {
                phaseOf(send).refused.computeIfAbsent(error.path("code").asString("UNKNOWN"), code -> new LongAdder())
                        .increment();
                refusedBySecond.computeIfAbsent(secondOf(send), second -> new LongAdder()).increment();
            }
        }
    }

    private void onEvent(Session session, JsonNode event) {
        if (!"message.posted".equals(event.path("type").asString())) {
            return;
        }
        long now = System.nanoTime();
        JsonNode message = event.path("message");
        Send send = sends.get(message.path("clientMessageId").asString(""));
        if (send == null) {
            unknownCopies.increment();
            return;
        }
        if (!session.seen.add(message.path("id").asLong())) {
            duplicates.increment();
            return;
        }
        long seq = message.path("seq").asLong();
        Long previous = session.lastSeq.put(event.path("conversationId").asString(), seq);
        if (previous != null && seq < previous) {
            outOfOrder.increment();
        }
        send.copies.incrementAndGet();
        delivered.increment();
        if (send.measured) {
            long micros = Math.max(0, (now - send.scheduled) / 1000);
            receiveLatency.recordValue(micros);
            phaseOf(send).receive.recordValue(micros);
            receiveBySecond.computeIfAbsent(secondOf(send), second -> new Recorder(3)).recordValue(micros);
        }
    }

    private void error(String code) {
        errors.computeIfAbsent(code, any -> new LongAdder()).increment();
    }

    // ---- the report ----

    private Map<String, Object> report(CpuSampler cpu, DbStats dbBefore, DbStats dbAfter, boolean complete,
            long drainedNanos) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "chat-load");
        report.put("time", Instant.now().toString());
        report.put("gitCommit", gitCommit());
        report.put("parameters", settings.asMap());
        report.put("setup", Map.of("users", users.size(), "conversations", conversations.size(),
                "sessions", users.stream().mapToInt(user -> user.sessions.size()).sum()));

        long measuredSends = sends.values().stream().filter(send -> send.measured).count();
        long errorTotal = errors.values().stream().mapToLong(LongAdder::sum).sum();
        long deliveredSum = delivered.sum();
        long expected = expectedCopies.sum();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("sent", sent.sum());
        counts.put("sentMeasured", measuredSends);
        counts.put("acked", acked.sum());
        counts.put("ackedAsDuplicate", ackedDuplicate.sum());
        counts.put("errors", errorTotal);
        counts.put("errorsByCode", new TreeMap<>(errors.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().sum()))));
        counts.put("unanswered", sends.values().stream().filter(send -> !send.settled.get()).count());
        counts.put("expectedCopies", expected);
        counts.put("deliveredCopies", deliveredSum);
        counts.put("missingCopies", Math.max(0, expected - deliveredSum));
        counts.put("duplicateCopies", duplicates.sum());
        counts.put("outOfOrderCopies", outOfOrder.sum());
        counts.put("copiesOfUnknownSends", unknownCopies.sum());
        counts.put("allDeliveredWithinDrain", complete);
        counts.put("drainSeconds", round(drainedNanos / 1e9, 2));
        report.put("counts", counts);

        double window = settings.measured().toNanos() / 1e9;
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("sendToAckMs", percentiles(ackLatency.getIntervalHistogram()));
        latency.put("sendToReceiveMs", percentiles(receiveLatency.getIntervalHistogram()));
        report.put("latency", latency);
        report.put("throughput", Map.of(
                "scheduledPerSecond", round(measuredSends / window, 1),
                "copiesPerSecond", round(deliveredSum / ((settings.warmup.toNanos() + settings.measured().toNanos()) / 1e9), 1)));

        Map<String, Object> serverCost = new LinkedHashMap<>();
        double jvmCpu = cpu.jvmCpuSeconds();
        double pgCpu = cpu.postgresCpuSeconds();
        serverCost.put("windowSeconds", round(cpu.windowSeconds(), 2));
        serverCost.put("jvmCpuSeconds", round(jvmCpu, 2));
        serverCost.put("jvmCores", round(jvmCpu / cpu.windowSeconds(), 2));
        serverCost.put("postgresCpuSeconds", round(pgCpu, 2));
        serverCost.put("postgresCores", round(pgCpu / cpu.windowSeconds(), 2));
        serverCost.put("cpuMsPerMessage", measuredSends == 0 ? null : round((jvmCpu + pgCpu) * 1000 / measuredSends, 2));
        // The generator shares the machine: what it takes, the server cannot have.
        serverCost.put("generatorCores", round((cpu.generatorEnd - cpu.generatorStart) / cpu.windowSeconds(), 2));
        // Everything else that ran meanwhile (another build, say): the figures are only as good as this is small.
        double machine = cpu.machineEnd - cpu.machineStart;
        serverCost.put("machineBusyCores", round(machine / cpu.windowSeconds(), 2));
        serverCost.put("otherCores", round((machine - jvmCpu - pgCpu - (cpu.generatorEnd - cpu.generatorStart))
                / cpu.windowSeconds(), 2));
        serverCost.put("jvmRssMbStart", round(cpu.rssStartKb / 1024.0, 1));
        serverCost.put("jvmRssMbEnd", round(cpu.rssEndKb / 1024.0, 1));
        serverCost.put("jvmRssMbPeak", round(cpu.rssPeakKb / 1024.0, 1));
        report.put("serverCost", serverCost);

        Map<String, Object> database = new LinkedHashMap<>();
        long ackedAll = acked.sum() - ackedDuplicate.sum();
        long commits = dbAfter.commits - dbBefore.commits;
        long writes = dbAfter.rowWrites() - dbBefore.rowWrites();
        database.put("messagesAcked", ackedAll);
        database.put("commits", commits);
        database.put("rowWrites", writes);
        database.put("commitsPerMessage", ackedAll == 0 ? null : round((double) commits / ackedAll, 2));
        database.put("rowWritesPerMessage", ackedAll == 0 ? null : round((double) writes / ackedAll, 2));
        database.put("rowWritesPerMessageByTable", dbAfter.perMessageSince(dbBefore, ackedAll));
        report.put("database", database);
        return report;
    }

    private void printSummary(Map<String, Object> report) {
        @SuppressWarnings("unchecked") Map<String, Object> counts = (Map<String, Object>) report.get("counts");
        @SuppressWarnings("unchecked") Map<String, Object> latency = (Map<String, Object>) report.get("latency");
        @SuppressWarnings("unchecked") Map<String, Object> cost = (Map<String, Object>) report.get("serverCost");
        @SuppressWarnings("unchecked") Map<String, Object> db = (Map<String, Object>) report.get("database");
        System.out.println();
        System.out.println("# Chat load (commit " + report.get("gitCommit") + ")");
        System.out.println("parameters: " + report.get("parameters"));
        System.out.println("| metric | p50 | p90 | p99 | p99.9 | max | count |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String name : List.of("sendToAckMs", "sendToReceiveMs")) {
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) latency.get(name);
            System.out.printf("| %s | %s | %s | %s | %s | %s | %s |%n", name, p.get("p50"), p.get("p90"), p.get("p99"),
                    p.get("p99.9"), p.get("max"), p.get("count"));
        }
        System.out.println("counts: " + counts);
        System.out.println("server: " + cost);
        Map<String, Object> dbShort = new LinkedHashMap<>(db);
        dbShort.remove("rowWritesPerMessageByTable");
        System.out.println("database: " + dbShort);
        System.out.println("row writes per message by table: " + db.get("rowWritesPerMessageByTable"));
        if (report.get("phases") instanceof Map<?, ?> phases) {
            ((List<?>) phases.get("byPhase")).forEach(phase -> System.out.println("phase: " + phase));
            System.out.println("accepted p99 ms / refused, second by second: " + ((List<?>) phases.get("bySecond"))
                    .stream().map(row -> ((Map<?, ?>) row).get("acceptedP99Ms") + "/" + ((Map<?, ?>) row).get("refused"))
                    .collect(Collectors.joining(" ")));
        }
    }

    private static Map<String, Object> percentiles(Histogram micros) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", micros.getTotalCount());
        p.put("p50", ms(micros.getValueAtPercentile(50)));
        p.put("p90", ms(micros.getValueAtPercentile(90)));
        p.put("p99", ms(micros.getValueAtPercentile(99)));
        p.put("p99.9", ms(micros.getValueAtPercentile(99.9)));
        p.put("max", ms(micros.getMaxValue()));
        p.put("mean", round(micros.getMean() / 1000, 2));
        return p;
    }

    private static double ms(long micros) {
        return round(micros / 1000.0, 2);
    }

    private static double round(double value, int places) {
        double scale = Math.pow(10, places);
        return Math.round(value * scale) / scale;
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? head : null;
        } catch (IOException | InterruptedException unavailable) {
            return null;
        }
    }

    private static String text(int bytes) {
        StringBuilder text = new StringBuilder("Load test message, about a hundred bytes like a short chat line: ");
        while (text.length() < bytes) {
            text.append('x');
        }
        return text.substring(0, bytes);
    }

    // ---- REST and STOMP ----

    private String token(String username) throws Exception {
        HttpResponse<String> response = send("POST", "/api/v1/dev/token", null, Map.of("username", username));
        if (response.statusCode() == 404) {
            throw new IllegalStateException("The instance knows no user '" + username + "': start it with the load"
                    + " users (io.chorus.benchmark.ChatLoadUsers -Dusers=" + settings.users + ", then"
                    + " -Dspring-boot.run.arguments=--spring.config.additional-location=optional:file:target/chat-load/)."
                    + " Answer: " + response.body());
        }
        return json(response, "POST /api/v1/dev/token").get("access_token").asString();
    }

    private JsonNode rest(String method, String path, String token, Object body) throws Exception {
        return json(send(method, path, token, body), method + " " + path);
    }

    private JsonNode json(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String method, String path, String token, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Session connect(String url, User user) throws Exception {
        Session session = new Session();
        StompHeaders connect = new StompHeaders();
        connect.add("Authorization", "Bearer " + user.token);
        session.stomp = stompClient.connectAsync(url, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
            @Override
            public Type getPayloadType(StompHeaders headers) {
                return String.class;
            }

            @Override
            public void handleFrame(StompHeaders headers, Object payload) {
                error("ERROR_FRAME " + headers.getFirst("message"));
            }

            @Override
            public void handleTransportError(StompSession stomp, Throwable exception) {
                error("TRANSPORT " + exception.getClass().getSimpleName());
            }
        }).get(30, TimeUnit.SECONDS);
        CountDownLatch subscribed = new CountDownLatch(3);
        subscribe(session.stomp, "/user/queue/events", body -> onEvent(session, body), subscribed);
        subscribe(session.stomp, "/user/queue/acks", this::onAck, subscribed);
        subscribe(session.stomp, "/user/queue/errors", this::onError, subscribed);
        if (!subscribed.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("No receipts for the subscriptions of " + user.username);
        }
        return session;
    }

    private void subscribe(StompSession stomp, String destination, Consumer<JsonNode> handler,
            CountDownLatch subscribed) {
        StompHeaders headers = new StompHeaders();
        headers.setDestination(destination);
        headers.setReceipt("sub-" + destination);
        StompSession.Subscription subscription = stomp.subscribe(headers, new StompFrameHandler() {
            @Override
            public Type getPayloadType(StompHeaders frameHeaders) {
                return String.class;
            }

            @Override
            public void handleFrame(StompHeaders frameHeaders, Object payload) {
                handler.accept(json.readTree((String) payload));
            }
        });
        subscription.addReceiptTask(subscribed::countDown);
    }

    private static final class User {
        final String username;
        final String token;
        final String id;
        final List<Conversation> conversations = new ArrayList<>();
        final List<Session> sessions = new ArrayList<>();

        User(String username, String token, String id) {
            this.username = username;
            this.token = token;
            this.id = id;
        }
    }

    private record Conversation(String id, List<User> members) {
    }

    private static final class Session {
        StompSession stomp;
        final Set<Long> seen = ConcurrentHashMap.newKeySet();
        final Map<String, Long> lastSeq = new ConcurrentHashMap<>();

        void send(String conversationId, String clientMessageId, String text) {
            StompHeaders headers = new StompHeaders();
            headers.setDestination("/app/conversations/" + conversationId + "/messages");
            headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
            stomp.send(headers, "{\"clientMessageId\":\"" + clientMessageId + "\",\"text\":\"" + text + "\"}");
        }

        void close() {
            try {
                if (stomp.isConnected()) {
                    stomp.disconnect();
                }
            } catch (RuntimeException alreadyClosed) {
                // The server closed it first; nothing to do.
            }
        }
    }

    private static final class Send {
        final long scheduled;
        final boolean measured;
        final int expectedCopies;
        final AtomicBoolean settled = new AtomicBoolean();
        volatile boolean acked;
        final AtomicInteger copies = new AtomicInteger();

        final int phase;

        Send(long scheduled, boolean measured, int expectedCopies, int phase) {
            this.scheduled = scheduled;
            this.measured = measured;
            this.phase = phase;
            this.expectedCopies = expectedCopies;
        }
    }

    // ---- phases: a rate that changes during the run (overload and recovery) ----

    /** {@code rate} sends per second for {@code duration}; written {@code rate:duration}, e.g. {@code 2000:30s}. */
    record Phase(double rate, Duration duration) {

        static List<Phase> parse(String text) {
            if (text == null || text.isBlank()) {
                return List.of();
            }
            List<Phase> phases = new ArrayList<>();
            for (String part : text.split(",")) {
                String[] rateAndDuration = part.trim().split(":");
                phases.add(new Phase(Double.parseDouble(rateAndDuration[0]), Settings.duration(rateAndDuration[1])));
            }
            return phases;
        }

        @Override
        public String toString() {
            return (long) rate + "/s for " + duration.toMillis() / 1000.0 + " s";
        }
    }

    /**
     * What happened to the sends scheduled in each phase, and second by second: the latency of
     * accepted sends, how many were refused and why, and the server's heap and RSS as sampled.
     */
    private final class PhaseStats {
        final Phase phase;
        final Recorder ack = new Recorder(3);
        final Recorder receive = new Recorder(3);
        final LongAdder scheduled = new LongAdder();
        final LongAdder accepted = new LongAdder();
        final Map<String, LongAdder> refused = new ConcurrentHashMap<>();
        final List<long[]> memory = Collections.synchronizedList(new ArrayList<>());

        PhaseStats(Phase phase) {
            this.phase = phase;
        }

        Map<String, Object> report() {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("phase", phase.toString());
            report.put("scheduled", scheduled.sum());
            report.put("accepted", accepted.sum());
            report.put("refused", refused.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().sum())));
            report.put("acceptedSendToAckMs", percentiles(ack.getIntervalHistogram()));
            report.put("acceptedSendToReceiveMs", percentiles(receive.getIntervalHistogram()));
            synchronized (memory) {
                report.put("heapUsedMb", range(memory.stream().mapToLong(sample -> sample[0]).summaryStatistics()));
                report.put("rssMb", range(memory.stream().mapToLong(sample -> sample[1]).summaryStatistics()));
            }
            return report;
        }
    }

    private static Map<String, Object> range(LongSummaryStatistics samples) {
        return samples.getCount() == 0 ? Map.of() : Map.of("min", samples.getMin(), "max", samples.getMax(),
                "mean", round(samples.getAverage(), 1), "samples", samples.getCount());
    }

    private final List<PhaseStats> phaseStats = new ArrayList<>();
    /** Per second of the measured window: the p99 of send→receive of the sends scheduled in it. */
    private final Map<Integer, Recorder> receiveBySecond = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> refusedBySecond = new ConcurrentHashMap<>();
    private volatile long measureFromNanos;

    private PhaseStats phaseOf(Send send) {
        return send.phase < 0 ? null : phaseStats.get(send.phase);
    }

    private int secondOf(Send send) {
        return (int) ((send.scheduled - measureFromNanos) / 1_000_000_000L);
    }

    /** Heap in use (no collection forced) and RSS, every two seconds, into the phase running then. */
    private Thread memorySampler(ServerProcesses server, long from) {
        return Thread.ofPlatform().daemon().name("chat-load-memory").start(() -> {
            List<Phase> schedule = settings.schedule();
            long phaseEnd = from;
            for (int i = 0; i < schedule.size(); i++) {
                phaseEnd += schedule.get(i).duration().toNanos();
                while (System.nanoTime() < phaseEnd) {
                    LockSupport.parkNanos(Math.max(0, Math.min(TimeUnit.SECONDS.toNanos(2), phaseEnd - System.nanoTime())));
                    if (System.nanoTime() >= from) {
                        phaseStats.get(i).memory.add(new long[] {server.heapUsedKb() / 1024, server.rssKb() / 1024});
                    }
                }
            }
        });
    }

    private Map<String, Object> phasesReport() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("byPhase", phaseStats.stream().map(PhaseStats::report).toList());
        List<Map<String, Object>> seconds = new ArrayList<>();
        receiveBySecond.keySet().stream().sorted().forEach(second -> {
            Histogram histogram = receiveBySecond.get(second).getIntervalHistogram();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("second", second);
            row.put("acceptedP99Ms", ms(histogram.getValueAtPercentile(99)));
            row.put("refused", refusedBySecond.getOrDefault(second, new LongAdder()).sum());
            seconds.add(row);
        });
        report.put("bySecond", seconds);
        return report;
    }

    // ---- settings ----

    record Settings(String host, int port, int users, int groups, int groupSize, Map<String, Double> mix,
            int sessions, double rate, Duration warmup, Duration duration, Duration drain, Duration settle,
            int textBytes, long seed, String out, Long pid, String dataDir, String dbUrl, boolean idle,
            List<Phase> phases) {

        static Settings fromSystemProperties() {
            int groups = Integer.getInteger("groups", 20);
            int groupSize = Integer.getInteger("groupSize", 10);
            String mixText = System.getProperty("mix");
            Map<String, Double> mix = new LinkedHashMap<>();
            if (mixText == null || mixText.isBlank()) {
                mix.put(String.valueOf(groupSize), 1.0);
            } else {
                for (String part : mixText.split(",")) {
                    String[] kv = part.trim().split(":");
                    mix.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
                }
            }
            String pid = System.getProperty("pid");
            String dataDir = System.getProperty("dataDir", System.getenv().getOrDefault("CHORUS_DATA_DIR",
                    ".chorus-data/postgres"));
            return new Settings(System.getProperty("host", "localhost"), Integer.getInteger("port", 8080),
                    Integer.getInteger("users", 200), groups, groupSize, mix, Integer.getInteger("sessions", 1),
                    Double.parseDouble(System.getProperty("rate", "100")),
                    duration(System.getProperty("warmup", "10s")), duration(System.getProperty("duration", "30s")),
                    duration(System.getProperty("drain", "10s")), duration(System.getProperty("settle", "11s")),
                    Integer.getInteger("textBytes", 100), Long.getLong("seed", 42L), System.getProperty("out"),
                    pid == null ? null : Long.valueOf(pid), dataDir, System.getProperty("db.url"),
                    Boolean.getBoolean("idle"), Phase.parse(System.getProperty("phases")));
        }

        /** The measured window: the phases one after another, or {@code duration} at {@code rate}. */
        List<Phase> schedule() {
            return phases.isEmpty() ? List.of(new Phase(rate, duration)) : phases;
        }

        Duration measured() {
            return schedule().stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
        }

        /**
         * How many conversations of each size: {@code groups} conversations in all, shared out by
         * {@code mix} ({@code direct} is a direct chat, two members).
         */
        Map<Integer, Integer> conversationCounts() {
            Map<Integer, Integer> counts = new LinkedHashMap<>();
            double total = mix.values().stream().mapToDouble(Double::doubleValue).sum();
            for (Map.Entry<String, Double> kind : mix.entrySet()) {
                int size = kind.getKey().equals("direct") ? 2 : Integer.parseInt(kind.getKey());
                int count = (int) Math.round(groups * kind.getValue() / total);
                counts.merge(size, Math.max(count, kind.getValue() > 0 ? 1 : 0), Integer::sum);
            }
            return counts;
        }

        String baseUrl() {
            return "http://" + host + ":" + port;
        }

        String wsUrl() {
            return "ws://" + host + ":" + port + "/ws";
        }

        Map<String, Object> asMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("host", host);
            map.put("port", port);
            map.put("users", users);
            map.put("conversations", groups);
            map.put("mix", mix);
            map.put("conversationCounts", conversationCounts());
            map.put("sessionsPerUser", sessions);
            map.put("rate", schedule().getFirst().rate());
            map.put("warmupSeconds", warmup.toMillis() / 1000.0);
            map.put("durationSeconds", measured().toMillis() / 1000.0);
            if (!phases.isEmpty()) {
                map.put("phases", phases.stream().map(Phase::toString).toList());
            }
            map.put("drainSeconds", drain.toMillis() / 1000.0);
            map.put("textBytes", textBytes);
            map.put("seed", seed);
            return map;
        }

        static Duration duration(String text) {
            String t = text.trim().toLowerCase();
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis((long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis((long) (Double.parseDouble(t) * 1000));
        }
    }

    // ---- server processes and their cost ----

    /** The server JVM and the PostgreSQL postmaster, read from /proc (Linux). */
    record ServerProcesses(long jvmPid, long postmasterPid, String dbUrl) {

        static ServerProcesses find(Settings settings) throws IOException {
            long jvm = settings.pid != null ? settings.pid : listening(settings.port);
            // postmaster.pid: line 1 the server's pid, line 4 its port.
            Path pidFile = Path.of(settings.dataDir).resolve("postmaster.pid");
            long postmaster = -1;
            String url = settings.dbUrl;
            if (Files.exists(pidFile)) {
                List<String> lines = Files.readAllLines(pidFile);
                postmaster = Long.parseLong(lines.get(0).trim());
                if (url == null) {
                    url = "jdbc:postgresql://localhost:" + lines.get(3).trim() + "/postgres";
                }
            }
            return new ServerProcesses(jvm, postmaster, url);
        }

        /**
         * The process with a listening socket on {@code port}: the socket's inode from
         * /proc/net/tcp(6), then the process holding it among /proc/[pid]/fd. -1 if none is found
         * (another user's process, say): then pass {@code -Dpid}.
         */
        static long listening(int port) throws IOException {
            Set<String> inodes = new HashSet<>();
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path file = Path.of(table);
                if (!Files.exists(file)) {
                    continue;
                }
                for (String line : Files.readAllLines(file).stream().skip(1).toList()) {
                    String[] f = line.trim().split("\\s+");
                    String local = f[1];
                    int localPort = Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16);
                    if (localPort == port && f[3].equals("0A")) {
                        inodes.add("socket:[" + f[9] + "]");
                    }
                }
            }
            if (inodes.isEmpty()) {
                return -1;
            }
            try (var processes = Files.list(Path.of("/proc"))) {
                for (Path process : processes.filter(dir -> dir.getFileName().toString().matches("\\d+")).toList()) {
                    try (var fds = Files.list(process.resolve("fd"))) {
                        for (Path fd : fds.toList()) {
                            try {
                                if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                    return Long.parseLong(process.getFileName().toString());
                                }
                            } catch (IOException closed) {
                                // The descriptor closed while we looked.
                            }
                        }
                    } catch (IOException | SecurityException unreadable) {
                        // Another user's process or one that ended: not ours to measure.
                    }
                }
            }
            return -1;
        }

        /** CPU seconds of a process (user + system), with its waited-for children's when asked. */
        static double cpuSeconds(long pid, boolean withReapedChildren) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // Fields after the command: state(3) ppid(4) ... utime(14) stime(15) cutime(16) cstime(17).
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                if (withReapedChildren) {
                    ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                }
                return ticks / 100.0;
            } catch (IOException | RuntimeException gone) {
                return 0;
            }
        }

        /** The postmaster with the backends it has reaped, plus those still running. */
        double postgresCpuSeconds() {
            if (postmasterPid < 0) {
                return 0;
            }
            double total = cpuSeconds(postmasterPid, true);
            for (ProcessHandle child : ProcessHandle.of(postmasterPid).map(p -> p.children().toList()).orElse(List.of())) {
                total += cpuSeconds(child.pid(), true);
            }
            return total;
        }

        double jvmCpuSeconds() {
            return jvmPid < 0 ? 0 : cpuSeconds(jvmPid, false);
        }

        /**
         * Runs a full collection in the server JVM ({@code jcmd GC.run}) and returns its heap in use
         * afterwards, in KB ({@code GC.heap_info}); 0 when jcmd is not at hand.
         */
        long collectGarbage() {
            if (jvmPid < 0) {
                return 0;
            }
            try {
                new ProcessBuilder(jcmd(), String.valueOf(jvmPid), "GC.run").redirectErrorStream(true)
                        .start().waitFor(60, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException unavailable) {
                return 0;
            }
            return heapUsedKb();
        }

        /** The server JVM's heap in use now ({@code jcmd GC.heap_info}), in KB; 0 when unknown. */
        long heapUsedKb() {
            if (jvmPid < 0) {
                return 0;
            }
            try {
                Process info = new ProcessBuilder(jcmd(), String.valueOf(jvmPid), "GC.heap_info")
                        .redirectErrorStream(true).start();
                String output = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                var used = Pattern.compile("used (\\d+)K").matcher(output);
                return used.find() ? Long.parseLong(used.group(1)) : 0;
            } catch (IOException unavailable) {
                return 0;
            }
        }

        private static String jcmd() {
            return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        }

        long rssKb() {
            if (jvmPid < 0) {
                return 0;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(jvmPid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException gone) {
                // The process ended; report nothing.
            }
            return 0;
        }
    }

    /** Samples CPU at the start and end of the measured window, RSS every 250 ms within it. */
    private static final class CpuSampler extends Thread {
        private final ServerProcesses server;
        private final long from;
        private final long to;
        double jvmStart, jvmEnd, pgStart, pgEnd, generatorStart, generatorEnd, machineStart, machineEnd;
        long startedAt, endedAt;
        long rssStartKb, rssEndKb, rssPeakKb;

        CpuSampler(ServerProcesses server, long from, long to) {
            super("chat-load-cpu");
            setDaemon(true);
            this.server = server;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            LockSupport.parkNanos(from - System.nanoTime());
            startedAt = System.nanoTime();
            jvmStart = server.jvmCpuSeconds();
            generatorStart = ServerProcesses.cpuSeconds(ProcessHandle.current().pid(), false);
            machineStart = machineBusySeconds();
            pgStart = server.postgresCpuSeconds();
            rssStartKb = server.rssKb();
            rssPeakKb = rssStartKb;
            while (System.nanoTime() < to) {
                LockSupport.parkNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(250), to - System.nanoTime()));
                rssPeakKb = Math.max(rssPeakKb, server.rssKb());
            }
            endedAt = System.nanoTime();
            jvmEnd = server.jvmCpuSeconds();
            generatorEnd = ServerProcesses.cpuSeconds(ProcessHandle.current().pid(), false);
            machineEnd = machineBusySeconds();
            pgEnd = server.postgresCpuSeconds();
            rssEndKb = server.rssKb();
        }

        double windowSeconds() {
            return (endedAt - startedAt) / 1e9;
        }

        /** CPU seconds the whole machine was busy (all but idle and I/O wait), from /proc/stat. */
        static double machineBusySeconds() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length; i++) {
                    // user nice system idle iowait irq softirq steal guest guest_nice; guests are in user already.
                    if (i != 4 && i != 5 && i < 9) {
                        busy += Long.parseLong(f[i]);
                    }
                }
                return busy / 100.0;
            } catch (IOException | RuntimeException unavailable) {
                return 0;
            }
        }

        double jvmCpuSeconds() {
            return jvmEnd - jvmStart;
        }

        double postgresCpuSeconds() {
            return pgEnd - pgStart;
        }
    }

    /** Commits and row writes so far, from PostgreSQL's statistics. */
    private record DbStats(long commits, Map<String, Long> writesByTable) {

        static DbStats sample(String url) {
            if (url == null) {
                return new DbStats(0, Map.of());
            }
            try (Connection connection = DriverManager.getConnection(url, System.getProperty("db.user", "postgres"),
                    System.getProperty("db.password", "postgres"))) {
                // Statistics are cached per transaction; a fresh connection sees the current ones.
                long commits;
                try (ResultSet row = connection.createStatement().executeQuery(
                        "select xact_commit from pg_stat_database where datname = current_database()")) {
                    row.next();
                    commits = row.getLong(1);
                }
                Map<String, Long> writes = new TreeMap<>();
                try (ResultSet rows = connection.createStatement().executeQuery("""
                        select schemaname || '.' || relname, n_tup_ins + n_tup_upd + n_tup_del
                        from pg_stat_user_tables""")) {
                    while (rows.next()) {
                        writes.put(rows.getString(1), rows.getLong(2));
                    }
                }
                return new DbStats(commits, writes);
            } catch (SQLException unavailable) {
                System.err.println("No database statistics (" + unavailable.getMessage() + "); pass -Ddb.url");
                return new DbStats(0, Map.of());
            }
        }

        long rowWrites() {
            return writesByTable.values().stream().mapToLong(Long::longValue).sum();
        }

        Map<String, Double> perMessageSince(DbStats before, long messages) {
            Map<String, Double> perMessage = new TreeMap<>();
            if (messages == 0) {
                return perMessage;
            }
            writesByTable.forEach((table, writes) -> {
                long delta = writes - before.writesByTable.getOrDefault(table, 0L);
                if (delta > 0) {
                    perMessage.put(table, round((double) delta / messages, 2));
                }
            });
            return perMessage;
        }
    }
}
