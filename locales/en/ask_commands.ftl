## /ask: help lines and the replies to text that could not be understood.
## Same keys as ja/ask_commands.ftl (checked by a test).

## Help
usage-ask-question = ask a question; it goes to whoever answers general questions
usage-ask-topic = ask about a topic so it reaches the right people (`{ $cmd-ask } topics` lists them)
usage-ask-anon = ask without your name being shown to the people who answer
usage-ask-mine = your questions that are still open
usage-ask-topics = the topics you can ask about, and who each one goes to
usage-ask-stats = (admins) numbers on questions asked and answered

## Text that could not be understood
err-ask-no-question = Type your question after { $cmd-ask }, e.g. `{ $cmd-ask } #payroll How do I change my bank account?`
err-ask-bad-topic = `{ $token }` is not a topic name. Topic names are lowercase letters, digits, - and _ (up to 40), like `#payroll`; see `{ $cmd-ask } topics` for the list.
