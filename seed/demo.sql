-- The demo partnership that `make run` and the tests start from. Safe to apply twice.
INSERT INTO partnerships (id, code, name, playbook_id, created_at)
VALUES ('demo-krscp', 'KRSCP', 'Kingston and Richmond Safeguarding Children Partnership (demo)', 'krscp', '2026-01-01T00:00:00.000Z')
ON CONFLICT (id) DO NOTHING;
