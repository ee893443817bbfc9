-- Sessions move from KV to D1, so that signing out (or out everywhere) ends
-- a session on its next request rather than when KV's copies catch up, and
-- an idle session ends after SESSION_IDLE_SECONDS. The key is a SHA-256 of
-- the cookie's token; the token itself is never stored. Sessions held in KV
-- before this migration are not carried over: everyone signs in again once.
CREATE TABLE sessions (
    token_hash     TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users (id),
    partnership_id TEXT NOT NULL REFERENCES partnerships (id),
    created_at     TEXT NOT NULL,
    last_seen_at   TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    revoked_at     TEXT
);
CREATE INDEX sessions_live_by_user ON sessions (user_id) WHERE revoked_at IS NULL;
