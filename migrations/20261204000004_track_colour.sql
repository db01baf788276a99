-- The colour a track picked (one of the palette's names); NULL: by its
-- position, as every track was coloured before.
ALTER TABLE track ADD COLUMN colour text;
