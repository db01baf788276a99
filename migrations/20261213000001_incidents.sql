-- Incidents, as an incident tool or a person reports them: what broke,
-- how badly, which services in which environment, from when until when,
-- and the post-incident review with the train tags it cites. Trainyard
-- proposes the deployments that may have caused one (the same services
-- and environment, finished in the day before it started); a person
-- confirms each link, and a linked deployment counts as a failed change
-- once, however many incidents cite it.

CREATE TABLE incident (
    incident_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The reporting tool's own id (a PagerDuty incident's): a report with
    -- one is the same incident again.
    external_id  text UNIQUE CHECK (length(external_id) BETWEEN 1 AND 200 AND external_id !~ '\s'),
    title        text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 500
                                      AND title !~ '[\x01-\x1f\x7f]'),
    severity     text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low')),
    environment_id bigint NOT NULL REFERENCES environment (environment_id),
    started_at   timestamptz NOT NULL,
    resolved_at  timestamptz CHECK (resolved_at IS NULL OR resolved_at >= started_at),
    url          text CHECK (url ~ '^https?://' AND length(url) <= 2048),
    review_url   text CHECK (review_url ~ '^https?://' AND length(review_url) <= 2048),
    -- The train tags (or names) the post-incident review cites.
    cited_tags   text[] NOT NULL DEFAULT '{}' CHECK (cardinality(cited_tags) <= 20),
    reported_by  text NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);

CREATE TABLE incident_service (
    incident_id bigint NOT NULL REFERENCES incident (incident_id) ON DELETE CASCADE,
    service_id  bigint NOT NULL REFERENCES service (service_id),
    PRIMARY KEY (incident_id, service_id)
);

CREATE TABLE incident_link (
    incident_id   bigint NOT NULL REFERENCES incident (incident_id) ON DELETE CASCADE,
    deployment_id bigint NOT NULL REFERENCES deployment (deployment_id),
    confirmed_by  text NOT NULL,
    confirmed_at  timestamptz NOT NULL,
    PRIMARY KEY (incident_id, deployment_id)
);

CREATE INDEX incident_recent ON incident (started_at DESC, incident_id DESC);
CREATE INDEX incident_link_by_deployment ON incident_link (deployment_id);

-- A confirmed link shows on the timeline of the train the deployment
-- belongs to.
ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN (
    'created', 'edited', 'transition', 'gate_results', 'participant', 'rollback',
    'calendar', 'promotion', 'health', 'evidence', 'changes', 'notes', 'deployment',
    'incident'));
