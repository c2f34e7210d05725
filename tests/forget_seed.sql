-- Shared by tests/cli.rs and tests/api/forget.rs: UGONE (who is forgotten) and UKEEP (who is
-- not), portable to SQLite and PostgreSQL (ids are found, never written).
INSERT INTO pairs (manager_id, report_id, cadence, added_on, added_at, added_by, due_on) VALUES ('UMGR', 'UGONE', 'weekly', '2026-01-05', 0, 'UMGR', '2026-01-15');
INSERT INTO pairs (manager_id, report_id, cadence, added_on, added_at, added_by, due_on, ended_at) VALUES ('UGONE', 'UFORMER', 'weekly', '2025-01-06', 0, 'UGONE', '2025-01-13', 1);
INSERT INTO pairs (manager_id, report_id, cadence, added_on, added_at, added_by, due_on) VALUES ('UMGR', 'UKEEP', 'weekly', '2026-01-05', 0, 'UMGR', '2026-01-15');
INSERT INTO meetings (pair_id, held_on, recorded_by, recorded_at) SELECT id, '2026-01-08', manager_id, 0 FROM pairs;
INSERT INTO meeting_notes (meeting_id, author_id, body, written_at) SELECT m.id, p.manager_id, 'secret manager note', 0 FROM meetings m JOIN pairs p ON p.id = m.pair_id;
INSERT INTO meeting_notes (meeting_id, author_id, body, written_at) SELECT m.id, p.report_id, 'secret report note', 0 FROM meetings m JOIN pairs p ON p.id = m.pair_id;
INSERT INTO topics (pair_id, body, added_by, added_at) SELECT id, 'a topic', report_id, 0 FROM pairs;
INSERT INTO action_items (pair_id, body, created_by, created_at) SELECT id, 'an item', manager_id, 0 FROM pairs;
INSERT INTO pulse_requests (meeting_id, report_id, manager_id, sent_at, useful) SELECT m.id, p.report_id, p.manager_id, 0, 4 FROM meetings m JOIN pairs p ON p.id = m.pair_id;
INSERT INTO help_requests (asker_id, asker_locale, question, channel_id, asked_at, nudge_due_at, escalate_due_at) VALUES ('UGONE', 'en', 'How do I ask for a raise?', 'CHELP', 0, 0, 0);
INSERT INTO help_requests (asker_id, asker_locale, question, channel_id, asked_at, nudge_due_at, escalate_due_at) VALUES ('UKEEP', 'en', 'Where is the printer?', 'CHELP', 0, 0, 0);
INSERT INTO slack_users (user_id, is_bot, deleted, locale, tz, fetched_at) VALUES ('UGONE', 0, 1, 'en-US', 'Asia/Tokyo', 0);
INSERT INTO slack_users (user_id, is_bot, deleted, locale, tz, fetched_at) VALUES ('UKEEP', 0, 0, 'en-US', 'Asia/Tokyo', 0);
INSERT INTO ledger (user_id, period, kind, points, counterparty, created_at) VALUES ('UGONE', '2026-01', 'receive', 30, 'UKEEP', 0);
INSERT INTO outbox (payload, status, next_attempt_at, created_at) VALUES ('{"to":{"kind":"direct","user":"UGONE"},"locale":"en","body":{"kind":"text","text":"for gone"}}', 'pending', 0, 0);
INSERT INTO outbox (payload, status, next_attempt_at, created_at) VALUES ('{"to":{"kind":"direct","user":"UKEEP"},"locale":"en","body":{"kind":"text","text":"for keep"}}', 'pending', 0, 0);
INSERT INTO outbox (payload, status, next_attempt_at, created_at, sent_at) VALUES ('{"to":{"kind":"direct","user":"UGONE"},"locale":"en","body":{"kind":"text","text":"sent to gone"}}', 'sent', 0, 0, 0);
INSERT INTO pair_invitations (manager_id, report_id, cadence, invited_at, expires_at) VALUES ('UGONE', 'UNEW', 'weekly', 0, 9999999999999);
INSERT INTO pair_invitations (manager_id, report_id, cadence, invited_at, expires_at) VALUES ('UMGR', 'UOTHER', 'weekly', 0, 9999999999999);
