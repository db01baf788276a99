-- E-mail deliveries: a subscription in the `email` format is sent, through
-- the operator's SMTP relay (TRAINYARD_SMTP_URL), to the recipients its URL
-- lists as a mailto: URI (RFC 6068). A mailto: URL goes with that format
-- and only with it; every other format keeps posting to http(s).

ALTER TABLE webhook_subscription
    DROP CONSTRAINT webhook_subscription_format_check,
    ADD CONSTRAINT webhook_subscription_format_check
        CHECK (format IN ('standard', 'slack', 'email')),
    DROP CONSTRAINT webhook_subscription_url_check,
    ADD CONSTRAINT webhook_subscription_url_check
        CHECK (length(url) <= 2000 AND url !~ '[\x01-\x20\x7f]'
               AND CASE WHEN format = 'email' THEN url ~ '^mailto:'
                        ELSE url ~ '^https?://' END);
