-- Reads that cost the same on the first day and after five years: the newest
-- gate result of each matrix cell kept as it is written, when each train's
-- evidence last changed, and indexes for the keyset-paginated lists.

-- The newest result per train × participant × key (the gate matrix reads
-- this instead of scanning every result CI ever sent).
CREATE TABLE gate_cell (
    train_id       bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    service_id     bigint NOT NULL REFERENCES service (service_id),
    key            text NOT NULL,
    gate_result_id bigint NOT NULL REFERENCES gate_result (gate_result_id) ON DELETE CASCADE,
    reported_at    timestamptz NOT NULL,
    PRIMARY KEY (train_id, service_id, key)
);

INSERT INTO gate_cell (train_id, service_id, key, gate_result_id, reported_at)
SELECT DISTINCT ON (train_id, service_id, key) train_id, service_id, key, gate_result_id, reported_at
FROM gate_result
ORDER BY train_id, service_id, key, reported_at DESC, gate_result_id DESC;

-- When the train's evidence bundle last changed (an upload, a replacement, a
-- removal, the seal); NULL while it has never held any. `/evidence` lists
-- bundles by it.
ALTER TABLE train ADD COLUMN evidence_changed_at timestamptz;

UPDATE train t SET evidence_changed_at = greatest(
    (SELECT s.sealed_at FROM evidence_seal s WHERE s.train_id = t.train_id),
    (SELECT max(a.uploaded_at) FROM evidence_artifact a WHERE a.train_id = t.train_id))
WHERE EXISTS (SELECT 1 FROM evidence_artifact a WHERE a.train_id = t.train_id)
   OR EXISTS (SELECT 1 FROM evidence_seal s WHERE s.train_id = t.train_id);

-- `/evidence`: bundles that hold something, and trains in flight, newest change first.
CREATE INDEX train_evidence_listing_idx
    ON train ((coalesce(evidence_changed_at, '-infinity'::timestamptz)) DESC, train_id DESC)
    WHERE evidence_changed_at IS NOT NULL
       OR state IN ('validating', 'staging', 'executing', 'verifying', 'paused');

-- `/trains`: newest planned first (unplanned first of all), then by name
-- (the keyset of its pages).
CREATE INDEX train_listing_idx
    ON train ((coalesce(planned_start, 'infinity'::timestamptz)) DESC, name DESC);
-- The dashboard reads every train in flight.
CREATE INDEX train_in_flight_idx ON train (train_id)
    WHERE state IN ('validating', 'staging', 'executing', 'verifying', 'paused', 'failed');

-- `/audit`: newest first, filtered by who, action prefix or train.
CREATE INDEX audit_record_actor_idx ON audit_record (actor, audit_record_id DESC);
CREATE INDEX audit_record_action_idx ON audit_record (action text_pattern_ops, audit_record_id DESC);
CREATE INDEX audit_record_resource_id_idx ON audit_record (resource, audit_record_id DESC);
DROP INDEX audit_record_resource_idx;

-- Per-train reads of history tables.
CREATE INDEX health_breach_train_idx ON health_breach (train_id, detected_at DESC);
CREATE INDEX health_breach_detected_idx ON health_breach (detected_at DESC);
CREATE INDEX promotion_request_train_idx ON promotion_request (train_id, requested_at DESC);
CREATE INDEX approval_request_idx ON approval (promotion_request_id, approved_at);
CREATE INDEX rollback_created_idx ON rollback (created_at DESC, rollback_id DESC);
CREATE INDEX evidence_artifact_train_idx ON evidence_artifact (train_id);
