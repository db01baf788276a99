-- Calendar editing by owners: the cadence slot a moved train was planned
-- for, who changed freeze windows, and the monthly owner rotation.

-- The cadence slot a train was planned for, kept when an owner moves it, so
-- the calendar still knows which slot it took (NULL: it sits in its slot, or
-- has none, like a hotfix).
ALTER TABLE train ADD COLUMN cadence_slot timestamptz;

ALTER TABLE freeze_window
    ADD COLUMN created_by text NOT NULL DEFAULT 'system',
    ADD COLUMN updated_by text NOT NULL DEFAULT 'system';

-- Who owns the calendar each month: the teams take turns, one month each,
-- starting with the first team in the month `starts_on`.
CREATE TABLE calendar_rotation (
    calendar_rotation_id smallint PRIMARY KEY DEFAULT 1 CHECK (calendar_rotation_id = 1),
    teams       text[] NOT NULL CHECK (cardinality(teams) BETWEEN 1 AND 12),
    starts_on   date NOT NULL CHECK (extract(day FROM starts_on) = 1),
    updated_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
