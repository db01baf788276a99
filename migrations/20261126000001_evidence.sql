-- Evidence bundles: each train's uploaded artifacts (SBOMs, test results,
-- provenance, checksums, signatures, migration sets, summaries, release
-- metadata). The bytes live in the object store under sha256/<hex>; this is
-- their metadata. Once a train completes, its bundle is sealed: the seal
-- keeps the manifest, and no artifact of a sealed bundle can change.

CREATE TABLE evidence_artifact (
    evidence_artifact_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    train_id             bigint NOT NULL REFERENCES train (train_id) ON DELETE CASCADE,
    -- One path segment (the domain's ArtifactName): it names the file inside
    -- the downloadable archive.
    name                 text NOT NULL CHECK (
        name ~ '^[A-Za-z0-9_+@][A-Za-z0-9._+@-]{0,199}$' AND strpos(name, '..') = 0
        AND lower(name) NOT IN ('manifest.json', 'sha256sums')),
    kind                 text NOT NULL CHECK (kind IN ('cyclonedx_sbom', 'spdx_sbom', 'junit', 'provenance',
        'checksums', 'signature', 'migrations', 'summary', 'release_metadata')),
    -- The participant the artifact belongs to; NULL for the whole train.
    service_id           bigint,
    size                 bigint NOT NULL CHECK (size > 0),
    sha256               text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    media_type           text NOT NULL,
    -- What the viewers show, extracted when the upload was checked (the
    -- domain's Inspection as JSON).
    inspection           jsonb NOT NULL CHECK (inspection ? 'view'),
    uploaded_by          text NOT NULL,
    uploaded_at          timestamptz NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (train_id, name),
    FOREIGN KEY (train_id, service_id) REFERENCES participant (train_id, service_id) ON DELETE CASCADE
);
-- The archive is unpacked on case-insensitive disks too.
CREATE UNIQUE INDEX evidence_artifact_name_ci_key ON evidence_artifact (train_id, lower(name));
CREATE INDEX evidence_artifact_sha256_idx ON evidence_artifact (sha256);

CREATE TABLE evidence_seal (
    train_id        bigint PRIMARY KEY REFERENCES train (train_id),
    sealed_at       timestamptz NOT NULL,
    sealed_by       text NOT NULL,
    -- The domain's Manifest; its canonical encoding hashes to manifest_sha256.
    manifest        jsonb NOT NULL CHECK (manifest ->> 'format' = 'trainyard-evidence-manifest/v1'),
    manifest_sha256 text NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- A seal is forever, and so is what it covers.
CREATE FUNCTION evidence_seal_is_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'evidence seals are final: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER evidence_seal_no_update_or_delete
    BEFORE UPDATE OR DELETE ON evidence_seal
    FOR EACH ROW EXECUTE FUNCTION evidence_seal_is_final();

CREATE TRIGGER evidence_seal_no_truncate
    BEFORE TRUNCATE ON evidence_seal
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_seal_is_final();

CREATE FUNCTION evidence_artifact_unsealed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    affected bigint := CASE WHEN TG_OP = 'INSERT' THEN NEW.train_id ELSE OLD.train_id END;
BEGIN
    IF EXISTS (SELECT 1 FROM evidence_seal WHERE train_id = affected)
       OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM evidence_seal WHERE train_id = NEW.train_id)) THEN
        RAISE EXCEPTION 'the evidence bundle of train % is sealed: % refused', affected, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;

CREATE TRIGGER evidence_artifact_sealed_bundle
    BEFORE INSERT OR UPDATE OR DELETE ON evidence_artifact
    FOR EACH ROW EXECUTE FUNCTION evidence_artifact_unsealed();

CREATE TRIGGER evidence_artifact_no_truncate
    BEFORE TRUNCATE ON evidence_artifact
    FOR EACH STATEMENT EXECUTE FUNCTION evidence_seal_is_final();

-- Uploads, replacements, removals and the seal appear on the train's timeline.
ALTER TABLE train_event DROP CONSTRAINT train_event_kind_check;
ALTER TABLE train_event ADD CONSTRAINT train_event_kind_check CHECK (kind IN
    ('created', 'edited', 'transition', 'gate_results', 'participant', 'rollback', 'calendar',
     'promotion', 'health', 'evidence'));
