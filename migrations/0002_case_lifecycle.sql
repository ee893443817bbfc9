-- The life of a case after the referral: timeline, deadlines, decisions,
-- information requests and chronologies, meetings, the review, actions,
-- and the messages sent about it. Free text that may identify a child or
-- family is sealed (AES-GCM) like cases.personal_data; columns named
-- *_sealed hold ciphertext.

CREATE TABLE case_events (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL,
    occurred_on  TEXT NOT NULL,
    occurred_at  TEXT,
    recorded_by  TEXT REFERENCES users (id),
    recorded_at  TEXT NOT NULL,
    note_sealed  TEXT,
    -- A correction replaces an event; the old one stays for the record.
    superseded_by TEXT REFERENCES case_events (id)
);
CREATE INDEX case_events_by_case ON case_events (case_id, occurred_on);

CREATE TABLE deadlines (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    step_key       TEXT NOT NULL,
    name           TEXT NOT NULL,
    owner_role     TEXT NOT NULL,
    statutory      INTEGER NOT NULL CHECK (statutory IN (0, 1)),
    original_due   TEXT NOT NULL,
    due            TEXT NOT NULL,
    extension_reason TEXT,
    extended_by    TEXT REFERENCES users (id),
    extended_at    TEXT,
    done_on        TEXT,
    reminded_state TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (case_id, step_key)
);
CREATE INDEX deadlines_by_due ON deadlines (due) WHERE done_on IS NULL;

CREATE TABLE decisions (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    kind           TEXT NOT NULL CHECK (kind IN ('threshold', 'rapid_review_outcome', 'panel_response', 'publication')),
    answers        TEXT NOT NULL DEFAULT '{}',
    engine_outcome TEXT,
    outcome        TEXT NOT NULL,
    overrides_engine INTEGER NOT NULL DEFAULT 0 CHECK (overrides_engine IN (0, 1)),
    rationale      TEXT NOT NULL,
    decided_by     TEXT NOT NULL REFERENCES users (id),
    decided_at     TEXT NOT NULL
);
CREATE INDEX decisions_by_case ON decisions (case_id, decided_at);

CREATE TABLE information_requests (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    kind        TEXT NOT NULL CHECK (kind IN ('chronology', 'information_gathering_tool', 'agency_involvement_summary', 'imr', 'factual_summary')),
    sent_on     TEXT NOT NULL,
    due_on      TEXT NOT NULL,
    returned_on TEXT,
    represented_at_meeting INTEGER NOT NULL DEFAULT 0 CHECK (represented_at_meeting IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (case_id, agency_id, kind)
);
CREATE INDEX information_requests_by_agency ON information_requests (agency_id, case_id);

CREATE TABLE chronology_entries (
    id          TEXT PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES information_requests (id),
    case_id     TEXT NOT NULL REFERENCES cases (id),
    agency_id   TEXT NOT NULL REFERENCES agencies (id),
    occurred_on TEXT NOT NULL,
    occurred_time TEXT,
    entry_sealed TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX chronology_by_case ON chronology_entries (case_id, occurred_on, occurred_time);

CREATE TABLE meetings (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    kind         TEXT NOT NULL CHECK (kind IN ('threshold_discussion', 'rapid_review', 'panel_response', 'case_review_group', 'learning_event', 'other')),
    starts_at    TEXT NOT NULL,
    location     TEXT,
    quorate      INTEGER CHECK (quorate IN (0, 1)),
    quorum_note  TEXT,
    notes_sealed TEXT,
    version      INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE meeting_attendees (
    meeting_id     TEXT NOT NULL REFERENCES meetings (id),
    agency_id      TEXT REFERENCES agencies (id),
    name           TEXT NOT NULL,
    role_title     TEXT NOT NULL,
    decision_maker INTEGER NOT NULL DEFAULT 0 CHECK (decision_maker IN (0, 1)),
    present        INTEGER NOT NULL DEFAULT 1 CHECK (present IN (0, 1))
);

-- The local child safeguarding practice review of a case, when one is held.
CREATE TABLE reviews (
    case_id            TEXT PRIMARY KEY REFERENCES cases (id),
    pseudonym          TEXT,
    reviewer_user_id   TEXT REFERENCES users (id),
    reviewer_name      TEXT,
    methodology        TEXT,
    terms_of_reference TEXT NOT NULL DEFAULT '{}',
    key_lines_of_enquiry TEXT NOT NULL DEFAULT '[]',
    decided_on         TEXT,
    report_sent_on     TEXT,
    planned_publication_on TEXT,
    published_on       TEXT,
    version            INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reviews_by_reviewer ON reviews (reviewer_user_id);

CREATE TABLE family_engagement (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    occurred_on  TEXT NOT NULL,
    entry_sealed TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE TABLE review_drafts (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    label         TEXT NOT NULL,
    received_on   TEXT NOT NULL,
    subgroup_approved_on  TEXT,
    executive_approved_on TEXT
);

CREATE TABLE recommendations (
    id        TEXT PRIMARY KEY,
    case_id   TEXT NOT NULL REFERENCES cases (id),
    text      TEXT NOT NULL,
    theme     TEXT
);

CREATE TABLE actions (
    id                TEXT PRIMARY KEY,
    recommendation_id TEXT NOT NULL REFERENCES recommendations (id),
    case_id           TEXT NOT NULL REFERENCES cases (id),
    description       TEXT NOT NULL,
    owner_agency_id   TEXT NOT NULL REFERENCES agencies (id),
    due_on            TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'complete', 'escalated')),
    evidence          TEXT,
    completed_on      TEXT,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX actions_by_due ON actions (due_on) WHERE status <> 'complete';

CREATE TABLE notifications (
    id             TEXT PRIMARY KEY,
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    case_id        TEXT REFERENCES cases (id),
    template       TEXT NOT NULL,
    recipient      TEXT NOT NULL,
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    status         TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    last_error     TEXT
);
CREATE INDEX notifications_by_case ON notifications (case_id, created_at);
