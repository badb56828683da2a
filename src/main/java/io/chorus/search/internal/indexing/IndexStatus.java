package io.chorus.search.internal.indexing;

import java.time.Instant;
import org.springframework.stereotype.Component;

/** The indexing backlog, for health and status: how many messages wait and since when. */
@Component
public class IndexStatus {

    private final IndexQueue queue;

    IndexStatus(IndexQueue queue) {
        this.queue = queue;
    }

    public record Backlog(long size, Instant oldest) {
    }

    public Backlog backlog() {
        return queue.backlog();
    }
}
