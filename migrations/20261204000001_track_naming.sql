-- How a track names its releases (tag template, what a train does to the
-- version line, release branch), as the track's NamingInput with every
-- default left out. `closes_line` was the one naming rule a track had: a
-- train that closes the line moves the next trains to the next patch.
ALTER TABLE track ADD COLUMN naming jsonb NOT NULL DEFAULT '{}'::jsonb;
UPDATE track SET naming = '{"next_version": "patch"}'::jsonb WHERE closes_line;
ALTER TABLE track DROP COLUMN closes_line;
