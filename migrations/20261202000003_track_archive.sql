-- An archived track plans no more trains and takes no new ones; its past
-- trains keep it.
ALTER TABLE track ADD COLUMN archived_at timestamptz;
