-- CI tokens: only a SHA-256 of the secret is kept; the secret is shown once.
CREATE TABLE api_token (
    api_token_id  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    token_hash    bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    -- The first characters of the secret, so people can tell tokens apart.
    prefix        text NOT NULL,
    scopes        text[] NOT NULL CHECK (cardinality(scopes) > 0),
    created_by    text NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    revoked_at    timestamptz,
    revoked_by    text,
    last_used_at  timestamptz,
    CHECK (expires_at IS NULL OR expires_at > created_at),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- A name is reused only once its earlier token is revoked.
CREATE UNIQUE INDEX api_token_active_name_idx ON api_token (name) WHERE revoked_at IS NULL;
