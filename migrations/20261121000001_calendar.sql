-- Tracks, services and planned trains: the calendar's first tables.

CREATE TABLE track (
    track_id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,31}$'),
    description         text NOT NULL DEFAULT '',
    -- What people read ("Weekly, Tuesday 14:00 UTC").
    cadence_description text NOT NULL,
    -- RFC 5545 DTSTART + RRULE lines; NULL means on demand.
    cadence_rrule       text CHECK (cadence_rrule IS NULL OR cadence_rrule LIKE 'DTSTART:%RRULE:%'),
    -- Display order (and colour) of the track.
    position            integer NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service (
    service_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    description text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE train (
    train_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    track_id      bigint NOT NULL REFERENCES track (track_id),
    tag           text NOT NULL CHECK (tag ~ '^v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$'),
    planned_start timestamptz NOT NULL,
    status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'skipped', 'cut', 'done')),
    on_call       text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (track_id, tag)
);

-- The calendar and dashboard read trains by date.
CREATE INDEX train_planned_start_idx ON train (planned_start);
