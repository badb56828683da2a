CREATE SCHEMA IF NOT EXISTS platform;

-- One row per (caller, Idempotency-Key) of a creating POST at the integration edge: claimed
-- (IN_PROGRESS) before the request runs, committed on its own so concurrent duplicates see it,
-- then COMPLETED with the response to replay. Only successful (2xx) results are kept; a failed
-- request deletes its claim. claim_id tells a node's own claim from one taken over after it went stale.
CREATE TABLE platform.idempotent_request (
    caller       text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,
    state        text        NOT NULL CHECK (state IN ('IN_PROGRESS', 'COMPLETED')),
    claim_id     uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    status       integer,
    content_type text,
    location     text,
    body         bytea,
    PRIMARY KEY (caller, key),
    CHECK (state = 'IN_PROGRESS' OR (status IS NOT NULL AND body IS NOT NULL))
);

-- The expiry job deletes by age.
CREATE INDEX idempotent_request_by_age ON platform.idempotent_request (created_at);
