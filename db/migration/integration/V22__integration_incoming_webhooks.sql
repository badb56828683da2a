-- Incoming webhooks: a URL per group conversation that an outside system posts to, as a bot
-- member of that group. Chat's rows are referred to by id only (no foreign keys across schemas).
CREATE TABLE integration.incoming_webhook (
    id                        uuid PRIMARY KEY,
    conversation_id           uuid        NOT NULL,
    bot_id                    uuid        NOT NULL,  -- the account its messages are sent as
    name                      text        NOT NULL,
    avatar_url                text,
    -- SHA-256 of the secret in the URL: the URL is shown once and never stored.
    path_secret_hash          bytea,
    -- HMAC needs the key itself, so the signing secret is kept as it is (whsec_...). It never
    -- leaves the database again after the response that made it, and is never logged.
    signing_secret            text,
    -- The secrets before the last rotation, accepted until previous_valid_until.
    previous_path_secret_hash bytea,
    previous_signing_secret   text,
    previous_valid_until      timestamptz,
    created_by                uuid        NOT NULL,
    created_at                timestamptz NOT NULL,
    rotated_at                timestamptz,
    deleted_by                uuid,
    deleted_at                timestamptz,
    -- A deleted hook's secrets are forgotten; a live one has both.
    CHECK (deleted_at IS NOT NULL OR (path_secret_hash IS NOT NULL AND signing_secret IS NOT NULL))
);

CREATE INDEX incoming_webhook_conversation ON integration.incoming_webhook (conversation_id, created_at)
    WHERE deleted_at IS NULL;

-- webhook-ids of signed requests already accepted, kept for twice the timestamp tolerance: a
-- replay inside the window is refused; an older one carries a stale timestamp anyway.
CREATE TABLE integration.incoming_webhook_seen (
    hook_id    uuid        NOT NULL,
    webhook_id text        NOT NULL,
    seen_at    timestamptz NOT NULL,
    PRIMARY KEY (hook_id, webhook_id)
);

CREATE INDEX incoming_webhook_seen_at ON integration.incoming_webhook_seen (seen_at);
