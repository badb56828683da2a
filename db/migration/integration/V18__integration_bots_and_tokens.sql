-- Integrations: bots that OA/CRM/ERP systems act as, and the API tokens they call with.
CREATE SCHEMA IF NOT EXISTS integration;

-- A bot is a user account of kind BOT (so it is a member, a sender, a mention) plus what only
-- integrations need: who answers for it, and whether it is switched off. Users are identity's:
-- they are named by id, without foreign keys across schemas.
CREATE TABLE integration.bot (
    id           uuid PRIMARY KEY,                -- the bot's user account
    key          text        NOT NULL UNIQUE,     -- also the account's username: @key
    display_name text        NOT NULL,
    avatar_url   text,
    owner_id     uuid        NOT NULL,
    created_by   uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    disabled_at  timestamptz,                     -- switched off by its owner or an org_admin
    disabled_by_admin boolean NOT NULL DEFAULT false, -- then only an org_admin switches it on again
    version      bigint      NOT NULL DEFAULT 0
);

CREATE INDEX bot_owner ON integration.bot (owner_id);

-- Only a hash of each token is kept: the token is shown once, when it is made.
CREATE TABLE integration.api_token (
    id           uuid PRIMARY KEY,
    bot_id       uuid        NOT NULL REFERENCES integration.bot (id),
    name         text        NOT NULL,
    secret_hash  bytea       NOT NULL UNIQUE,     -- SHA-256 of the whole token
    hint         text        NOT NULL,            -- its first characters, to tell tokens apart in lists
    scopes       text[]      NOT NULL,
    created_by   uuid        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    rotated_to   uuid REFERENCES integration.api_token (id),
    last_used_at timestamptz
);

CREATE INDEX api_token_bot ON integration.api_token (bot_id, created_at);

-- The project groups an integration found or created by its own key (an ERP's project number, say):
-- asking again for the same key finds the same group.
-- owner_id is the bot, or the Keycloak service account, that asked.
CREATE TABLE integration.bot_group (
    owner_id        uuid NOT NULL,
    external_key    text NOT NULL,
    conversation_id uuid NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (owner_id, external_key)
);
