-- Partnerships (tenants) and the cases they handle: the walking skeleton.
-- Later migrations add agencies, users, events, deadlines and the rest.

CREATE TABLE partnerships (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE CHECK (code GLOB '[A-Z]*' AND length(code) BETWEEN 2 AND 12),
    name        TEXT NOT NULL,
    playbook_id TEXT NOT NULL DEFAULT 'national',
    created_at  TEXT NOT NULL
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
    id              TEXT PRIMARY KEY,
    partnership_id  TEXT NOT NULL REFERENCES partnerships (id),
    reference       TEXT NOT NULL UNIQUE,
    stage           TEXT NOT NULL,
    referrer_agency TEXT NOT NULL,
    incident_date   TEXT NOT NULL,
    aware_on        TEXT NOT NULL,
    summary         TEXT NOT NULL,
    idempotency_key TEXT,
    received_at     TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX cases_idempotency ON cases (partnership_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX cases_by_partnership ON cases (partnership_id, received_at);
