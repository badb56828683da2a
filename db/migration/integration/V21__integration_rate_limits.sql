-- Integrations' rate-limit buckets (Bucket4j's PostgreSQL backend, row-locking variant): one row
-- per budget (a token, a token's endpoint, a bot's conversation), so every node spends from the
-- same budget. The key names the limit too, so a changed limit starts a fresh bucket.
--
-- UNLOGGED: a bucket is soft state that is rewritten on nearly every integration request. Without
-- WAL its writes are cheap and its commits do not wait for a flush; after a database crash (or on
-- a promoted standby) the table is empty and every budget starts full again, which only errs on
-- the generous side for one refill period.
CREATE UNLOGGED TABLE integration.rate_limit_bucket (
    id         text PRIMARY KEY,  -- e.g. token:<token id>, endpoint:<token id>:POST /api/v1/conversations/{}/messages:…
    state      bytea,             -- Bucket4j's serialised bucket; null only between its insert and first update
    expires_at bigint             -- epoch milliseconds when the bucket would be full again (plus a margin)
);

-- The scheduled cleanup deletes rows past expires_at in batches.
CREATE INDEX rate_limit_bucket_expiry ON integration.rate_limit_bucket (expires_at);
