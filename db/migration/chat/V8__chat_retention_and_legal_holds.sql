-- Message retention: how long message content is kept, and legal holds that keep it longer.

-- The global default (conversation_id NULL, at most one row: NULLS NOT DISTINCT) and
-- per-conversation overrides. No row, or a global row with retention_days NULL, keeps
-- messages forever. An override always has a period; clearing it deletes the row, and the
-- conversation follows the global default again.
CREATE TABLE chat.retention_policy (
    conversation_id uuid        REFERENCES chat.conversation (id),
    retention_days  integer     CHECK (retention_days BETWEEN 1 AND 36500),
    updated_by      uuid        NOT NULL,
    updated_at      timestamptz NOT NULL,
    CONSTRAINT retention_policy_scope_unique UNIQUE NULLS NOT DISTINCT (conversation_id),
    CHECK (conversation_id IS NULL OR retention_days IS NOT NULL)
);

-- Messages of a user (everything they sent) or of a conversation, sent within
-- [held_from, held_to] (NULL = open), survive purges while the hold is not released.
-- subject_id is a user (identity schema) or a conversation: no foreign key either way.
CREATE TABLE chat.legal_hold (
    id           uuid        PRIMARY KEY,
    subject_type text        NOT NULL CHECK (subject_type IN ('USER', 'CONVERSATION')),
    subject_id   uuid        NOT NULL,
    held_from    timestamptz,
    held_to      timestamptz,
    reason       text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    placed_by    uuid        NOT NULL,
    placed_at    timestamptz NOT NULL,
    released_by  uuid,
    released_at  timestamptz,
    CHECK (held_from IS NULL OR held_to IS NULL OR held_from <= held_to),
    CHECK ((released_by IS NULL) = (released_at IS NULL))
);
-- The purge asks "is this sender or this conversation held?" for every candidate message.
CREATE INDEX legal_hold_active_by_subject ON chat.legal_hold (subject_id) WHERE released_at IS NULL;

-- A purged message keeps its row, seq and metadata; only its content is erased.
ALTER TABLE chat.message ADD COLUMN purged_at timestamptz;

-- Candidates of the purge, by age: across conversations under the global default, and within
-- one conversation with an override. Purged rows leave both indexes.
CREATE INDEX message_unpurged_by_age ON chat.message (created_at) WHERE purged_at IS NULL;
CREATE INDEX message_unpurged_by_conversation_age ON chat.message (conversation_id, created_at)
    WHERE purged_at IS NULL;
