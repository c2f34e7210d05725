-- Home tabs to publish again (issue 12). A use-case that changes what someone's Home tab shows
-- asks for a refresh in its own transaction, so nothing acknowledged is lost and every entry
-- point (commands, buttons, forms, events, the scheduler, `jobs run`) gets it the same way.
-- One row per person keeps one pending refresh whatever the number of changes (coalescing);
-- the tab is built when it is published, from what the database holds then.
CREATE TABLE home_refreshes (
    user_id      TEXT   PRIMARY KEY,
    -- Publish at or after this time (Unix ms, wall clock); NULL: the tab shows the latest.
    -- A request within the throttle interval of the last publish is due at its end, so one
    -- busy person costs one publish per interval, across every instance.
    due_at       BIGINT,
    -- Bumped by every request. A publish clears due_at only if the version is still the one
    -- it claimed: a change made while its tab was being built gets a publish of its own.
    version      BIGINT NOT NULL DEFAULT 0,
    -- The last successful publish (the throttle's reference).
    published_at BIGINT,
    -- Claimed by one worker at a time, as the outbox's rows are.
    lease_owner  TEXT,
    lease_until  BIGINT,
    attempts     BIGINT NOT NULL DEFAULT 0,
    last_error   TEXT
);

-- What is due: a partial index, so the refreshes already shown cost nothing to skip.
CREATE INDEX home_refreshes_due ON home_refreshes (due_at) WHERE due_at IS NOT NULL;
