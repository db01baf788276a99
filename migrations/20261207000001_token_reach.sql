-- Where a CI token may act: the trains of these tracks and these trains by
-- name (app/src/domain/access/reach.rs). Both empty: every train, as every
-- token could before, so stored tokens keep their powers. Tracks are kept by
-- name, which never changes; a train named here need not exist yet.
ALTER TABLE api_token
    ADD COLUMN tracks text[] NOT NULL DEFAULT '{}',
    ADD COLUMN trains text[] NOT NULL DEFAULT '{}',
    -- Backstops under the parsers: every element a track (train) name. The
    -- list is checked joined by commas (a NULL element joins as '*'), and
    -- splitting it again must give as many names as it holds, so that no
    -- element hides a comma.
    ADD CONSTRAINT api_token_tracks_are_track_names CHECK (cardinality(tracks) = 0 OR (
        array_to_string(tracks, ',', '*') ~ '^[a-z][a-z0-9-]{0,31}(,[a-z][a-z0-9-]{0,31})*$'
        AND cardinality(string_to_array(array_to_string(tracks, ','), ',')) = cardinality(tracks))),
    ADD CONSTRAINT api_token_trains_are_train_names CHECK (cardinality(trains) = 0 OR (
        array_to_string(trains, ',', '*')
            ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(,[A-Za-z0-9][A-Za-z0-9._-]{0,99})*$'
        AND cardinality(string_to_array(array_to_string(trains, ','), ',')) = cardinality(trains)));
