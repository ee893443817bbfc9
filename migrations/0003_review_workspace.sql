-- What the LCSPR and action plan workspaces need beyond 0002: how a
-- reviewer was chosen, the family engagement kind, key practice episodes,
-- who approved drafts, the measure of each SMART action, meeting length and
-- state, and idempotency keys for the writes that create records.

ALTER TABLE reviews ADD COLUMN reviewer_independent INTEGER NOT NULL DEFAULT 0 CHECK (reviewer_independent IN (0, 1));
ALTER TABLE reviews ADD COLUMN expressions_of_interest INTEGER;
ALTER TABLE reviews ADD COLUMN conflicts_declared INTEGER NOT NULL DEFAULT 0 CHECK (conflicts_declared IN (0, 1));

ALTER TABLE family_engagement ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'
    CHECK (kind IN ('letter', 'meeting', 'call', 'declined', 'other'));
ALTER TABLE family_engagement ADD COLUMN recorded_by TEXT REFERENCES users (id);
CREATE INDEX family_engagement_by_case ON family_engagement (case_id, occurred_on);

CREATE TABLE key_practice_episodes (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id),
    occurred_on     TEXT NOT NULL,
    title_sealed    TEXT NOT NULL,
    analysis_sealed TEXT NOT NULL,
    recorded_by     TEXT REFERENCES users (id),
    created_at      TEXT NOT NULL
);
CREATE INDEX key_practice_episodes_by_case ON key_practice_episodes (case_id, occurred_on);

ALTER TABLE review_drafts ADD COLUMN subgroup_approved_by TEXT REFERENCES users (id);
ALTER TABLE review_drafts ADD COLUMN executive_approved_by TEXT REFERENCES users (id);
ALTER TABLE review_drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX review_drafts_by_case ON review_drafts (case_id, received_on);

ALTER TABLE recommendations ADD COLUMN created_at TEXT;
CREATE INDEX recommendations_by_case ON recommendations (case_id);
ALTER TABLE actions ADD COLUMN measure TEXT;
ALTER TABLE actions ADD COLUMN created_at TEXT;
CREATE INDEX actions_by_case ON actions (case_id);
CREATE INDEX actions_by_owner ON actions (owner_agency_id, due_on);

ALTER TABLE meetings ADD COLUMN duration_minutes INTEGER NOT NULL DEFAULT 120;
ALTER TABLE meetings ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));
CREATE INDEX meetings_by_case ON meetings (case_id, starts_at);
CREATE INDEX meeting_attendees_by_meeting ON meeting_attendees (meeting_id);

-- A write that creates a record claims its Idempotency-Key in the same
-- batch (transaction): a concurrent retry fails on the key and replays the
-- stored response instead of creating a second record.
CREATE TABLE idempotency_keys (
    user_id    TEXT NOT NULL REFERENCES users (id),
    key        TEXT NOT NULL,
    route      TEXT NOT NULL,
    status     INTEGER,
    body       TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
