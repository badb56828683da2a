-- The org chart: departments, who belongs where (with a title), heads, explicit managers,
-- and a directory entry per user for search.
CREATE SCHEMA IF NOT EXISTS org;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA org;

CREATE TABLE org.department (
    id          uuid PRIMARY KEY,
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    parent_id   uuid REFERENCES org.department (id),
    sort_order  integer     NOT NULL DEFAULT 0,
    -- The Keycloak group this department mirrors, when directory sync manages it.
    external_id text UNIQUE,
    created_at  timestamptz NOT NULL,
    CHECK (parent_id <> id)
);
CREATE INDEX department_children ON org.department (parent_id, sort_order, name);

-- A user's directory entry: a copy of their identity profile (kept by identity's events),
-- their explicit manager, and the keys directory search matches (name, pinyin, initials).
CREATE TABLE org.employee (
    user_id      uuid PRIMARY KEY,
    username     text        NOT NULL,
    display_name text        NOT NULL,
    email        text,
    active       boolean     NOT NULL,
    manager_id   uuid,
    search_keys  text        NOT NULL,
    -- identity's account version this copy reflects; an older event never overwrites a newer copy.
    version      bigint      NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX employee_search ON org.employee USING gin (search_keys org.gin_trgm_ops);
CREATE INDEX employee_by_manager ON org.employee (manager_id) WHERE manager_id IS NOT NULL;

CREATE TABLE org.membership (
    department_id uuid        NOT NULL REFERENCES org.department (id),
    user_id       uuid        NOT NULL,
    title         text        CHECK (length(title) <= 100),
    is_primary    boolean     NOT NULL DEFAULT false,
    joined_at     timestamptz NOT NULL,
    PRIMARY KEY (department_id, user_id)
);
CREATE INDEX membership_by_user ON org.membership (user_id);
-- At most one primary department per user.
CREATE UNIQUE INDEX membership_one_primary ON org.membership (user_id) WHERE is_primary;
CREATE INDEX membership_title_search ON org.membership USING gin (lower(title) org.gin_trgm_ops);

CREATE TABLE org.department_head (
    department_id uuid        NOT NULL REFERENCES org.department (id),
    user_id       uuid        NOT NULL,
    -- Of several heads, the longest-serving one is "the" head a manager chain goes through.
    appointed_at  timestamptz NOT NULL,
    PRIMARY KEY (department_id, user_id)
);
CREATE INDEX department_head_by_user ON org.department_head (user_id);

-- Directory entries for accounts that existed before the org module: later account changes
-- keep them current (and add pinyin keys, which need the application's transliterator).
INSERT INTO org.employee (user_id, username, display_name, email, active, search_keys, version, updated_at)
SELECT id, username, display_name, email, active,
       lower(username || ' ' || display_name || coalesce(' ' || split_part(email, '@', 1), '')),
       version, now()
FROM identity.user_account;
