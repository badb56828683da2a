package io.chorus.search.web;

import io.chorus.platform.MappingConfig;
import io.chorus.search.SearchHit;
import io.chorus.search.Snippet;
import java.time.Instant;
import java.util.UUID;
import org.mapstruct.Mapper;

/** A hit as an employee receives it: where it is and the snippet, not the whole stored record. */
@Mapper(config = MappingConfig.class)
interface SearchHits {

    record EmployeeHit(long messageId, UUID conversationId, long seq, UUID senderId, Instant sentAt, boolean edited,
            Snippet snippet) {
    }

    EmployeeHit employee(SearchHit hit);
}
