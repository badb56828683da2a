-- Bots: accounts that post (approval cards, integrations) but never sign in; no token maps to one.
ALTER TABLE identity.user_account
    ADD COLUMN kind text NOT NULL DEFAULT 'PERSON' CHECK (kind IN ('PERSON', 'BOT'));

-- The realm roles (Role.claimValue(), sorted) a person's last token, or local-mode seeding,
-- showed: roles live in Keycloak, but routing an approval to "the org_admins" needs to know
-- who they are without waiting for each of them to call.
ALTER TABLE identity.user_account ADD COLUMN roles text[] NOT NULL DEFAULT '{}';

-- activeHolders(role): few holders of org_admin or compliance_officer among many employees.
CREATE INDEX user_account_roles ON identity.user_account USING gin (roles) WHERE active AND kind = 'PERSON';
