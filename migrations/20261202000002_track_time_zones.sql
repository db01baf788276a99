-- A cadence in a time zone other than UTC starts `DTSTART;TZID=<zone>:`.
ALTER TABLE track
    DROP CONSTRAINT track_cadence_rrule_check,
    ADD CONSTRAINT track_cadence_rrule_check CHECK (cadence_rrule IS NULL
        OR cadence_rrule LIKE 'DTSTART:%RRULE:%' OR cadence_rrule LIKE 'DTSTART;TZID=%RRULE:%');
