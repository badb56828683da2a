package io.chorus.integration.internal;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * A signed request to a bot that a member is waiting for (a slash command, a card action): sent
 * through {@link Outbound}, answered within a deadline shorter than Outbound's own timeouts. A
 * request past the deadline is interrupted (its virtual thread's socket closes), so an endpoint
 * that never answers holds nothing once the member has been told.
 */
@Component
class BotCalls implements AutoCloseable {

    /**
     * @param result what the bot answered, or null when the deadline passed first
     */
    record Answer(Outbound.Result result) {

        boolean timedOut() {
            return result == null;
        }

        boolean succeeded() {
            return result != null && result.succeeded();
        }

        /** For the member: what went wrong, without the bot's body (which may hold anything). */
        String failure() {
            if (result == null) {
                return "no answer in time";
            }
            if (result.status() == 0) {
                return result.refused() ? "its address is not allowed" : "no answer (" + result.error() + ")";
            }
            return "it answered HTTP " + result.status();
        }
    }

    private final Outbound outbound;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    BotCalls(Outbound outbound) {
        this.outbound = outbound;
    }

    /**
     * POSTs {@code body} signed with every secret valid now (Standard Webhooks: several
     * space-separated signatures while a rotated secret overlaps), waiting at most {@code deadline}.
     */
    Answer call(URI url, Collection<String> secrets, String id, Instant at, byte[] body, Duration deadline) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookSignatures.ID, id);
        headers.put(WebhookSignatures.TIMESTAMP, Long.toString(at.getEpochSecond()));
        headers.put(WebhookSignatures.SIGNATURE, secrets.stream()
                .map(secret -> WebhookSignatures.sign(secret, id, at.getEpochSecond(), body))
                .collect(Collectors.joining(" ")));
        Future<Outbound.Result> sent = calls.submit(() -> outbound.post(url, headers, body));
        try {
            return new Answer(sent.get(deadline.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException late) {
            sent.cancel(true);
            return new Answer(null);
        } catch (InterruptedException interrupted) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            return new Answer(null);
        } catch (ExecutionException failed) {
            // Outbound never throws for the endpoint's failures; anything else is ours.
            throw new IllegalStateException("Calling a bot failed", failed.getCause());
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
    }
}
