-- Text is now stored as the person typed it: Slack escapes `&`, `<` and `>` in slash-command
-- text, and otagai turns that back into what was typed when the command arrives
-- (`domain::text::from_slack`), then escapes it again, once, on its way back to Slack. Rows
-- written before still hold Slack's escapes and would show `&amp;amp;`; decode them the same
-- way. `&lt;` and `&gt;` first, then `&amp;`, so a typed "&lt;" (stored as `&amp;lt;`) comes
-- back as "&lt;". Text from the thanks modal was already stored as typed; an escape typed into
-- it literally would be decoded too, which is harmless.
UPDATE thanks SET message = REPLACE(REPLACE(REPLACE(message, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
    WHERE message LIKE '%&%';
UPDATE action_items SET body = REPLACE(REPLACE(REPLACE(body, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
    WHERE body LIKE '%&%';
UPDATE topics SET body = REPLACE(REPLACE(REPLACE(body, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
    WHERE body LIKE '%&%';
UPDATE meeting_notes SET body = REPLACE(REPLACE(REPLACE(body, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
    WHERE body LIKE '%&%';
UPDATE help_requests SET question = REPLACE(REPLACE(REPLACE(question, '&lt;', '<'), '&gt;', '>'), '&amp;', '&')
    WHERE question LIKE '%&%';
