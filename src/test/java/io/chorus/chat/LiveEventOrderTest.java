package io.chorus.chat;

import static io.chorus.support.RestApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.chorus.support.ChorusIntegrationTest;
import io.chorus.support.StompTestClient;
import io.chorus.support.TestClients;
import io.chorus.support.TestUser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The order promise of the live API: events of one conversation reach every session in the
 * order they were produced, so a client that sees seq 13 right after 11 has really missed 12.
 * Many senders at once (REST and STOMP) commit concurrently; without ordering after commit,
 * their events race each other to the sessions.
 */
@ChorusIntegrationTest
class LiveEventOrderTest {

    private static final int MEMBERS = 6;
    private static final int DEVICES = 2;
    private static final int REST_SENDERS = 3;
    private static final int STOMP_SENDERS = 3;
    private static final int PER_SENDER = 60;

    @Autowired
    TestClients clients;

    @Test
    void everyDeviceReceivesEverySeqOnceInIncreasingOrderUnderConcurrentSenders() throws Exception {
        // The last member only reads: its read cursor chases the senders, so read.updated events
        // interleave with the messages they read up to.
        List<TestUser> users = IntStream.range(0, MEMBERS + 1).mapToObj(i -> clients.user("order")).toList();
        TestUser reader = users.getLast();
        String group = group(users.getFirst(), "Order", users.subList(1, users.size()));
        int total = (REST_SENDERS + STOMP_SENDERS) * PER_SENDER;

        List<StompTestClient> devices = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TestUser user : users) {
                for (int d = 0; d < DEVICES; d++) {
                    devices.add(clients.stomp(user));
                }
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sending = new ArrayList<>();
            for (int s = 0; s < REST_SENDERS; s++) {
                var rest = clients.rest(users.get(s));
                int sender = s;
                sending.add(threads.submit(() -> {
                    start.await();
                    for (int m = 0; m < PER_SENDER; m++) {
                        rest.post("/api/v1/conversations/" + group + "/messages",
                                body("clientMessageId", "rest-" + sender + "-" + m, "text", "over REST " + m))
                                .status(201);
                    }
                    return null;
                }));
            }
            for (int s = 0; s < STOMP_SENDERS; s++) {
                // The first device of a member who is not sending over REST.
                StompTestClient device = devices.get((REST_SENDERS + s) * DEVICES);
                int sender = s;
                sending.add(threads.submit(() -> {
                    start.await();
                    for (int m = 0; m < PER_SENDER; m++) {
                        device.sendMessage(group, "stomp-" + sender + "-" + m, "over STOMP " + m);
                    }
                    return null;
                }));
            }
            var readerRest = clients.rest(reader);
            Future<?> reading = threads.submit(() -> {
                start.await();
                long read = 0;
                while (read < total) {
                    long lastSeq = readerRest.get("/api/v1/conversations/" + group).ok().json().get("lastSeq").asLong();
                    if (lastSeq > read) {
                        readerRest.post("/api/v1/conversations/" + group + "/read", body("seq", lastSeq)).ok();
                        read = lastSeq;
                    }
                }
                return null;
            });
            start.countDown();
            for (Future<?> sent : sending) {
                sent.get();
            }
            reading.get();

            List<Long> everySeq = LongStream.rangeClosed(1, total).boxed().toList();
            List<Future<List<Long>>> receiving = devices.stream()
                    .map(device -> threads.submit(() -> postedSeqs(device, total))).toList();
            for (int d = 0; d < devices.size(); d++) {
                assertThat(receiving.get(d).get())
                        .as("seqs in the order device %d of member %d received them", d % DEVICES, d / DEVICES)
                        .containsExactlyElementsOf(everySeq);
            }
            for (StompTestClient device : devices) {
                assertThat(device.drainEvents()).as("events after all %d messages", total)
                        .allSatisfy(event -> assertThat(event.get("type").asString()).isEqualTo("read.updated"));
            }
        } finally {
            devices.forEach(StompTestClient::close);
        }
    }

    @Test
    void changesToOneMessageReachEveryDeviceInVersionOrder() throws Exception {
        List<TestUser> users = IntStream.range(0, MEMBERS).mapToObj(i -> clients.user("versions")).toList();
        String group = group(users.getFirst(), "Versions", users.subList(1, MEMBERS));
        String messages = "/api/v1/conversations/" + group + "/messages/";
        long messageId = clients.rest(users.getFirst()).post(messages.substring(0, messages.length() - 1),
                body("clientMessageId", "target", "text", "react to me")).status(201).json().get("id").asLong();
        int reactionsEach = 20;
        String[] emoji = {"👍", "🎉", "👀", "🚀"};

        List<StompTestClient> devices = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (TestUser user : users) {
                for (int d = 0; d < DEVICES; d++) {
                    devices.add(clients.stomp(user));
                }
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> reacting = new ArrayList<>();
            for (TestUser user : users) {
                var rest = clients.rest(user);
                reacting.add(threads.submit(() -> {
                    start.await();
                    // Add, remove, add another...: every call changes the message.
                    for (int r = 0; r < reactionsEach; r++) {
                        String reaction = messages + messageId + "/reactions/" + emoji[r / 2 % emoji.length];
                        (r % 2 == 0 ? rest.put(reaction) : rest.delete(reaction)).ok();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> reacted : reacting) {
                reacted.get();
            }
            int changes = MEMBERS * reactionsEach;

            List<Integer> everyVersion = IntStream.rangeClosed(2, changes + 1).boxed().toList();
            List<Future<List<Integer>>> receiving = devices.stream()
                    .map(device -> threads.submit(() -> versions(device, changes))).toList();
            for (int d = 0; d < devices.size(); d++) {
                assertThat(receiving.get(d).get())
                        .as("versions in the order device %d of member %d received them", d % DEVICES, d / DEVICES)
                        .containsExactlyElementsOf(everyVersion);
            }
        } finally {
            devices.forEach(StompTestClient::close);
        }
    }

    /**
     * The seqs of the first {@code count} message.posted events, in the order received; a
     * read.updated among them must not read past the messages received before it.
     */
    private static List<Long> postedSeqs(StompTestClient device, int count) {
        List<Long> seqs = new ArrayList<>();
        long highest = 0;
        while (seqs.size() < count) {
            JsonNode event = device.awaitEvent(any -> true);
            switch (event.get("type").asString()) {
                case "message.posted" -> {
                    long seq = event.at("/message/seq").asLong();
                    seqs.add(seq);
                    highest = Math.max(highest, seq);
                }
                case "read.updated" -> assertThat(event.get("readSeq").asLong())
                        .as("read.updated after the messages up to seq %d", highest).isLessThanOrEqualTo(highest);
                default -> throw new AssertionError("Unexpected event " + event);
            }
        }
        return seqs;
    }

    private static List<Integer> versions(StompTestClient device, int count) {
        List<Integer> versions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            versions.add(device.awaitEvent("message.updated").at("/message/version").asInt());
        }
        return versions;
    }

    private String group(TestUser owner, String name, List<TestUser> members) {
        return clients.rest(owner).post("/api/v1/conversations/groups",
                body("name", name, "memberIds", members.stream().map(TestUser::id).toList()))
                .status(201).json().get("id").asString();
    }
}
