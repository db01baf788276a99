-- Outgoing webhooks. Every announced change writes one webhook_event in the
-- transaction that made it (the outbox); delivery workers fan events out to
-- the subscriptions that want them and post each delivery, retrying on the
-- Standard Webhooks schedule.

CREATE TABLE webhook_subscription (
    webhook_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url             text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2000
                                         AND url !~ '[\x01-\x20\x7f]'),
    description     text NOT NULL DEFAULT ''
                    CHECK (length(description) <= 500 AND description !~ '[\x01-\x1f\x7f]'),
    event_types     text[] NOT NULL CHECK (cardinality(event_types) >= 1),
    tracks          text[] NOT NULL DEFAULT '{}',
    trains          text[] NOT NULL DEFAULT '{}',
    enabled         boolean NOT NULL DEFAULT true,
    -- Why Trainyard turned it off (410 Gone, failing for too long).
    disabled_reason text,
    -- Since when every attempt has failed; cleared by a success.
    failing_since   timestamptz,
    -- The signing secret (whsec_…), kept only to sign; never shown again.
    secret          text NOT NULL CHECK (secret ~ '^whsec_[A-Za-z0-9+/=]+$'),
    -- After a rotation the previous secret signs too, until it expires.
    previous_secret text CHECK (previous_secret ~ '^whsec_[A-Za-z0-9+/=]+$'),
    previous_secret_expires_at timestamptz,
    -- It receives the events recorded after it was made.
    after_event_id  bigint NOT NULL DEFAULT 0,
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    CHECK ((previous_secret IS NULL) = (previous_secret_expires_at IS NULL))
);

CREATE TABLE webhook_event (
    event_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The webhook-id header: the same on every attempt and redelivery.
    message_id    text NOT NULL UNIQUE
                  DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', ''),
    event_type    text NOT NULL,
    -- Deliveries to one subscription keep this key's order (the audit
    -- record's resource: one train, one service, …).
    ordering_key  text NOT NULL,
    train         text,
    track         text,
    -- The body sent: {type, timestamp, data}.
    payload       jsonb NOT NULL,
    created_at    timestamptz NOT NULL,
    fanned_out_at timestamptz
);

CREATE INDEX webhook_event_waiting_idx ON webhook_event (event_id) WHERE fanned_out_at IS NULL;
CREATE INDEX webhook_event_created_idx ON webhook_event (created_at);

CREATE TABLE webhook_delivery (
    delivery_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id       bigint NOT NULL REFERENCES webhook_subscription ON DELETE CASCADE,
    event_id         bigint NOT NULL REFERENCES webhook_event ON DELETE CASCADE,
    ordering_key     text NOT NULL,
    status           text NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    -- A worker posting it holds it until then; past it, another may.
    leased_until     timestamptz,
    last_attempt_at  timestamptz,
    last_status      integer,
    last_duration_ms bigint,
    last_error       text,
    last_response    text,
    created_at       timestamptz NOT NULL,
    finished_at      timestamptz
);

CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_delivery_queue_idx ON webhook_delivery (webhook_id, ordering_key, event_id)
    WHERE status = 'pending';
CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (webhook_id, delivery_id DESC);
CREATE INDEX webhook_delivery_event_idx ON webhook_delivery (event_id);
