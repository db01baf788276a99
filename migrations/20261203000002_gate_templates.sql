-- Gate templates: named sets of gate specs (the API's `gates` as JSON) that
-- admins edit; a track's template is what a new train of it gets when it
-- names no gates.
CREATE TABLE gate_template (
    gate_template_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE CHECK (name ~ '^[a-z][a-z0-9-]{0,63}$'),
    description text NOT NULL DEFAULT '',
    gates       jsonb NOT NULL CHECK (jsonb_typeof(gates) = 'array'),
    updated_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE track ADD COLUMN gate_template_id bigint REFERENCES gate_template (gate_template_id);
