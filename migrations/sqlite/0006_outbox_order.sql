-- Many sends in flight, order kept per destination.
--
-- dest_key names where a message goes, in the outbox's own terms (the worker computes it from
-- the payload when the message is written): `C:<channel>` for a channel post and for a
-- `chat.update` of a message in that channel (so a redraw never overtakes the post it
-- redraws), `T:<channel>/<thread_ts>` for a thread reply, `D:<user>` for a DM, `R:<url>` for a
-- response_url. The worker claims only the oldest pending message of each key, so a message
-- never overtakes an earlier unsent one to the same place, even one waiting in backoff or held
-- by another worker's lease. Rows without a key (none are written any more) are not ordered.
ALTER TABLE outbox ADD COLUMN dest_key TEXT;

-- Messages pending at upgrade get their key from the payload, so they keep their order too.
UPDATE outbox SET dest_key = CASE json_extract(payload, '$.to.kind')
        WHEN 'channel' THEN 'C:' || json_extract(payload, '$.to.channel')
        WHEN 'update' THEN 'C:' || json_extract(payload, '$.to.channel')
        WHEN 'thread' THEN 'T:' || json_extract(payload, '$.to.channel') || '/' || json_extract(payload, '$.to.thread_ts')
        WHEN 'direct' THEN 'D:' || json_extract(payload, '$.to.user')
        WHEN 'response_url' THEN 'R:' || json_extract(payload, '$.to.url')
    END
    WHERE status = 'pending';

-- "Is there an earlier pending message to the same place?" is asked for every candidate of
-- every claim: answered from this index alone, and it holds only pending rows, so it stays
-- small however long the history of sent messages grows.
CREATE INDEX outbox_pending_by_key ON outbox (dest_key, id) WHERE status = 'pending';

-- An attempt whose outcome is unknown. A claim adds one; whatever is recorded afterwards (sent,
-- retry, failed, given back) sets it to 0. So a claim that returns 2 or more took over a
-- message whose previous worker died, or whose lease ran out, with no verdict: Slack may have
-- it already. The worker then looks for it (by the outbox id in the message's metadata) in the
-- conversation's recent history before sending it again.
ALTER TABLE outbox ADD COLUMN in_doubt BIGINT NOT NULL DEFAULT 0;
