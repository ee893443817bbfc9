-- A meeting's attendees can be told when the papers are ready: their work
-- email address (a professional's, never a family member's).
ALTER TABLE meeting_attendees ADD COLUMN email TEXT;
