-- The audit trail: who did what, when, why and from where, as a hash chain.
-- Each record stores the SHA-256 of the previous record's hash and its own
-- canonical content; rows can be added, never changed or removed.

CREATE TABLE audit_record (
    audit_record_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL,
    actor_kind      text NOT NULL CHECK (actor_kind IN ('user', 'token', 'system')),
    -- The subject of a user, the name of a token, or the system part acting.
    actor           text NOT NULL CHECK (length(actor) > 0),
    actor_name      text,
    actor_roles     text[] NOT NULL DEFAULT '{}',
    action          text NOT NULL CHECK (action ~ '^[a-z_]+\.[a-z_]+$'),
    resource        text NOT NULL,
    before          jsonb,
    after           jsonb,
    reason          text,
    ip              text,
    user_agent      text,
    prev_hash       bytea NOT NULL CHECK (length(prev_hash) = 32),
    hash            bytea NOT NULL UNIQUE CHECK (length(hash) = 32)
);
CREATE INDEX audit_record_at_idx ON audit_record (at);
CREATE INDEX audit_record_resource_idx ON audit_record (resource);

CREATE FUNCTION audit_record_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_record_no_update_or_delete
    BEFORE UPDATE OR DELETE ON audit_record
    FOR EACH ROW EXECUTE FUNCTION audit_record_is_append_only();

CREATE TRIGGER audit_record_no_truncate
    BEFORE TRUNCATE ON audit_record
    FOR EACH STATEMENT EXECUTE FUNCTION audit_record_is_append_only();
