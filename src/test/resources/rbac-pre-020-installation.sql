INSERT INTO sigil_user (pulp_id, username, password_hash, is_admin) VALUES
 (gen_random_uuid(), 'admin', 'x', true), (gen_random_uuid(), 'alice', 'x', false), (gen_random_uuid(), 'bob', 'x', false);
INSERT INTO repository (pulp_id, name) VALUES ('11111111-1111-1111-1111-111111111111', 'team/app'), ('22222222-2222-2222-2222-222222222222', 'bob/pushed');
INSERT INTO task (pulp_id, name, state, exclusive_resources, created_by, parameters) VALUES
 (gen_random_uuid(), 'repository.sync', 'completed', ARRAY['repository:11111111-1111-1111-1111-111111111111'], 'alice', '{}'),
 (gen_random_uuid(), 'repository.sign', 'completed', ARRAY['repository:11111111-1111-1111-1111-111111111111'], 'alice',
  '{"repository":"11111111-1111-1111-1111-111111111111","service":"33333333-3333-3333-3333-333333333333","reference":"registry.example.com/team/app"}'),
 (gen_random_uuid(), 'repository.sign', 'failed', ARRAY['repository:11111111-1111-1111-1111-111111111111'], 'bob',
  '{"service":"33333333-3333-3333-3333-333333333333","reference":"registry.example.com/failed"}');
INSERT INTO distribution (pulp_id, name, base_path, repository_id, private) VALUES
 (gen_random_uuid(), 'team/app', 'team/app', (SELECT id FROM repository WHERE name='team/app'), true),
 (gen_random_uuid(), 'bob/pushed', 'bob/pushed', (SELECT id FROM repository WHERE name='bob/pushed'), false);
INSERT INTO container_remote (pulp_id, name, url, upstream_name) VALUES (gen_random_uuid(), 'up', 'https://r.example', 'lib/x');
INSERT INTO signing_service (pulp_id, name, type, public_key, fingerprint, script) VALUES
 ('33333333-3333-3333-3333-333333333333', 'org', 'atomic', 'k', 'ABCDEF0123456789', '/bin/true');
