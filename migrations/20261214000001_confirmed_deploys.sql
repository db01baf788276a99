-- Promotions that really happen. An environment whose deploys CD confirms
-- (its policy's `confirmed_by_cd`) leaves a promoted release `deploying`
-- there until every participant's deploy of its version is reported
-- `succeeded` (then `deployed`, its soak counted from then), and `failed`
-- when one is reported failed. Environments without a CD integration keep
-- recording a promotion as done at once: what every release so far was.
ALTER TABLE train_environment
    ADD COLUMN status text NOT NULL DEFAULT 'deployed'
        CHECK (status IN ('deploying', 'deployed', 'failed')),
    -- When the promotion was made (deployed_at is when it was confirmed).
    ADD COLUMN promoted_at timestamptz;

UPDATE train_environment SET promoted_at = deployed_at;
ALTER TABLE train_environment ALTER COLUMN promoted_at SET NOT NULL;

CREATE INDEX train_environment_deploying ON train_environment (environment)
    WHERE status = 'deploying';
