-- Retention: bookkeeping that is deleted once old (settings [retention]). The job itself is in
-- src/scheduler/retention.rs; the ledger, the audit log, notes and pulse answers are kept.

-- When each periodic job last ran, so that one process runs it per interval although every
-- process's scheduler ticks: a run is claimed with an upsert that only updates last_run_at when
-- the previous run is older than the interval, and a process whose claim changed no row skips.
CREATE TABLE job_runs (
    name        TEXT   PRIMARY KEY,
    last_run_at BIGINT NOT NULL
);

-- What the retention job looks up by age, so an hourly run reads an index range, not a table.
CREATE INDEX processed_requests_by_time ON processed_requests (created_at);
CREATE INDEX reminders_by_time ON reminders (sent_at);
CREATE INDEX pulse_requests_by_time ON pulse_requests (sent_at);
-- Delivered and failed messages by age; pending rows are never deleted and keep outbox_due.
CREATE INDEX outbox_done ON outbox (status, sent_at) WHERE status <> 'pending';
