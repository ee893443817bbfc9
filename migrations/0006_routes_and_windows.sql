-- Deadlines you can trust: a step ruled out by the case's route (or its
-- closure) is kept with the reason it no longer applies, never left open;
-- a window keeps its earliest date. The threshold decision keeps the facts
-- that choose the route (no personal data: an outcome and three yes/no/unknown
-- answers). A partnership may load a newer gov.uk bank-holidays.json.

ALTER TABLE deadlines ADD COLUMN earliest TEXT;
ALTER TABLE deadlines ADD COLUMN not_applicable TEXT;
DROP INDEX deadlines_by_due;
CREATE INDEX deadlines_open_by_due ON deadlines (due) WHERE done_on IS NULL AND not_applicable IS NULL;

ALTER TABLE decisions ADD COLUMN route TEXT;

-- How the referral reached the partnership: its own form, or entered by the
-- partnership team from an email, a call or a letter.
ALTER TABLE cases ADD COLUMN received_via TEXT NOT NULL DEFAULT 'form'
    CHECK (received_via IN ('form', 'email', 'phone', 'post'));

ALTER TABLE partnerships ADD COLUMN bank_holidays TEXT;
ALTER TABLE partnerships ADD COLUMN bank_holidays_loaded_at TEXT;
