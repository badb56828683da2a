-- Users as Chorus knows them. Created the first time a token names them; never deleted
-- (deactivated instead), because messages and audit entries keep pointing at them.
CREATE SCHEMA IF NOT EXISTS identity;

CREATE TABLE identity.user_account (
    id           uuid PRIMARY KEY,
    subject      text        NOT NULL UNIQUE,   -- the identity provider's stable key ("sub")
    username     text        NOT NULL,
    display_name text        NOT NULL,
    email        text,
    active       boolean     NOT NULL DEFAULT true,
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL
);

CREATE INDEX user_account_username ON identity.user_account (username);
