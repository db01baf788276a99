-- A subscription's message format: `standard` posts the Standard Webhooks
-- body ({type, timestamp, data}); `slack` posts a Slack incoming-webhook
-- message ({text, blocks}) built from it, so a subscription can point
-- straight at a Slack channel.

ALTER TABLE webhook_subscription
    ADD COLUMN format text NOT NULL DEFAULT 'standard' CHECK (format IN ('standard', 'slack'));
