-- The release-train model: tracks' cadence rules, freeze windows, service
-- dependencies, trains with their state machine, participants, gates, gate
-- results (append-only) and the timeline of train events.

ALTER TABLE track
    ADD COLUMN freeze_offset interval NOT NULL DEFAULT '0 hours' CHECK (freeze_offset >= '0 hours'),
    ADD COLUMN soak interval NOT NULL DEFAULT '0 hours' CHECK (soak >= '0 hours'),
    ADD COLUMN promotes_to_track_id bigint REFERENCES track (track_id),
    -- A train of this track closes its version line (staging promotes the dev line).
    ADD COLUMN closes_line boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT track_promotes_elsewhere CHECK (promotes_to_track_id IS DISTINCT FROM track_id);

CREATE TABLE freeze_window (
    freeze_window_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    starts_at        timestamptz NOT NULL,
    ends_at          timestamptz NOT NULL,
    reason           text NOT NULL CHECK (length(btrim(reason)) > 0),
    effect           text NOT NULL DEFAULT 'block' CHECK (effect IN ('block', 'move')),
    -- No row in freeze_window_track means every track.
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_at > starts_at)
);
CREATE INDEX freeze_window_ends_at_idx ON freeze_window (ends_at);

CREATE TABLE freeze_window_track (
    freeze_window_id bigint NOT NULL REFERENCES freeze_window (freeze_window_id) ON DELETE CASCADE,
    track_id         bigint NOT NULL REFERENCES track (track_id),
    PRIMARY KEY (freeze_window_id, track_id)
);

ALTER TABLE service
    ADD COLUMN deployed_version text,
    ADD COLUMN status text NOT NULL DEFAULT 'unknown'
        CHECK (status IN ('unknown', 'deploying', 'deployed', 'failed', 'rolled_back')),
    ADD COLUMN health_status text NOT NULL DEFAULT 'unknown'
        CHECK (health_status IN ('unknown', 'healthy', 'degraded', 'unhealthy'));

CREATE TABLE service_dependency (
    service_id            bigint NOT NULL REFERENCES service (service_id) ON DELETE CASCADE,
    depends_on_service_id bigint NOT NULL REFERENCES service (service_id),
    PRIMARY KEY (service_id, depends_on_service_id),
    CHECK (service_id <> depends_on_service_id)
);

-- Trains: a calendar slot (track + tag) or a train created through the API
-- (seed 002's `Q4-curve-upgrade`), each with a unique name.
ALTER TABLE train ADD COLUMN name text;
UPDATE train SET name = tag;
ALTER TABLE train
    ALTER COLUMN name SET NOT NULL,
    ADD CONSTRAINT train_name_key UNIQUE (name),
    ADD CONSTRAINT train_name_check CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$'),
    ALTER COLUMN track_id DROP NOT NULL,
    ALTER COLUMN tag DROP NOT NULL,
    ALTER COLUMN planned_start DROP NOT NULL,
    ADD COLUMN state text NOT NULL DEFAULT 'planning' CHECK (state IN
        ('planning', 'validating', 'staging', 'executing', 'verifying', 'completed', 'failed', 'rolled_back', 'paused')),
    ADD COLUMN paused_from text CHECK (paused_from IN
        ('planning', 'validating', 'staging', 'executing', 'verifying')),
    ADD COLUMN target_version text,
    ADD COLUMN captain text,
    ADD COLUMN status_reason text,
    -- Seed 002's `schedule.estimated_duration` and `rollback` settings, kept as
    -- written so that an export reproduces them.
    ADD COLUMN config jsonb NOT NULL DEFAULT '{}'::jsonb,
    ADD CONSTRAINT train_paused_from_iff_paused CHECK ((state = 'paused') = (paused_from IS NOT NULL)),
    ADD CONSTRAINT train_calendar_slot CHECK ((track_id IS NULL) = (tag IS NULL));

CREATE INDEX train_state_idx ON train (state) WHERE state NOT IN ('completed', 'rolled_back');

CREATE TABLE train_requirement (
    train_id bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    kind     text NOT NULL CHECK (kind IN ('spec', 'library')),
    name     text NOT NULL,
    versions text NOT NULL,
    PRIMARY KEY (train_id, kind, name)
);

CREATE TABLE participant (
    participant_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id         bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    service_id       bigint NOT NULL REFERENCES service (service_id),
    target_version   text,
    -- The version a rollback returns to.
    previous_version text,
    status           text NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'deploying', 'deployed', 'verified', 'failed', 'rolled_back')),
    -- Position in the release order (0 first).
    release_position integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (train_id, service_id)
);
CREATE INDEX participant_service_idx ON participant (service_id);

-- Gate definitions of one train (train-level policy comes from import).
CREATE TABLE gate_definition (
    gate_definition_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id           bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    name               text NOT NULL CHECK (length(btrim(name)) > 0),
    -- The domain's GateRule as JSON: {"kind": "threshold"|"check"|"expression", ...}.
    rule               jsonb NOT NULL CHECK (rule ->> 'kind' IN ('threshold', 'check', 'expression')),
    blocking           boolean NOT NULL DEFAULT true,
    stages             text[] NOT NULL CHECK (
        cardinality(stages) > 0 AND stages <@ ARRAY['validation', 'execution', 'post_release']::text[]),
    applies_to         text[],
    -- The gate as it was written (shorthand, check, custom), for export.
    spec               jsonb,
    position           integer NOT NULL DEFAULT 0,
    UNIQUE (train_id, name)
);

-- Append-only: the newest result per train × participant × key wins.
CREATE TABLE gate_result (
    gate_result_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id       bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    service_id     bigint NOT NULL REFERENCES service (service_id),
    key            text NOT NULL CHECK (length(btrim(key)) > 0),
    value_number   double precision,
    value_pass     boolean,
    source         text,
    url            text,
    reported_at    timestamptz NOT NULL DEFAULT now(),
    reported_by    text NOT NULL,
    CHECK ((value_number IS NULL) <> (value_pass IS NULL))
);
CREATE INDEX gate_result_newest_idx ON gate_result (train_id, service_id, key, reported_at DESC);

-- A train's timeline.
CREATE TABLE train_event (
    train_event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id       bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL,
    kind           text NOT NULL CHECK (kind IN
        ('created', 'edited', 'transition', 'gate_results', 'participant', 'rollback', 'calendar')),
    from_state     text,
    to_state       text,
    reason         text,
    detail         jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX train_event_train_at_idx ON train_event (train_id, at, train_event_id);

-- Rollbacks: the plan that was executed and its steps.
CREATE TABLE rollback (
    rollback_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id     bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    reason       text NOT NULL CHECK (length(btrim(reason)) > 0),
    requested_by text NOT NULL,
    status       text NOT NULL DEFAULT 'completed' CHECK (status IN ('in_progress', 'completed', 'failed')),
    -- [{"service": ..., "from_version": ..., "to_version": ..., "status": ...}] in execution order.
    steps        jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX rollback_train_idx ON rollback (train_id, created_at DESC);

-- Policies loaded from config/upgrade-policies.yaml, one document per key.
CREATE TABLE setting (
    key        text PRIMARY KEY CHECK (key IN ('release_trains')),
    value      jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
