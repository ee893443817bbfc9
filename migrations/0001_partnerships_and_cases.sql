-- Partnerships (tenants), their agencies and people, and the cases they handle.
-- Personal data of children and families is never stored in clear: it lives
-- in `cases.personal_data` as AES-GCM ciphertext (see api-worker/src/sealed.rs).

CREATE TABLE partnerships (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (code GLOB '[A-Z]*' AND length(code) BETWEEN 2 AND 12),
    name        TEXT NOT NULL,
    playbook_id TEXT NOT NULL DEFAULT 'national',
    -- A partnership's own copy of a preset playbook, as JSON; NULL = the preset itself.
    playbook    TEXT,
    -- Dates (YYYY-MM-DD, JSON array) the partnership is closed on top of bank holidays.
    closure_days TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

-- Every agency working with the partnership; the three safeguarding partners are marked.
CREATE TABLE agencies (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('local_authority', 'police', 'health', 'education', 'probation', 'voluntary', 'other')),
    safeguarding_partner INTEGER NOT NULL DEFAULT 0 CHECK (safeguarding_partner IN (0, 1)),
    UNIQUE (partnership_id, name)
);

-- Who is told what: recipients of notifications (they need not have an account).
CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    agency_id      TEXT REFERENCES agencies (id),
    purpose        TEXT NOT NULL CHECK (purpose IN ('partnership_team', 'partnership_manager', 'strategic_leadership',
                       'national_panel', 'ofsted', 'dfe', 'secretary_of_state', 'child_death_review', 'agency_lead')),
    name           TEXT NOT NULL,
    email          TEXT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    -- pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- A person's roles in a partnership; agency leads and referrers belong to an agency.
CREATE TABLE memberships (
    user_id        TEXT NOT NULL REFERENCES users (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    role           TEXT NOT NULL CHECK (role IN ('referrer', 'agency_lead', 'partnership_team', 'decision_maker',
                       'scrutineer', 'reviewer', 'strategic_leadership')),
    agency_id      TEXT REFERENCES agencies (id),
    PRIMARY KEY (user_id, partnership_id, role)
);

-- The last case number issued per partnership and year; bumped in the same
-- batch as the case insert so references are unique and gap-free.
CREATE TABLE reference_counters (
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    year           INTEGER NOT NULL,
    last           INTEGER NOT NULL CHECK (last > 0),
    PRIMARY KEY (partnership_id, year)
);

CREATE TABLE cases (
    id                 TEXT PRIMARY KEY,
    partnership_id     TEXT NOT NULL REFERENCES partnerships (id),
    reference          TEXT NOT NULL UNIQUE,
    stage              TEXT NOT NULL,
    referrer_user_id   TEXT REFERENCES users (id),
    referrer_agency    TEXT NOT NULL,
    incident_date      TEXT NOT NULL,
    aware_on           TEXT NOT NULL,
    children_count     INTEGER NOT NULL DEFAULT 1 CHECK (children_count BETWEEN 1 AND 4),
    -- AES-GCM ciphertext of the child, family, incident and referrer details.
    personal_data      TEXT NOT NULL,
    outcome            TEXT,
    pseudonym          TEXT,
    national_reference TEXT,
    steis_reference    TEXT,
    lead_officer_id    TEXT REFERENCES users (id),
    converted_to_review INTEGER NOT NULL DEFAULT 0 CHECK (converted_to_review IN (0, 1)),
    themes             TEXT NOT NULL DEFAULT '[]',
    tags               TEXT NOT NULL DEFAULT '[]',
    idempotency_key    TEXT,
    received_at        TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX cases_idempotency ON cases (partnership_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX cases_by_partnership ON cases (partnership_id, received_at);
CREATE INDEX cases_by_referrer ON cases (referrer_user_id);

-- Append-only: who did what, when, to which case. No endpoint updates or deletes it,
-- and the database refuses to.
CREATE TABLE audit_log (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    at             TEXT NOT NULL,
    user_id        TEXT,
    partnership_id TEXT,
    case_id        TEXT,
    action         TEXT NOT NULL,
    detail         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_case ON audit_log (case_id, id);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
