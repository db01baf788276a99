-- Reminders before a train's cut (its track's planning names how long
-- before, a day and an hour by default). Each reminder sent is kept, per
-- cut time, so that a restart sends none twice and a moved train is
-- reminded again for its new cut.
CREATE TABLE train_reminder (
    train_id       bigint NOT NULL REFERENCES train ON DELETE CASCADE,
    cut_at         timestamptz NOT NULL,
    before_minutes integer NOT NULL CHECK (before_minutes > 0),
    sent_at        timestamptz NOT NULL,
    PRIMARY KEY (train_id, cut_at, before_minutes)
);
