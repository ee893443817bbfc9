-- The rapid review report (KRSCP appendix 2): the team's write-up, sealed
-- (it describes the child), and the three safeguarding partners' sign-offs.
-- Changing the write-up withdraws the sign-offs: partners sign what they read.
CREATE TABLE rapid_review_reports (
    case_id        TEXT PRIMARY KEY REFERENCES cases (id),
    write_up_sealed TEXT NOT NULL,
    updated_by     TEXT NOT NULL REFERENCES users (id),
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE rapid_review_signoffs (
    case_id    TEXT NOT NULL REFERENCES cases (id),
    partner    TEXT NOT NULL CHECK (partner IN ('local_authority', 'police', 'health')),
    user_id    TEXT NOT NULL REFERENCES users (id),
    signed_at  TEXT NOT NULL,
    PRIMARY KEY (case_id, partner)
);
