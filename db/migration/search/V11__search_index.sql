-- Full-text search: the queue that feeds every engine, and the PostgreSQL engine's documents.
CREATE SCHEMA IF NOT EXISTS search;

-- Messages whose search document must be written again. Chat event listeners put ids here
-- (a repeat only bumps the generation); the indexer drains them in batches and deletes a row
-- only if its generation is still the one it read, so a change that arrives meanwhile stays.
CREATE SEQUENCE search.pending_generation;
CREATE TABLE search.pending_message (
    message_id  bigint      PRIMARY KEY,
    generation  bigint      NOT NULL,
    enqueued_at timestamptz NOT NULL
);

-- The PostgreSQL engine's documents. words/all_words are built by the application's own
-- tokeniser (words, single Han characters and Han bigrams, with positions), so both engines
-- cut text alike; 'simple' parsing never touches them.
CREATE TABLE search.message_doc (
    message_id      bigint      PRIMARY KEY,
    conversation_id uuid        NOT NULL,
    seq             bigint      NOT NULL,
    sender_id       uuid        NOT NULL,
    sent_at         timestamptz NOT NULL,
    text            text        NOT NULL,
    earlier_texts   text[]      NOT NULL,
    mentions        uuid[]      NOT NULL,
    mentions_all    boolean     NOT NULL,
    edited          boolean     NOT NULL,
    recalled        boolean     NOT NULL,
    purged          boolean     NOT NULL,
    version         bigint      NOT NULL,
    words           tsvector    NOT NULL,   -- the current text: what employees search
    all_words       tsvector    NOT NULL    -- current and earlier texts: what compliance searches
);
CREATE INDEX message_doc_words ON search.message_doc USING gin (words);
CREATE INDEX message_doc_all_words ON search.message_doc USING gin (all_words);
-- Newest first within the searcher's conversations, and across all of them (compliance).
CREATE INDEX message_doc_by_conversation_time ON search.message_doc (conversation_id, sent_at DESC, message_id DESC);
CREATE INDEX message_doc_by_time ON search.message_doc (sent_at DESC, message_id DESC);
