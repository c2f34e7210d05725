-- Help requests (/ask): a question posted in a help channel, tracked until the asker says it is
-- resolved. Instants are unix milliseconds as in 0001.

-- One question. asker_id is kept even for anonymous questions, so the asker can be told when
-- someone answers and can resolve it; no post, stat, export or admin view ever shows it when
-- anonymous = 1. post_ts is Slack's ts of the post, known once the outbox has delivered it;
-- reactions and thread replies find their request by (channel_id, post_ts).
-- nudge_due_at / escalate_due_at are worked out when the question is asked (working hours of
-- the organisation); nudged_at / escalated_at record that each went out, set in the same
-- transaction as the outbox row, only while still NULL: that is what makes each fire once.
CREATE TABLE help_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    asker_id         TEXT   NOT NULL,
    asker_locale     TEXT   NOT NULL,
    anonymous        BIGINT NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
    topic            TEXT,
    question         TEXT   NOT NULL,
    channel_id       TEXT   NOT NULL,
    team_domain      TEXT,
    post_ts          TEXT,
    state            TEXT   NOT NULL DEFAULT 'open'
                     CHECK (state IN ('open', 'claimed', 'answered', 'resolved')),
    asker_notified   BIGINT NOT NULL DEFAULT 0 CHECK (asker_notified IN (0, 1)),
    asked_at         BIGINT NOT NULL,
    claimed_at       BIGINT,
    answered_at      BIGINT,
    resolved_at      BIGINT,
    nudge_due_at     BIGINT NOT NULL,
    escalate_due_at  BIGINT NOT NULL,
    nudged_at        BIGINT,
    escalated_at     BIGINT,
    -- Bumped with every change that re-renders the post; each queued chat.update carries the
    -- version it shows, and the outbox worker drops one that a newer version has superseded
    -- (a retried update must not put an old state back).
    post_version     BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX help_requests_by_post ON help_requests (channel_id, post_ts)
    WHERE post_ts IS NOT NULL;
CREATE INDEX help_requests_by_asker ON help_requests (asker_id) WHERE state <> 'resolved';
CREATE INDEX help_requests_by_time ON help_requests (asked_at);
-- What a nudge pass reads: unanswered requests not yet escalated. Once escalated (or marked
-- so when there is nobody to escalate to) a request leaves this index, so requests that were
-- abandoned unanswered are not read again on every pass.
CREATE INDEX help_requests_waiting ON help_requests (nudge_due_at)
    WHERE state IN ('open', 'claimed') AND escalated_at IS NULL;

-- Who helped: each person once per role (claimed with the button or 👀, replied in the thread).
CREATE TABLE help_request_helpers (
    request_id BIGINT NOT NULL REFERENCES help_requests (id),
    user_id    TEXT   NOT NULL,
    role       TEXT   NOT NULL CHECK (role IN ('claimed', 'replied')),
    helped_at  BIGINT NOT NULL,
    PRIMARY KEY (request_id, user_id, role)
);
