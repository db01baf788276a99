-- Seed 004's component owners: an approval records whether its approver
-- held the environment's approver role (only then does it count towards
-- the required number) and which of the train's services they owned (their
-- owner review). Approvals from before were all by role holders.
ALTER TABLE approval
    ADD COLUMN as_approver boolean NOT NULL DEFAULT true,
    ADD COLUMN owner_of text[] NOT NULL DEFAULT '{}';
