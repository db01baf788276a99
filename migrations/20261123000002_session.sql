-- Signed-in sessions (tower-sessions). A row holds the session's data; an
-- expired row is never loaded and is deleted now and then.
CREATE TABLE session (
    session_id  text PRIMARY KEY,
    data        jsonb NOT NULL,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX session_expires_at_idx ON session (expires_at);
