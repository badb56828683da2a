-- Refused requests, counted instead of chained one by one. The first refusal of an (actor, action,
-- target) is chained at once and opens a window here; its repeats only count. When the window
-- closes, the row becomes one entry with the count and is deleted. Past a number of distinct
-- targets per actor and window, further refusals count into the actor's row with target '*'.
-- Shared by every node, so a flood spread over several nodes is counted once.
CREATE TABLE audit.refusal_tally (
    actor           text        NOT NULL,
    action          text        NOT NULL,
    target_type     text        NOT NULL,
    target_id       text        NOT NULL,
    actor_id        uuid,
    source_ip       text,
    session_id      text,
    opened_at       timestamptz NOT NULL,
    repeats         integer     NOT NULL DEFAULT 0,
    first_repeat_at timestamptz,
    last_repeat_at  timestamptz,
    sample_target   text,
    PRIMARY KEY (actor, action, target_type, target_id)
);
-- The schedule looks for windows that closed.
CREATE INDEX refusal_tally_by_opened_at ON audit.refusal_tally (opened_at);
