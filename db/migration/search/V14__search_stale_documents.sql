-- During a rolling upgrade, nodes of the previous release keep writing documents with their own
-- text analysis after a new node has recorded the current one in engine_state: new rows with
-- no lengths, and edits whose words no longer match their lengths. Each row now keeps a digest
-- of the vectors the current analysis wrote; a write that does not set it (an older release's)
-- leaves a row whose digest no longer matches, and the indexer derives such rows again.
ALTER TABLE search.message_doc ADD COLUMN analysed text;   -- md5 of words and all_words as derived

-- Only stale rows are in it: empty once every node runs this release and the rows are derived again.
CREATE INDEX message_doc_stale ON search.message_doc (message_id)
    WHERE analysed IS DISTINCT FROM md5(words::text || ' ' || all_words::text);
