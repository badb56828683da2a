-- Least privilege for the audit trail. In production Flyway runs as the schema owner and the
-- application as a role without UPDATE or DELETE on entries, checkpoints and anchors (its grants
-- are applied after every migration by db/migration/afterMigrate__application_role_grants.sql).
-- Local mode and the default tests run everything as one superuser, for whom this changes nothing.

-- Audit retention, the one removal of entries, as a narrow function that runs with its owner's
-- rights (the schema owner, who ran this migration), so the application needs no DELETE on
-- audit.entry. It takes nothing but the cut-off and keeps the rules of the retention job: entries
-- recorded before the cut-off go only as a prefix of the chain (stopping at the first kept
-- entry), at most 10,000 per call, and the last removed entry's seq and hash become the anchor
-- the kept chain is verified from, so what stays still verifies. A cut-off in the future is
-- refused: no retention ever expires what is not yet recorded. Every removal leaves its anchor
-- (append-only), so even a caller that passes a cut-off of yesterday cannot remove entries
-- without a trace. search_path is fixed so no caller's objects can stand in for the ones named.
-- The trigger's retention exception is opened around the DELETE alone (transaction-local, and
-- closed again before the function returns).
CREATE FUNCTION audit.remove_entries_recorded_before(cutoff timestamptz)
    RETURNS TABLE (from_seq bigint, to_seq bigint, removed bigint)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    anchor_seq   bigint;
    upto_seq     bigint;
    upto_hash    bytea;
    removed_rows bigint;
BEGIN
    IF cutoff IS NULL OR cutoff > statement_timestamp() THEN
        RAISE EXCEPTION 'audit retention cut-off % is not in the past', cutoff
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT coalesce(max(a.seq), 0) INTO anchor_seq FROM audit.chain_anchor a;
    SELECT max(batch.seq) INTO upto_seq
    FROM (SELECT e.seq FROM audit.entry e WHERE e.seq > anchor_seq ORDER BY e.seq LIMIT 10000) batch
    WHERE batch.seq < coalesce((SELECT min(k.seq) FROM audit.entry k
                                WHERE k.seq > anchor_seq AND k.recorded_at >= cutoff), 9223372036854775807);
    IF upto_seq IS NULL THEN
        RETURN;
    END IF;
    SELECT e.hash INTO upto_hash FROM audit.entry e WHERE e.seq = upto_seq;
    PERFORM set_config('chorus.audit_retention', 'on', true);
    DELETE FROM audit.entry e WHERE e.seq > anchor_seq AND e.seq <= upto_seq;
    GET DIAGNOSTICS removed_rows = ROW_COUNT;
    PERFORM set_config('chorus.audit_retention', 'off', true);
    INSERT INTO audit.chain_anchor (seq, hash, removed_count, removed_at)
    VALUES (upto_seq, upto_hash, removed_rows, statement_timestamp());
    RETURN QUERY SELECT anchor_seq + 1, upto_seq, removed_rows;
END
$$;
-- Functions are executable by everyone unless revoked; only the application role gets it (grants script).
REVOKE ALL ON FUNCTION audit.remove_entries_recorded_before(timestamptz) FROM PUBLIC;

-- Which key signed a checkpoint: CONFIGURED (chorus.audit.checkpoints.signing-key) or GENERATED
-- (none configured: a key made at start and lost at restart). A checkpoint of a generated key
-- proves nothing against whoever holds the database, so verification checks it only for
-- consistency and never calls it untrusted; a configured key neither current nor trusted is
-- reported as UNTRUSTED_KEY. NULL: signed before this column existed (taken as GENERATED, the case
-- that used to raise a false alarm once a key was configured). Adding a column fires no trigger.
ALTER TABLE audit.checkpoint ADD COLUMN key_origin text CHECK (key_origin IN ('CONFIGURED', 'GENERATED'));
