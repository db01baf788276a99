-- Promotions: per-environment policies, promotion requests with their
-- approvals, where each train's release runs, health signals and the
-- breaches they raise, and idempotency keys for retried writes.

-- The rules of promoting into an environment (the domain's
-- EnvironmentPolicy as JSON); an environment without a row has its defaults.
CREATE TABLE promotion_policy (
    environment text PRIMARY KEY CHECK (environment ~ '^[a-z][a-z0-9-]{0,31}$'),
    policy      jsonb NOT NULL,
    updated_by  text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- The environments a track's releases pass through, in order; NULL: the
-- default pipeline for the track.
ALTER TABLE track ADD COLUMN environments text[]
    CHECK (environments IS NULL OR cardinality(environments) BETWEEN 1 AND 8);

CREATE TABLE promotion_request (
    promotion_request_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id        bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    environment     text NOT NULL,
    requested_by    text NOT NULL,
    note            text NOT NULL CHECK (length(btrim(note)) > 0),
    requested_at    timestamptz NOT NULL,
    -- What would be promoted when it was asked for: {"service": "version"}.
    fingerprint     jsonb NOT NULL,
    state           text NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'rejected', 'promoted', 'cancelled', 'superseded')),
    decided_by      text,
    decided_at      timestamptz,
    decision_comment text,
    break_glass_by     text,
    break_glass_reason text,
    break_glass_at     timestamptz,
    CHECK ((break_glass_by IS NULL) = (break_glass_reason IS NULL))
);
-- At most one open request per train and environment.
CREATE UNIQUE INDEX promotion_request_open_idx ON promotion_request (train_id, environment)
    WHERE state = 'open';
CREATE INDEX promotion_request_state_idx ON promotion_request (state);

CREATE TABLE approval (
    approval_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    promotion_request_id bigint NOT NULL REFERENCES promotion_request (promotion_request_id) ON DELETE CASCADE,
    approver             text NOT NULL,
    approver_name        text,
    comment              text,
    approved_at          timestamptz NOT NULL,
    fingerprint          jsonb NOT NULL,
    -- One approval per person of one thing to promote; a retried click
    -- cannot add a second.
    fingerprint_digest   text NOT NULL,
    UNIQUE (promotion_request_id, approver, fingerprint_digest)
);

-- Where each train's release runs: one row per environment it reached.
CREATE TABLE train_environment (
    train_id             bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    environment          text NOT NULL,
    deployed_at          timestamptz NOT NULL,
    fingerprint          jsonb NOT NULL,
    promotion_request_id bigint REFERENCES promotion_request (promotion_request_id),
    rolled_back_at       timestamptz,
    PRIMARY KEY (train_id, environment)
);
CREATE INDEX train_environment_env_idx ON train_environment (environment, deployed_at DESC);

-- What runs in each environment, per service, and the train that put it there.
CREATE TABLE environment_release (
    environment  text NOT NULL,
    service_id   bigint NOT NULL REFERENCES service (service_id),
    version      text,
    train_id     bigint REFERENCES train (train_id) ON DELETE SET NULL,
    deployed_at  timestamptz NOT NULL,
    PRIMARY KEY (environment, service_id)
);

-- Health signals per service and environment (seed 001's golden signals).
CREATE TABLE health_sample (
    health_sample_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_id   bigint NOT NULL REFERENCES service (service_id),
    environment  text NOT NULL,
    metric       text NOT NULL CHECK (metric IN ('p95_latency_ms', 'error_rate_pct', 'saturation_pct', 'burn_rate')),
    value        double precision NOT NULL,
    at           timestamptz NOT NULL,
    reported_by  text NOT NULL
);
CREATE INDEX health_sample_series_idx ON health_sample (service_id, environment, at DESC);

-- A rollback criterion that held for a train's release, and what was done.
CREATE TABLE health_breach (
    health_breach_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id     bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    service_id   bigint NOT NULL REFERENCES service (service_id),
    environment  text NOT NULL,
    criterion    text NOT NULL CHECK (criterion IN ('p95_latency', 'error_rate', 'saturation', 'burn_rate')),
    since        timestamptz NOT NULL,
    detected_at  timestamptz NOT NULL,
    detail       text NOT NULL,
    -- 'recommended' (shown to people) or 'rolled_back' (the policy acted).
    outcome      text NOT NULL CHECK (outcome IN ('recommended', 'rolled_back')),
    UNIQUE (train_id, service_id, environment, criterion, since)
);

-- A write retried with the same key returns its first answer.
CREATE TABLE idempotency_key (
    actor       text NOT NULL,
    key         text NOT NULL CHECK (length(key) BETWEEN 8 AND 128),
    action      text NOT NULL,
    response    jsonb NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (actor, key)
);

-- Rollbacks may concern one environment; their steps restart soak clocks.
ALTER TABLE rollback ADD COLUMN environment text;

ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN
    ('created', 'edited', 'transition', 'gate_results', 'participant', 'rollback', 'calendar',
     'promotion', 'health'));
