-- Slash commands and interactive cards: where a bot wants its commands and card actions sent,
-- and the response URLs through which it answers a command later.

-- A bot's slash command. Two bots may register the same name; a conversation in which both are
-- members asks the caller to say which (/name@botkey).
CREATE TABLE integration.command (
    bot_id          uuid        NOT NULL REFERENCES integration.bot (id),
    name            text        NOT NULL,
    url             text        NOT NULL,
    description     text,
    usage_hint      text,
    -- Kept usable: Chorus signs with it (HMAC), so it cannot be a one-way hash. Never logged.
    secret          text        NOT NULL,
    previous_secret text,                  -- still signs beside the new one until previous_until
    previous_until  timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (bot_id, name)
);

-- Looking a typed command up by name, among the conversation's bots.
CREATE INDEX command_name ON integration.command (name);

-- Where a bot receives its cards' actions.
CREATE TABLE integration.interactivity (
    bot_id          uuid PRIMARY KEY REFERENCES integration.bot (id),
    url             text        NOT NULL,
    secret          text        NOT NULL,
    previous_secret text,
    previous_until  timestamptz,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

-- A command's response URL: only the SHA-256 of its token is kept; it answers into one
-- conversation, to one caller, a few times, for a short while.
CREATE TABLE integration.command_response (
    token_hash      bytea PRIMARY KEY,
    invocation_id   uuid        NOT NULL,
    bot_id          uuid        NOT NULL,
    command         text        NOT NULL,
    conversation_id uuid        NOT NULL,
    caller_id       uuid        NOT NULL,
    uses            int         NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL
);

CREATE INDEX command_response_expiry ON integration.command_response (expires_at);
