-- Seed 001's post-release notes, written when a train completes (from its
-- changes, the health samples during the release, the rollback criteria
-- that held and the rollbacks), kept as they were written.
CREATE TABLE post_release_notes (
    train_id     bigint PRIMARY KEY REFERENCES train ON DELETE CASCADE,
    markdown     text NOT NULL CHECK (length(markdown) > 0),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    generated_at timestamptz NOT NULL
);
