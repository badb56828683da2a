-- The PostgreSQL engine ranks as Elasticsearch does (BM25, see Ranking): it needs each
-- document's length, in index positions as Lucene keeps them. Rows written before have 0 until
-- they are derived again, which start-up does when the stored analysis version is older than
-- the application's.
ALTER TABLE search.message_doc
    ADD COLUMN word_length     integer NOT NULL DEFAULT 0,   -- of words: the current text
    ADD COLUMN all_word_length integer NOT NULL DEFAULT 0;   -- of all_words: current and earlier texts

-- Which version of the application's text analysis wrote the documents (one row). Version 1
-- is every analysis before this table existed.
CREATE TABLE search.engine_state (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    analysis_version integer NOT NULL
);
INSERT INTO search.engine_state (analysis_version) VALUES (1);
