-- Whether a track's trains are cut with nobody on call. Seed 003's rule
-- ("never run an unmonitored train") stays the default: false skips them.
ALTER TABLE track ADD COLUMN runs_without_on_call boolean NOT NULL DEFAULT false;
