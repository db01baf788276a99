-- Rollbacks that really happen. In an environment whose deploys CD
-- confirms, a rollback's steps stay requested until CD reports each
-- service's redeploy of its previous version; the rollback is
-- `in_progress` until then, and `stuck` once its track's timeout (seed
-- 002's `rollback.timeout`) has passed without them. A redeploy a rollback
-- asked for is matched to it (`rollback`), not counted as a surprise.
ALTER TABLE rollback
    DROP CONSTRAINT rollback_status_check,
    ADD CONSTRAINT rollback_status_check
        CHECK (status IN ('in_progress', 'completed', 'failed', 'stuck')),
    -- When an unfinished rollback counts as stuck.
    ADD COLUMN deadline timestamptz,
    ADD CONSTRAINT rollback_waits_with_a_deadline
        CHECK (status NOT IN ('in_progress', 'stuck') OR deadline IS NOT NULL);

CREATE INDEX rollback_unfinished_idx ON rollback (deadline)
    WHERE status IN ('in_progress', 'stuck');

-- Seed 002's validation.rollback_timeout (600 seconds) is every track's
-- default.
ALTER TABLE track
    ADD COLUMN rollback_timeout interval NOT NULL DEFAULT '10 minutes'
        CHECK (rollback_timeout BETWEEN '1 minute' AND '7 days');

ALTER TABLE deployment
    DROP CONSTRAINT deployment_matched_check,
    ADD CONSTRAINT deployment_matched_check
        CHECK (matched IN ('scheduled', 'hotfix', 'unscheduled', 'rollback'));

-- A rollback's end on the timeline: completed when CD confirmed (or a
-- person forced) every redeploy, stuck when the timeout passed first.
ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN (
    'created', 'edited', 'transition', 'gate_results', 'participant', 'rollback',
    'calendar', 'promotion', 'health', 'evidence', 'changes', 'notes', 'deployment',
    'incident', 'rollback_settled'));
