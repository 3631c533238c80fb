-- Seeds the lifecycle benchmark straight into the schema; only the fixture is made this way, the measured operations
-- go through the REST API. Usage: psql -v repos=100 -v images=100 -v sigs=10 -v orphans=25000 -f seed.sql
--  * :repos repositories, each holding :images images (one blob each) signed :sigs times: the first signature of
--    every image is by the compromised key (fingerprint DEADBEEF x5), the others by other keys;
--  * :orphans orphaned images (config blob, layer blob, manifest, tag: 4 units each) unused for two hours, whose
--    blob files bench/lifecycle/files.py writes.
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO repository (pulp_id, name, latest_version)
SELECT gen_random_uuid(), 'bench/repo-' || r, 1 FROM generate_series(1, :repos) r;

CREATE TEMP TABLE img AS
SELECT r.id AS repository_id, r.name, g AS i,
       nextval(pg_get_serial_sequence('content', 'id')) AS blob_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS manifest_id,
       convert_to('{"schemaVersion":2,"bench":"' || r.name || '/' || g || '"}', 'UTF8') AS data
FROM repository r, generate_series(1, :images) g WHERE r.name LIKE 'bench/repo-%';
INSERT INTO content (id, pulp_id, pulp_type) SELECT blob_id, gen_random_uuid(), 'container.blob' FROM img;
INSERT INTO blob (id, digest, size)
SELECT blob_id, 'sha256:' || encode(sha256(convert_to('blob ' || name || '/' || i, 'UTF8')), 'hex'), 1000 FROM img;
INSERT INTO content (id, pulp_id, pulp_type) SELECT manifest_id, gen_random_uuid(), 'container.manifest' FROM img;
INSERT INTO manifest (id, digest, media_type, schema_version, kind, data, config_blob_id)
SELECT manifest_id, 'sha256:' || encode(sha256(data), 'hex'), 'application/vnd.oci.image.manifest.v1+json', 2, 'image', data, blob_id FROM img;
INSERT INTO manifest_blob (manifest_id, blob_id) SELECT manifest_id, blob_id FROM img;

CREATE TEMP TABLE sig AS
SELECT img.*, s AS n, nextval(pg_get_serial_sequence('content', 'id')) AS signature_id,
       CASE WHEN s = 1 THEN 'DEADBEEFDEADBEEFDEADBEEFDEADBEEFDEADBEEF'
            ELSE upper(md5('key' || s)) || upper(substr(md5('more' || s), 1, 8)) END AS fingerprint
FROM img, generate_series(1, :sigs) s;
INSERT INTO content (id, pulp_id, pulp_type) SELECT signature_id, gen_random_uuid(), 'container.signature' FROM sig;
INSERT INTO signature (id, signed_manifest_id, signed_digest, type, name, digest, data, key_id, fingerprint)
SELECT signature_id, manifest_id, m.digest, 'atomic', m.digest || '@' || substr(md5(signature_id::text), 1, 32),
       'sha256:' || encode(sha256(convert_to('sig' || signature_id, 'UTF8')), 'hex'), convert_to('sig' || signature_id, 'UTF8'),
       right(fingerprint, 16), fingerprint
FROM sig JOIN manifest m ON m.id = sig.manifest_id;

INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added)
SELECT repository_id, blob_id, 'container.blob', 1 FROM img
UNION ALL SELECT repository_id, manifest_id, 'container.manifest', 1 FROM img
UNION ALL SELECT repository_id, signature_id, 'container.signature', 1 FROM sig;
INSERT INTO repository_version (pulp_id, repository_id, number, base_version, summary)
SELECT gen_random_uuid(), r.id, n, CASE WHEN n = 1 THEN 0 END, CASE WHEN n = 0 THEN '{}'::jsonb ELSE jsonb_build_object(
    'added', jsonb_build_object('container.blob', :images, 'container.manifest', :images, 'container.signature', :images * :sigs),
    'removed', '{}'::jsonb,
    'present', jsonb_build_object('container.blob', :images, 'container.manifest', :images, 'container.signature', :images * :sigs)) END
FROM repository r, generate_series(0, 1) n WHERE r.name LIKE 'bench/repo-%';

-- Orphans: in no version, unused for two hours.
CREATE TEMP TABLE orphan AS
SELECT g AS i,
       nextval(pg_get_serial_sequence('content', 'id')) AS config_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS layer_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS manifest_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS tag_id,
       convert_to('{"schemaVersion":2,"orphan":' || g || '}', 'UTF8') AS data
FROM generate_series(1, :orphans) g;
INSERT INTO content (id, pulp_id, pulp_type, timestamp_of_interest)
SELECT id, gen_random_uuid(), t, now() - interval '2 hours' FROM orphan,
       LATERAL (VALUES (config_id, 'container.blob'), (layer_id, 'container.blob'), (manifest_id, 'container.manifest'),
                       (tag_id, 'container.tag')) AS u(id, t);
-- Blob contents are what files.py writes: 'orphan <kind> <i>' repeated to 4 KiB.
INSERT INTO blob (id, digest, size)
SELECT id, 'sha256:' || encode(sha256(convert_to(repeat(label, 4096 / length(label)), 'UTF8')), 'hex'),
       length(repeat(label, 4096 / length(label)))
FROM orphan, LATERAL (VALUES (config_id, 'orphan config ' || i || E'\n'), (layer_id, 'orphan layer ' || i || E'\n')) AS b(id, label);
INSERT INTO manifest (id, digest, media_type, schema_version, kind, data, config_blob_id)
SELECT manifest_id, 'sha256:' || encode(sha256(data), 'hex'), 'application/vnd.oci.image.manifest.v1+json', 2, 'image', data, config_id
FROM orphan;
INSERT INTO manifest_blob (manifest_id, blob_id)
SELECT manifest_id, config_id FROM orphan UNION ALL SELECT manifest_id, layer_id FROM orphan;
INSERT INTO tag (id, name, manifest_id) SELECT tag_id, 'orphan-' || i, manifest_id FROM orphan;
COMMIT;
ANALYZE;
