-- A subscription's audience: the stakeholder group (seed 002's
-- `notifications.stakeholders`) a chat channel or mailing list speaks to.
-- The imported notification policy sends a subscription with an audience
-- only while it lists both its format and its audience; one without an
-- audience (a CD system, a pager) is an integration the policy leaves
-- alone.

ALTER TABLE webhook_subscription
    ADD COLUMN audience text
        CHECK (audience = btrim(audience) AND length(audience) BETWEEN 1 AND 60
               AND audience !~ '[\x01-\x1f\x7f]');

-- The policy's channels are now subscription formats. A stored policy from
-- before this could name a channel Trainyard never sent: it is dropped, as
-- it reached nobody.
UPDATE setting
SET value = jsonb_set(value, '{notifications,channels}', (
        SELECT COALESCE(jsonb_agg(c), '[]'::jsonb)
        FROM jsonb_array_elements(value #> '{notifications,channels}') AS c
        WHERE c #>> '{}' IN ('standard', 'slack', 'email')))
WHERE key = 'release_trains'
  AND jsonb_typeof(value #> '{notifications,channels}') = 'array';

-- Likewise a stakeholder that is no audience's name (blank, or longer than
-- an audience may be).
UPDATE setting
SET value = jsonb_set(value, '{notifications,stakeholders}', (
        SELECT COALESCE(jsonb_agg(to_jsonb(btrim(s #>> '{}'))), '[]'::jsonb)
        FROM jsonb_array_elements(value #> '{notifications,stakeholders}') AS s
        WHERE jsonb_typeof(s) = 'string'
          AND length(btrim(s #>> '{}')) BETWEEN 1 AND 60
          AND s #>> '{}' !~ '[\x01-\x1f\x7f]'))
WHERE key = 'release_trains'
  AND jsonb_typeof(value #> '{notifications,stakeholders}') = 'array';
