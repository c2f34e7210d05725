-- 1on1s: who meets whom, what was held, what follows, and the reminders that keep it regular.
-- Calendar days are 'YYYY-MM-DD' text (they compare correctly as text on both backends);
-- instants are unix milliseconds as in 0001.

-- A manager and a report who meet regularly. A report has at most one active pair: when they
-- change manager the old pair is ended (and keeps its history) and a new one starts fresh.
-- due_on is always last_met_on (or added_on, for a pair that never met) + cadence, kept in step
-- by every write. remind_from is the earliest day the next reminder of this due period may go
-- out: NULL means from due_on, '9999-12-31' that this period's reminders are all sent. It is set
-- with each reminder and cleared whenever due_on moves, so a pass reads, through one index, only
-- the pairs that may get a message today: long-overdue pairs whose reminders are used up, and
-- pairs between two reminders, are not read again and again.
CREATE TABLE pairs (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    manager_id    TEXT   NOT NULL,
    report_id     TEXT   NOT NULL,
    cadence       TEXT   NOT NULL,
    added_on      TEXT   NOT NULL,
    added_at      BIGINT NOT NULL,
    added_by      TEXT   NOT NULL,
    last_met_on   TEXT,
    due_on        TEXT   NOT NULL,
    remind_from   TEXT,
    paused        BIGINT NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    snoozed_until TEXT,
    ended_at      BIGINT,
    CHECK (manager_id <> report_id)
);
CREATE UNIQUE INDEX pairs_one_manager_per_report ON pairs (report_id) WHERE ended_at IS NULL;
CREATE INDEX pairs_by_manager ON pairs (manager_id) WHERE ended_at IS NULL;
CREATE INDEX pairs_to_check ON pairs ((COALESCE(remind_from, due_on)))
    WHERE ended_at IS NULL AND paused = 0;

-- A 1on1 that was held. Either person may record it; one per pair and day.
CREATE TABLE meetings (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id     BIGINT NOT NULL REFERENCES pairs (id),
    held_on     TEXT   NOT NULL,
    recorded_by TEXT   NOT NULL,
    recorded_at BIGINT NOT NULL,
    UNIQUE (pair_id, held_on)
);

-- Notes are private to the two people of the pair. No admin view, report, export or log reads
-- this table; only the pair's own `/1on1 notes` does.
CREATE TABLE meeting_notes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id BIGINT NOT NULL REFERENCES meetings (id),
    author_id  TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    written_at BIGINT NOT NULL
);
CREATE INDEX meeting_notes_by_meeting ON meeting_notes (meeting_id);

-- Action items of a pair. Open until closed (done_at), carried forward across 1on1s.
CREATE TABLE action_items (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    body       TEXT   NOT NULL,
    created_by TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    done_at    BIGINT,
    done_by    TEXT
);
CREATE INDEX action_items_open ON action_items (pair_id) WHERE done_at IS NULL;

-- Topics for the next 1on1. A topic belongs to the 1on1 recorded after it was added.
CREATE TABLE topics (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    pair_id    BIGINT NOT NULL REFERENCES pairs (id),
    body       TEXT   NOT NULL,
    added_by   TEXT   NOT NULL,
    added_at   BIGINT NOT NULL,
    meeting_id BIGINT REFERENCES meetings (id)
);
CREATE INDEX topics_open ON topics (pair_id) WHERE meeting_id IS NULL;

-- Exactly-once reminders: one row per (pair, due period, who, number), inserted in the same
-- transaction that writes the message to the outbox. A second process, a restart or a repeated
-- `jobs run` finds the row and sends nothing; a rolled-back pass leaves no row and is redone.
--   kind 'manager' seq 1..max_reminders: the DM to the manager
--   kind 'report'  seq 1: the one nudge telling the report they can ask for a 1on1
CREATE TABLE reminders (
    pair_id   BIGINT NOT NULL REFERENCES pairs (id),
    due_on    TEXT   NOT NULL,
    kind      TEXT   NOT NULL CHECK (kind IN ('manager', 'report')),
    seq       BIGINT NOT NULL,
    local_day TEXT   NOT NULL,
    sent_at   BIGINT NOT NULL,
    questions TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (pair_id, due_on, kind, seq)
);

-- The pulse sent to a report after a recorded 1on1. Partial answers wait here until both are
-- in; then they move, without the report or the meeting, to pulse_answers and are cleared.
CREATE TABLE pulse_requests (
    meeting_id  BIGINT PRIMARY KEY REFERENCES meetings (id),
    report_id   TEXT   NOT NULL,
    manager_id  TEXT   NOT NULL,
    sent_at     BIGINT NOT NULL,
    useful      BIGINT,
    talk        TEXT,
    answered    BIGINT NOT NULL DEFAULT 0 CHECK (answered IN (0, 1))
);

-- Anonymous pulse answers: whose 1on1s (the manager) and the week (its Monday), never who
-- answered or about which 1on1; the week, not the day, so an answer cannot be matched to a
-- pulse request by when it came. Managers see them only in aggregate, once enough exist and
-- in steps of that many, so comparing two views never singles one answer out.
CREATE TABLE pulse_answers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    manager_id  TEXT   NOT NULL,
    answered_week TEXT NOT NULL,
    useful      BIGINT NOT NULL CHECK (useful BETWEEN 1 AND 5),
    talk        TEXT   NOT NULL CHECK (talk IN ('report', 'even', 'manager'))
);
CREATE INDEX pulse_answers_by_manager ON pulse_answers (manager_id, answered_week);
