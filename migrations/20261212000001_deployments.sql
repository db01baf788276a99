-- Deployments as the CD system reports them: what it deployed (a service at
-- a version), where (an environment), how it went, and from which pipeline
-- run. A report is idempotent on (pipeline run, service, environment), so a
-- pipeline may repeat it. Each is matched when first reported: to the train
-- that carries that version through that environment (`scheduled`, or
-- `hotfix` when the train's track runs on demand), or to nothing
-- (`unscheduled`: seed 003's surprise deploy). Whether a freeze was on is
-- kept with it. What runs in an environment (environment_release) moves
-- only when a deployment reports `succeeded`.

CREATE TABLE deployment (
    deployment_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id      bigint NOT NULL REFERENCES service (service_id),
    environment_id  bigint NOT NULL REFERENCES environment (environment_id),
    version         text NOT NULL CHECK (length(version) BETWEEN 1 AND 128 AND version !~ '\s'),
    status          text NOT NULL
        CHECK (status IN ('queued', 'in_progress', 'succeeded', 'failed', 'cancelled')),
    commit_sha      text CHECK (commit_sha ~ '^[0-9a-f]{7,64}$'),
    pipeline_run_id text NOT NULL
        CHECK (length(pipeline_run_id) BETWEEN 1 AND 200 AND pipeline_run_id !~ '\s'),
    pipeline_url    text CHECK (pipeline_url ~ '^https?://' AND length(pipeline_url) <= 2048),
    started_at      timestamptz,
    finished_at     timestamptz,
    -- What the report named, kept as written (a name or a tag).
    named_train     text,
    train_id        bigint REFERENCES train (train_id) ON DELETE SET NULL,
    matched         text NOT NULL CHECK (matched IN ('scheduled', 'hotfix', 'unscheduled')),
    -- When the report named a train that does not carry it: said, and
    -- matched by version instead.
    match_note      text,
    freeze_window_id bigint REFERENCES freeze_window (freeze_window_id) ON DELETE SET NULL,
    in_freeze       boolean NOT NULL,
    reported_by     text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (pipeline_run_id, service_id, environment_id),
    CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);

CREATE INDEX deployment_by_service ON deployment (service_id, created_at DESC, deployment_id DESC);
CREATE INDEX deployment_by_environment ON deployment (environment_id, created_at DESC, deployment_id DESC);
CREATE INDEX deployment_by_train ON deployment (train_id) WHERE train_id IS NOT NULL;
CREATE INDEX deployment_recent ON deployment (created_at DESC, deployment_id DESC);

-- A deployment a train carried shows on its timeline.
ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN (
    'created', 'edited', 'transition', 'gate_results', 'participant', 'rollback',
    'calendar', 'promotion', 'health', 'evidence', 'changes', 'notes', 'deployment'));

-- The deployment that put a version in place, when the CD system said so
-- (a promotion's own bookkeeping has none).
ALTER TABLE environment_release
    ADD COLUMN deployment_id bigint REFERENCES deployment (deployment_id) ON DELETE SET NULL;
