-- The thanks loop: thanks, the two point ledgers, budgets, admins, idempotency and the outbox.
-- Times are unix milliseconds (BIGINT) on both backends so that one portable SQL dialect
-- serves SQLite and PostgreSQL. Periods are 'YYYY-MM' in the organisation's time zone.

-- One row per /thanks as given.
CREATE TABLE thanks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    giver       TEXT    NOT NULL,
    message     TEXT    NOT NULL,
    points_each BIGINT  NOT NULL CHECK (points_each >= 0),
    channel     TEXT,
    period      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL
);
CREATE INDEX thanks_by_giver ON thanks (giver, id);

CREATE TABLE thanks_recipients (
    thanks_id BIGINT NOT NULL REFERENCES thanks (id),
    recipient TEXT   NOT NULL,
    PRIMARY KEY (thanks_id, recipient)
);
CREATE INDEX thanks_recipients_by_recipient ON thanks_recipients (recipient, thanks_id);

-- Company values tagged on a thanks (#teamwork).
CREATE TABLE thanks_values (
    thanks_id BIGINT NOT NULL REFERENCES thanks (id),
    value     TEXT   NOT NULL,
    PRIMARY KEY (thanks_id, value)
);

-- The append-only ledger. Every movement of points is one row and rows are never updated:
--   give    the giver's budget debit, one row per recipient (points < 0)
--   receive a recipient's credit, one row per recipient (points > 0); received points never expire
--   grant   an admin's one-time top-up of someone's budget for one period (points > 0)
CREATE TABLE ledger (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      TEXT   NOT NULL,
    period       TEXT   NOT NULL,
    kind         TEXT   NOT NULL CHECK (kind IN ('give', 'receive', 'grant')),
    points       BIGINT NOT NULL,
    thanks_id    BIGINT REFERENCES thanks (id),
    counterparty TEXT,
    created_at   BIGINT NOT NULL,
    CHECK ((kind = 'give' AND points < 0) OR (kind <> 'give' AND points > 0))
);
CREATE INDEX ledger_by_user ON ledger (user_id, kind, period);
CREATE INDEX ledger_by_period ON ledger (kind, period, user_id);

-- A person's budget for one period: the row the conditional debit locks. Invariants, checked
-- by tests: spent = -(sum of their 'give' rows), granted = sum of their 'grant' rows.
CREATE TABLE budget_periods (
    user_id TEXT   NOT NULL,
    period  TEXT   NOT NULL,
    base    BIGINT NOT NULL CHECK (base >= 0),
    granted BIGINT NOT NULL DEFAULT 0 CHECK (granted >= 0),
    spent   BIGINT NOT NULL DEFAULT 0 CHECK (spent >= 0),
    PRIMARY KEY (user_id, period)
);

-- Per-person monthly budgets set by admins; everyone else gets the default.
CREATE TABLE budget_overrides (
    user_id        TEXT   PRIMARY KEY,
    monthly_budget BIGINT NOT NULL CHECK (monthly_budget >= 0),
    set_by         TEXT   NOT NULL,
    set_at         BIGINT NOT NULL
);

-- Settings changed in the app (the default budget), overriding config/default.toml.
CREATE TABLE app_settings (
    key    TEXT   PRIMARY KEY,
    value  TEXT   NOT NULL,
    set_by TEXT   NOT NULL,
    set_at BIGINT NOT NULL
);

-- Admins granted in Slack with /bonus admins add (those in bonus.admins are admins too).
CREATE TABLE bonus_admins (
    user_id    TEXT   PRIMARY KEY,
    granted_by TEXT   NOT NULL,
    granted_at BIGINT NOT NULL
);

-- Every admin change: who did what to whom, when. Never updated or deleted.
CREATE TABLE audit_log (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor      TEXT   NOT NULL,
    action     TEXT   NOT NULL,
    subject    TEXT,
    detail     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

-- Idempotency: a Slack request (trigger_id) or event (event_id) has one effect. The reply
-- is kept so that a retry gets the same answer.
CREATE TABLE processed_requests (
    key        TEXT   PRIMARY KEY,
    reply      TEXT,
    created_at BIGINT NOT NULL
);

-- What users.info said about a person, refreshed after slack.user_cache_ttl_secs.
CREATE TABLE slack_users (
    user_id    TEXT    PRIMARY KEY,
    is_bot     BIGINT  NOT NULL,
    deleted    BIGINT  NOT NULL,
    locale     TEXT,
    tz         TEXT,
    fetched_at BIGINT  NOT NULL
);

-- The only way messages leave: written in the transaction of the change that caused them,
-- claimed with a lease by a worker, sent, then marked sent or failed with the reason.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payload         TEXT   NOT NULL,
    status          TEXT   NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
