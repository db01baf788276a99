-- The documents people write about a train (its release notes and its
-- change announcement) as they edit them: one draft of each per train (its
-- revision guards against two editors overwriting each other), and every
-- published version of the notes, kept.
CREATE TABLE train_draft (
    train_id  bigint NOT NULL REFERENCES train ON DELETE CASCADE,
    document  text NOT NULL CHECK (document IN ('release_notes', 'announcement')),
    markdown  text NOT NULL CHECK (length(markdown) BETWEEN 1 AND 100000),
    revision  integer NOT NULL CHECK (revision > 0),
    edited_by text NOT NULL,
    edited_at timestamptz NOT NULL,
    PRIMARY KEY (train_id, document)
);

CREATE TABLE release_notes_version (
    train_id     bigint NOT NULL REFERENCES train ON DELETE CASCADE,
    version      integer NOT NULL CHECK (version > 0),
    markdown     text NOT NULL CHECK (length(markdown) BETWEEN 1 AND 100000),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    published_by text NOT NULL,
    published_at timestamptz NOT NULL,
    reason       text CHECK (length(reason) <= 2000),
    -- Whether this version went into the train's evidence bundle (it did
    -- unless the bundle was sealed already).
    in_evidence  boolean NOT NULL,
    PRIMARY KEY (train_id, version)
);

-- The published notes are one more kind of evidence.
ALTER TABLE evidence_artifact DROP CONSTRAINT evidence_artifact_kind_check;
ALTER TABLE evidence_artifact ADD CONSTRAINT evidence_artifact_kind_check CHECK (kind IN (
    'cyclonedx_sbom', 'spdx_sbom', 'junit', 'provenance', 'checksums', 'signature',
    'migrations', 'summary', 'release_metadata', 'release_notes'));

-- Editing and publishing notes are on the train's timeline.
ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN (
    'created', 'edited', 'transition', 'gate_results', 'participant', 'rollback',
    'calendar', 'promotion', 'health', 'evidence', 'changes', 'notes'));
