-- Services as teams describe them: where the code lives, who owns it, and
-- retirement (the row stays: past trains name it).

ALTER TABLE service
    ADD COLUMN repository text CHECK (repository IS NULL OR length(repository) BETWEEN 1 AND 2048),
    -- People's user names, or `group:<name>` for a group of the identity provider.
    ADD COLUMN owners text[] NOT NULL DEFAULT '{}',
    ADD COLUMN retired_at timestamptz;

CREATE INDEX service_dependency_depends_on_idx ON service_dependency (depends_on_service_id);
