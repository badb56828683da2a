-- Counts changes to an account, so listeners that keep copies (the org directory) can ignore
-- an older event that arrives after a newer one.
ALTER TABLE identity.user_account ADD COLUMN version bigint NOT NULL DEFAULT 1;
