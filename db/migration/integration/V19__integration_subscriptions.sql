-- Outgoing webhooks: an integration's subscriptions to events, and the delivery queue with its log.

-- owner_id is the principal that manages the subscription: a bot's account, or a Keycloak
-- service account's user id. The secret is kept as it is because every delivery is signed with
-- it; during a rotation's overlap the previous one signs too.
CREATE TABLE integration.subscription (
    id                    uuid PRIMARY KEY,
    owner_id              uuid        NOT NULL,
    url                   text        NOT NULL,
    event_types           text[]      NOT NULL,
    conversation_ids      uuid[]      NOT NULL DEFAULT '{}',
    description           text,
    secret                text        NOT NULL,
    previous_secret       text,
    previous_secret_until timestamptz,
    enabled               boolean     NOT NULL DEFAULT true,
    disabled_reason       text,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);

CREATE INDEX subscription_owner ON integration.subscription (owner_id, created_at);

-- One row per event per subscription, written only when a subscription matches. The id is the
-- webhook-id the receiver deduplicates on; event_id is the payload's id (the same for every
-- subscription the event reached, and for a replay of it). A worker claims a due row by setting
-- lease_until; a lease that ran out (its node died mid-send) makes the row claimable again.
CREATE TABLE integration.delivery (
    id              uuid PRIMARY KEY,
    subscription_id uuid        NOT NULL REFERENCES integration.subscription (id) ON DELETE CASCADE,
    event_id        uuid        NOT NULL,
    event_type      text        NOT NULL,
    payload         jsonb       NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_status     integer,
    last_error      text,
    last_latency_ms integer,
    created_at      timestamptz NOT NULL,
    delivered_at    timestamptz,
    replay_of       uuid
);

-- A redelivered event (the publication registry hands it over again) adds nothing; replays may.
CREATE UNIQUE INDEX delivery_event_once ON integration.delivery (subscription_id, event_id) WHERE replay_of IS NULL;
-- What the worker polls: due rows only, so finished history costs the poll nothing.
CREATE INDEX delivery_due ON integration.delivery (next_attempt_at, subscription_id) WHERE status = 'PENDING';
-- The log, newest first, and the range replay.
CREATE INDEX delivery_log ON integration.delivery (subscription_id, created_at DESC, id DESC);
-- Retention removes finished rows by age.
CREATE INDEX delivery_finished ON integration.delivery (created_at) WHERE status <> 'PENDING';

CREATE TABLE integration.delivery_attempt (
    delivery_id uuid        NOT NULL REFERENCES integration.delivery (id) ON DELETE CASCADE,
    attempt     integer     NOT NULL,
    started_at  timestamptz NOT NULL,
    status_code integer     NOT NULL,              -- 0: no response (timeout, reset, refused)
    latency_ms  integer     NOT NULL,
    error       text,
    response    text,                              -- the start of the response body, for the integrator's log
    PRIMARY KEY (delivery_id, attempt)
);
