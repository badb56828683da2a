-- Conversations, their members and their messages.
CREATE SCHEMA IF NOT EXISTS chat;

CREATE TABLE chat.conversation (
    id              uuid PRIMARY KEY,
    kind            text        NOT NULL CHECK (kind IN ('DIRECT', 'GROUP')),
    name            text,
    -- "<smaller user id>:<larger user id>": the unique key that keeps one direct chat per pair.
    direct_key      text UNIQUE,
    archived        boolean     NOT NULL DEFAULT false,
    created_by      uuid        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- The newest message's seq. Incremented by UPDATE ... RETURNING in the transaction that
    -- inserts the message: the row lock serialises senders and a rollback leaves no gap.
    last_seq        bigint      NOT NULL DEFAULT 0,
    last_activity_at timestamptz NOT NULL,
    member_count    integer     NOT NULL DEFAULT 0,
    version         bigint      NOT NULL DEFAULT 0,
    CHECK ((kind = 'DIRECT') = (direct_key IS NOT NULL)),
    CHECK (kind = 'DIRECT' OR name IS NOT NULL)
);

CREATE TABLE chat.member (
    conversation_id uuid        NOT NULL REFERENCES chat.conversation (id),
    user_id         uuid        NOT NULL,
    role            text        NOT NULL CHECK (role IN ('OWNER', 'ADMIN', 'MEMBER')),
    joined_at       timestamptz NOT NULL,
    -- Everything up to this seq has been read by this member; only ever moves forward.
    read_seq        bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);

-- "My conversations" and membership checks by user.
CREATE INDEX member_by_user ON chat.member (user_id, conversation_id);

-- Who joined and left when (compliance: membership at posting time).
CREATE TABLE chat.membership_change (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id uuid        NOT NULL REFERENCES chat.conversation (id),
    user_id         uuid        NOT NULL,
    change          text        NOT NULL CHECK (change IN ('JOINED', 'LEFT', 'REMOVED', 'ROLE_CHANGED')),
    role            text,
    changed_by      uuid        NOT NULL,
    changed_at      timestamptz NOT NULL,
    at_seq          bigint      NOT NULL
);
CREATE INDEX membership_change_by_conversation ON chat.membership_change (conversation_id, changed_at);

CREATE TABLE chat.message (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id   uuid        NOT NULL REFERENCES chat.conversation (id),
    seq               bigint      NOT NULL,
    sender_id         uuid        NOT NULL,
    client_message_id text        NOT NULL,
    body              text        NOT NULL,   -- current text; kept after a recall for compliance
    reply_to_id       bigint REFERENCES chat.message (id),
    mentions          uuid[]      NOT NULL DEFAULT '{}',
    mentions_all      boolean     NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL,
    edited_at         timestamptz,
    recalled_at       timestamptz,
    recalled_by       uuid,
    version           integer     NOT NULL DEFAULT 1,
    -- The conversation's last_seq when this message last changed (edit, recall, reaction):
    -- catch-up "since seq N" returns older messages changed at N or later.
    changed_at_seq    bigint,
    CONSTRAINT message_seq_unique UNIQUE (conversation_id, seq),
    -- A retried send finds the original instead of creating a duplicate.
    CONSTRAINT message_client_id_unique UNIQUE (sender_id, client_message_id)
);
CREATE INDEX message_changed ON chat.message (conversation_id, changed_at_seq) WHERE changed_at_seq IS NOT NULL;

-- Every earlier text of an edited message; revision 1 is the original.
CREATE TABLE chat.message_revision (
    message_id bigint      NOT NULL REFERENCES chat.message (id),
    revision   integer     NOT NULL,
    body       text        NOT NULL,
    written_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, revision)
);

CREATE TABLE chat.reaction (
    message_id bigint      NOT NULL REFERENCES chat.message (id),
    emoji      text        NOT NULL,
    user_id    uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (message_id, emoji, user_id)
);
