-- The living calendar: trains planned ahead by the scheduler, cut at the
-- freeze point on a release branch, tagged candidate by candidate, and a
-- calendar status that follows what happened to each train.

-- How far ahead a track plans, who is on call in turn, whether a train
-- with nothing new is cut: the track's PlanningInput, defaults left out.
ALTER TABLE track ADD COLUMN planning jsonb NOT NULL DEFAULT '{}'::jsonb;

ALTER TABLE train
    -- The cadence slot the train was planned for (kept when it moves): a
    -- slot has one train, whoever plans it and however often.
    ADD COLUMN slot timestamptz,
    -- Planned by the scheduler and touched by nobody since: a new cadence
    -- may withdraw it.
    ADD COLUMN replannable boolean NOT NULL DEFAULT false,
    -- What the cut recorded: seed 000's train id and release branch.
    ADD COLUMN release_id text CHECK (release_id IS NULL OR length(release_id) BETWEEN 1 AND 200),
    ADD COLUMN release_branch text CHECK (release_branch IS NULL OR length(release_branch) BETWEEN 1 AND 250),
    ADD COLUMN cut_at timestamptz,
    -- A postponement's category ("chain-ops conflict"); the reason is in
    -- status_reason.
    ADD COLUMN status_category text CHECK (status_category IS NULL OR length(status_category) BETWEEN 1 AND 60),
    -- The completed hotfix whose versions this train starts from.
    ADD COLUMN baseline_train_id bigint REFERENCES train (train_id) ON DELETE SET NULL;

WITH slotted AS (
    SELECT t.train_id,
           row_number() OVER (PARTITION BY t.track_id, coalesce(t.cadence_slot, t.planned_start)
                              ORDER BY t.train_id) AS n
    FROM train t JOIN track k USING (track_id)
    WHERE k.cadence_rrule IS NOT NULL AND t.planned_start IS NOT NULL
)
UPDATE train t SET slot = coalesce(t.cadence_slot, t.planned_start)
FROM slotted s WHERE s.train_id = t.train_id AND s.n = 1;

CREATE UNIQUE INDEX train_track_slot_key ON train (track_id, slot);
CREATE INDEX train_baseline_idx ON train (baseline_train_id) WHERE baseline_train_id IS NOT NULL;

ALTER TABLE train DROP CONSTRAINT train_status_check;
ALTER TABLE train ADD CONSTRAINT train_status_check CHECK (status IN
    ('open', 'postponed', 'skipped', 'cut', 'done', 'failed', 'rolled_back'));

-- What the trains already did.
UPDATE train SET status = CASE state
        WHEN 'completed' THEN 'done'
        WHEN 'failed' THEN 'failed'
        WHEN 'rolled_back' THEN 'rolled_back'
        ELSE 'cut' END
WHERE status IN ('open', 'cut') AND state <> 'planning';

-- Every tag a train carried, oldest first: the cut's, each new release
-- candidate's, general availability's; with the participants' versions.
CREATE TABLE train_tag (
    -- The order tags were given in, whatever the clocks said.
    train_tag_id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    train_id  bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    tag       text NOT NULL UNIQUE CHECK (tag ~ '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'),
    kind      text NOT NULL CHECK (kind IN ('cut', 'candidate', 'general_availability')),
    versions  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(versions) = 'object'),
    reason    text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
    tagged_by text NOT NULL,
    tagged_at timestamptz NOT NULL,
    PRIMARY KEY (train_id, tag)
);
CREATE INDEX train_tag_train_idx ON train_tag (train_id, train_tag_id);

INSERT INTO train_tag (train_id, tag, kind, versions, tagged_by, tagged_at)
SELECT t.train_id, t.tag, 'cut',
       coalesce((SELECT jsonb_object_agg(s.name, p.target_version)
                 FROM participant p JOIN service s USING (service_id)
                 WHERE p.train_id = t.train_id AND p.target_version IS NOT NULL), '{}'::jsonb),
       'migration', coalesce(t.planned_start, t.created_at)
FROM train t
WHERE t.tag IS NOT NULL AND t.status IN ('cut', 'done', 'failed', 'rolled_back')
ON CONFLICT DO NOTHING;
