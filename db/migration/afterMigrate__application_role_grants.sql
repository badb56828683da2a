-- The application role's privileges, when the application does not connect as the schema owner
-- (docs/operations.md, "PostgreSQL roles"): Flyway runs as the owner (SPRING_FLYWAY_USER) and
-- grants the application role (spring.flyway.placeholders.application-role: CHORUS_DB_APPLICATION_ROLE,
-- by default the application's own user, CHORUS_DB_USER) exactly what it needs. A Flyway callback,
-- not a migration: it runs after every migrate, so the tables later migrations add are granted the
-- moment they exist, an operator's broader grants on the audit trail are taken back, and a role
-- changed between two starts gets its privileges at the next. Nothing happens when the application
-- is the owner itself (local mode, the default tests, a single-role setup).
DO $grants$
DECLARE
    app  text := '${application-role}';
    item record;
BEGIN
    IF app = '' OR app = current_user THEN
        RETURN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app) THEN
        RAISE EXCEPTION 'The application role "%" does not exist: create it (docs/operations.md, "PostgreSQL roles") '
            'or name the role to grant with CHORUS_DB_APPLICATION_ROLE', app;
    END IF;
    -- Two nodes starting at once would otherwise grant on the same objects concurrently.
    PERFORM pg_advisory_xact_lock(hashtext('chorus.application-role-grants'));

    FOR item IN SELECT n.nspname FROM pg_namespace n WHERE pg_get_userbyid(n.nspowner) = current_user LOOP
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', item.nspname, app);
    END LOOP;
    FOR item IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'S' AND pg_get_userbyid(c.relowner) = current_user LOOP
        EXECUTE format('GRANT USAGE, SELECT ON SEQUENCE %I.%I TO %I', item.nspname, item.relname, app);
    END LOOP;

    -- Every module but audit reads and writes its rows (no DDL, no TRUNCATE: the schema is Flyway's).
    -- Flyway's own history stays the owner's.
    FOR item IN SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN ('r', 'p') AND pg_get_userbyid(c.relowner) = current_user
                  AND n.nspname <> 'audit'
                  AND NOT (n.nspname = '${flyway:defaultSchema}' AND c.relname = '${flyway:table}') LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I', item.nspname, item.relname, app);
    END LOOP;

    -- The audit trail is append-only for the application: it reads and adds rows, and each further
    -- privilege below is named with its reason. Revoked first, so that whatever was granted before
    -- (a broader hand-made GRANT) is replaced by exactly this list. A new audit table gets SELECT and
    -- INSERT; one that needs more must be added here.
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA audit FROM %I', app);
    EXECUTE format('GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA audit TO %I', app);
    -- Listeners only insert pending entries; the chain writer deletes each once it is chained.
    EXECUTE format('GRANT DELETE ON audit.pending_entry TO %I', app);
    -- The chain writer locks the head row (SELECT ... FOR UPDATE needs UPDATE on a column) so one
    -- writer at a time appends, across nodes, and then moves the head: UPDATE on these two columns
    -- and nothing else. A forged head is no hiding place: verification checks the newest entry
    -- against it, and the entries themselves stay beyond the application's reach.
    EXECUTE format('GRANT UPDATE (last_seq, last_hash) ON audit.chain_head TO %I', app);
    -- Repeated refusals are counted in a row per window, which becomes an entry and is deleted.
    EXECUTE format('GRANT UPDATE, DELETE ON audit.refusal_tally TO %I', app);
    -- An officer's department scope is replaced as a whole (its rows deleted and inserted again);
    -- the change itself is an entry.
    EXECUTE format('GRANT DELETE ON audit.officer_scope TO %I', app);
    -- Entries go only through retention, as the owner, within that function's rules.
    EXECUTE format('GRANT EXECUTE ON FUNCTION audit.remove_entries_recorded_before(timestamptz) TO %I', app);
END
$grants$;
