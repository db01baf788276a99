-- The metrics of a window read its deployments by when they finished and
-- its postponements by when they were decided. Both were scans of the whole
-- table: on five years of history a 30-day window cost as much as a year.
CREATE INDEX deployment_by_finish ON deployment ((coalesce(finished_at, created_at)));
CREATE INDEX train_event_postponed ON train_event (at)
    WHERE kind = 'calendar' AND detail ? 'postponed';
