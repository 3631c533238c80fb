-- Seeds a repository holding :n tagged, signed images (one blob each) as its version 1, plus :extra untagged
-- manifests outside it, straight into the schema. Only the fixture is made this way; everything measured goes
-- through the REST API. Usage: psql -v n=100000 -v extra=10000 -v repo="'<repository uuid>'" -f seed.sql
\set ON_ERROR_STOP on
BEGIN;
CREATE TEMP TABLE img AS
SELECT g AS i,
       nextval(pg_get_serial_sequence('content', 'id')) AS blob_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS manifest_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS tag_id,
       nextval(pg_get_serial_sequence('content', 'id')) AS signature_id,
       convert_to('{"schemaVersion":2,"bench":' || g || '}', 'UTF8') AS data
FROM generate_series(1, :n + :extra) g;

INSERT INTO content (id, pulp_id, pulp_type) SELECT blob_id, gen_random_uuid(), 'container.blob' FROM img;
INSERT INTO blob (id, digest, size) SELECT blob_id, 'sha256:' || encode(sha256(convert_to('blob' || i, 'UTF8')), 'hex'), 1000 FROM img;
INSERT INTO content (id, pulp_id, pulp_type) SELECT manifest_id, gen_random_uuid(), 'container.manifest' FROM img;
INSERT INTO manifest (id, digest, media_type, schema_version, kind, data, config_blob_id)
SELECT manifest_id, 'sha256:' || encode(sha256(data), 'hex'), 'application/vnd.oci.image.manifest.v1+json', 2, 'image', data, blob_id FROM img;
INSERT INTO manifest_blob (manifest_id, blob_id) SELECT manifest_id, blob_id FROM img;
-- Tags and signatures only for the images in the repository.
INSERT INTO content (id, pulp_id, pulp_type) SELECT tag_id, gen_random_uuid(), 'container.tag' FROM img WHERE i <= :n;
INSERT INTO tag (id, name, manifest_id) SELECT tag_id, 'tag-' || i, manifest_id FROM img WHERE i <= :n;
INSERT INTO content (id, pulp_id, pulp_type) SELECT signature_id, gen_random_uuid(), 'container.signature' FROM img WHERE i <= :n;
INSERT INTO signature (id, signed_manifest_id, signed_digest, type, name, digest, data, key_id)
SELECT signature_id, manifest_id, m.digest, 'atomic', m.digest || '@' || substr(md5(i::text), 1, 32),
       'sha256:' || encode(sha256(convert_to('sig' || i, 'UTF8')), 'hex'), convert_to('sig' || i, 'UTF8'), 'BENCHKEY00000001'
FROM img JOIN manifest m ON m.id = img.manifest_id WHERE i <= :n;

-- Tag units outside the repository, for the measured modify calls: new-<i> for each extra manifest, and a tag-1
-- that moves tag-1 to another manifest.
INSERT INTO content (id, pulp_id, pulp_type) SELECT tag_id, gen_random_uuid(), 'container.tag' FROM img WHERE i > :n;
INSERT INTO tag (id, name, manifest_id) SELECT tag_id, 'new-' || i, manifest_id FROM img WHERE i > :n;
INSERT INTO content (id, pulp_id, pulp_type) VALUES (nextval(pg_get_serial_sequence('content', 'id')), gen_random_uuid(), 'container.tag');
INSERT INTO tag (id, name, manifest_id) SELECT currval(pg_get_serial_sequence('content', 'id')), 'tag-1', manifest_id FROM img WHERE i = :n + 1;

INSERT INTO repository_content (repository_id, content_id, pulp_type, version_added)
SELECT r.id, u.id, u.t, 1 FROM repository r, img,
     LATERAL (VALUES (img.blob_id, 'container.blob'), (img.manifest_id, 'container.manifest'),
                     (img.tag_id, 'container.tag'), (img.signature_id, 'container.signature')) AS u(id, t)
WHERE r.pulp_id = :repo::uuid AND img.i <= :n;
INSERT INTO repository_version (pulp_id, repository_id, number, base_version, summary)
SELECT gen_random_uuid(), r.id, 1, 0, jsonb_build_object(
    'added', jsonb_build_object('container.blob', :n, 'container.manifest', :n, 'container.tag', :n, 'container.signature', :n),
    'removed', '{}'::jsonb,
    'present', jsonb_build_object('container.blob', :n, 'container.manifest', :n, 'container.tag', :n, 'container.signature', :n))
FROM repository r WHERE r.pulp_id = :repo::uuid;
UPDATE repository SET latest_version = 1 WHERE pulp_id = :repo::uuid;
COMMIT;
ANALYZE;
