-- Audit entries have a retention of their own (chorus.audit.entry-retention; default: forever).
-- The retention job removes the oldest part of the chain and records where the kept chain now
-- starts: the last removed entry's seq and hash, which the first kept entry points at.
CREATE TABLE audit.chain_anchor (
    seq           bigint      PRIMARY KEY,
    hash          bytea       NOT NULL,
    removed_count bigint      NOT NULL,
    removed_at    timestamptz NOT NULL
);
CREATE TRIGGER chain_anchor_append_only BEFORE UPDATE OR DELETE ON audit.chain_anchor
    FOR EACH ROW EXECUTE FUNCTION audit.refuse_change();
CREATE TRIGGER chain_anchor_no_truncate BEFORE TRUNCATE ON audit.chain_anchor
    FOR EACH STATEMENT EXECUTE FUNCTION audit.refuse_change();

-- The one exception to append-only: the retention job deletes old entries inside a transaction
-- that announces itself (set_config('chorus.audit_retention', 'on', true)) and records an anchor.
CREATE OR REPLACE FUNCTION audit.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'entry'
            AND current_setting('chorus.audit_retention', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit.% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
