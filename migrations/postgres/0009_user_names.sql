-- The name people know each other by (Slack's display name, else real name, else user name),
-- cached with the rest of users.info. Only plain-text places use it, where a <@U…> mention
-- cannot render: the text a form is prefilled with. NULL until the person is looked up again.
ALTER TABLE slack_users ADD COLUMN name TEXT;
