-- Environments as records: what each one is for (its kind, from which its
-- policy's defaults follow), where it comes in the order of promotion, and
-- its promotion policy (the domain's EnvironmentPolicy as JSON), which used
-- to live in promotion_policy with defaults chosen by name.
CREATE TABLE environment (
    environment_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,31}$'),
    description text NOT NULL DEFAULT '',
    kind        text NOT NULL
        CHECK (kind IN ('development', 'preview', 'pre-production', 'production')),
    position    integer NOT NULL,
    policy      jsonb NOT NULL,
    updated_by  text NOT NULL DEFAULT 'migration',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A track's own way of deploying: straight to the last environment of its
-- pipeline (a hotfix lane: no soak, no wait, only the lane's approvals, and
-- it may break the glass during a freeze), and the track whose current
-- release its trains patch (their tags take that release's version).
ALTER TABLE track
    ADD COLUMN direct boolean NOT NULL DEFAULT false,
    ADD COLUMN direct_approvals smallint NOT NULL DEFAULT 0
        CHECK (direct_approvals BETWEEN 0 AND 10),
    ADD COLUMN patches bigint REFERENCES track (track_id);

-- Upgrading an install that knew its environments and its hotfix lane by
-- name: what those names meant then becomes data, so that nothing behaves
-- differently after the upgrade. On a new install there is nothing to do.
UPDATE track SET environments = CASE WHEN name = 'staging' THEN ARRAY['dev', 'staging']
                                     ELSE ARRAY['dev', 'stage', 'prod'] END
 WHERE environments IS NULL;

-- The hotfix lane could break the glass by its name; it becomes a direct
-- lane that still asks for prod's two approvals, so that the upgrade relaxes
-- nothing an admin has not chosen to relax.
UPDATE track SET direct = true, direct_approvals = 2,
                 patches = (SELECT track_id FROM track s WHERE s.name = 'staging')
 WHERE name = 'hotfix' AND cadence_rrule IS NULL;

WITH used AS (
    SELECT environment AS name FROM promotion_policy
    UNION SELECT unnest(environments) FROM track
    UNION SELECT environment FROM train_environment
    UNION SELECT environment FROM promotion_request
),
legacy AS (
    SELECT u.name,
           CASE u.name WHEN 'dev' THEN 'development'
                       WHEN 'stage' THEN 'pre-production'
                       WHEN 'staging' THEN 'pre-production'
                       ELSE 'production' END AS kind,
           CASE u.name WHEN 'dev' THEN 0 WHEN 'stage' THEN 1 WHEN 'prod' THEN 2
                       WHEN 'staging' THEN 3 ELSE 4 END AS position,
           jsonb_build_object(
               'environment', u.name,
               'required_approvals', CASE u.name WHEN 'dev' THEN 0 WHEN 'stage' THEN 1
                                                 WHEN 'staging' THEN 1 ELSE 2 END,
               'approver_role', CASE WHEN u.name IN ('dev', 'stage', 'staging')
                                     THEN 'approver:stage' ELSE 'approver:prod' END,
               'requester_may_approve', false,
               'wait_timer_secs', CASE WHEN u.name IN ('dev', 'stage', 'staging') THEN 0 ELSE 600 END,
               'require_gates', true,
               'soak_secs', CASE u.name WHEN 'staging' THEN 604800 END,
               'freeze_blocks', true,
               'auto_rollback', u.name = 'prod',
               'require_evidence', false) AS defaults
      FROM used u
)
INSERT INTO environment (name, kind, position, policy, updated_by, updated_at)
SELECT l.name, l.kind, l.position, COALESCE(p.policy, l.defaults),
       COALESCE(p.updated_by, 'migration'), COALESCE(p.updated_at, now())
  FROM legacy l LEFT JOIN promotion_policy p ON p.environment = l.name;

UPDATE environment
   SET policy = jsonb_set(policy, '{approver_role}',
                          to_jsonb(CASE policy->>'approver_role'
                                       WHEN 'ApproverStage' THEN 'approver:stage'
                                       WHEN 'ApproverProd' THEN 'approver:prod'
                                       ELSE policy->>'approver_role' END));

DROP TABLE promotion_policy;
