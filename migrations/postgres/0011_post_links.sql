-- The link to a question's post, as Slack gives it (chat.getPermalink) when the post is made.
-- A link built from the workspace's domain is wrong on Enterprise Grid, on GovSlack and when
-- the domain is unknown; every later link to the question (the asker's, /ask mine, the Home
-- tab, an escalation) reads this one. NULL for posts made before, or when Slack did not say:
-- then the link is built from the domain as before.
ALTER TABLE help_requests ADD COLUMN post_link TEXT;
