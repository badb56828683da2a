-- The audit trail: an append-only, hash-chained record of who did what, when.
CREATE SCHEMA IF NOT EXISTS audit;

-- What listeners recorded and the chain writer has not chained yet. Listeners only insert here
-- (cheap, concurrent, idempotent by event_key); one writer at a time moves rows into
-- audit.entry in id order, so the chain has a single order however many listeners run at once.
CREATE TABLE audit.pending_entry (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Identifies the event the entry came from: a redelivered event is recorded once.
    event_key       text        NOT NULL UNIQUE,
    occurred_at     timestamptz NOT NULL,
    actor_type      text        NOT NULL,
    actor_id        uuid,
    action          text        NOT NULL,
    target_type     text,
    target_id       text,
    conversation_id uuid,
    department_id   uuid,
    source_ip       text,
    session_id      text,
    detail          text        NOT NULL
);
-- The chain writer takes the oldest events first.
CREATE INDEX pending_entry_by_time ON audit.pending_entry (occurred_at, id);

CREATE TABLE audit.entry (
    -- Position in the chain: 1, 2, 3, ... without gaps.
    seq             bigint      PRIMARY KEY,
    event_key       text        NOT NULL UNIQUE,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    actor_type      text        NOT NULL CHECK (actor_type IN ('USER', 'BOT', 'SYSTEM')),
    actor_id        uuid,
    action          text        NOT NULL,
    target_type     text,
    target_id       text,
    conversation_id uuid,
    department_id   uuid,
    source_ip       text,
    session_id      text,
    -- Compact JSON, kept as the exact text that was hashed.
    detail          text        NOT NULL,
    -- SHA-256 of the previous entry (32 zero bytes for the first) and of this entry's content.
    prev_hash       bytea       NOT NULL,
    hash            bytea       NOT NULL
);
-- The compliance filters, each in chain order (cursor pagination by seq).
CREATE INDEX entry_by_actor ON audit.entry (actor_id, seq);
CREATE INDEX entry_by_action ON audit.entry (action, seq);
CREATE INDEX entry_by_target ON audit.entry (target_type, target_id, seq);
CREATE INDEX entry_by_conversation ON audit.entry (conversation_id, seq) WHERE conversation_id IS NOT NULL;
CREATE INDEX entry_by_department ON audit.entry (department_id, seq) WHERE department_id IS NOT NULL;
CREATE INDEX entry_by_time ON audit.entry (occurred_at);

-- The chain's newest entry. Its row lock is what makes one writer at a time, across nodes.
CREATE TABLE audit.chain_head (
    id        boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_seq  bigint  NOT NULL,
    last_hash bytea   NOT NULL
);
INSERT INTO audit.chain_head (last_seq, last_hash) VALUES (0, decode(repeat('00', 32), 'hex'));

-- Signed statements "the chain's head was entry <seq> with hash <hash> at <signed_at>".
CREATE TABLE audit.checkpoint (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq        bigint      NOT NULL,
    hash       bytea       NOT NULL,
    signed_at  timestamptz NOT NULL,
    payload    text        NOT NULL,
    key_id     text        NOT NULL,
    -- X.509 SubjectPublicKeyInfo of the Ed25519 key, so an export carries what verifies it.
    public_key bytea       NOT NULL,
    signature  bytea       NOT NULL
);

-- A compliance officer limited to departments (and their sub-departments); no rows = unscoped.
CREATE TABLE audit.officer_scope (
    officer_id    uuid        NOT NULL,
    department_id uuid        NOT NULL,
    set_by        uuid        NOT NULL,
    set_at        timestamptz NOT NULL,
    PRIMARY KEY (officer_id, department_id)
);

-- Entries and checkpoints are never changed or removed by the application. Only a superuser
-- who deliberately disables these triggers can, and /api/v1/audit/verify then finds it.
CREATE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE ON audit.entry
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER entry_no_truncate BEFORE TRUNCATE ON audit.entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoint_append_only BEFORE UPDATE OR DELETE ON audit.checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER checkpoint_no_truncate BEFORE TRUNCATE ON audit.checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();
