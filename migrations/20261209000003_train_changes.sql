-- What CI reported a train's participants contain: one row per commit,
-- reported once per train (by its hash), for release notes and lead time.
CREATE TABLE train_change (
    train_id     bigint NOT NULL REFERENCES train ON DELETE CASCADE,
    sha          text NOT NULL CHECK (sha ~ '^[0-9a-f]{7,64}$'),
    service_id   bigint NOT NULL REFERENCES service,
    title        text NOT NULL CHECK (length(title) BETWEEN 1 AND 500 AND title !~ '[\x01-\x1f\x7f]'),
    body         text CHECK (length(body) <= 4000),
    author       text NOT NULL CHECK (length(author) BETWEEN 1 AND 200 AND author !~ '[\x01-\x1f\x7f]'),
    committed_at timestamptz NOT NULL,
    pr_number    integer CHECK (pr_number > 0),
    pr_url       text CHECK (pr_url ~ '^https?://' AND length(pr_url) <= 2048),
    labels       text[] NOT NULL DEFAULT '{}',
    breaking     boolean NOT NULL DEFAULT false,
    reported_by  text NOT NULL,
    reported_at  timestamptz NOT NULL,
    PRIMARY KEY (train_id, sha)
);

CREATE INDEX train_change_service_idx ON train_change (service_id);

-- A report of changes is on its train's timeline.
ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN (
    'created', 'edited', 'transition', 'gate_results', 'participant', 'rollback',
    'calendar', 'promotion', 'health', 'evidence', 'changes'));

-- The organisation's release-note sections (like GitHub's release.yml).
ALTER TABLE setting DROP CONSTRAINT setting_key_check;
ALTER TABLE setting ADD CONSTRAINT setting_key_check
    CHECK (key IN ('release_trains', 'release_notes'));
