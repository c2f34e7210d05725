-- A self-service `/1on1 add @report` is an invitation until the report accepts it: without it,
-- anyone could claim anyone as their report and lock the real manager out. Admins and
-- `otagai org import` still add pairs directly. A pending invitation is not a pair: the
-- scheduler, `/1on1 report` and the pair's commands never see it, so it gets no reminder.
--
-- An invitation is answered once: accepted (the pair is created in the same transaction),
-- declined, or found expired (expires_at passed; `one_on_one.invitation_expiry_days`). It is
-- kept after that as history. Invitations of different managers to one report do not block
-- each other, so a pending invitation never locks anyone out either.
CREATE TABLE pair_invitations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    manager_id  TEXT   NOT NULL,
    report_id   TEXT   NOT NULL,
    cadence     TEXT   NOT NULL,
    invited_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    answer      TEXT   CHECK (answer IN ('accepted', 'declined', 'expired')),
    answered_at BIGINT,
    CHECK (manager_id <> report_id),
    CHECK ((answer IS NULL) = (answered_at IS NULL))
);
-- One open invitation per manager and report: a second add while it is open sends nothing.
CREATE UNIQUE INDEX pair_invitations_open ON pair_invitations (manager_id, report_id)
    WHERE answer IS NULL;
