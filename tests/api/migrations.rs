//! Data migrations that change what is stored, run against rows as older versions wrote them.

use crate::both_backends;
use crate::helpers::*;

both_backends!(text_stored_with_slacks_escapes_is_decoded_to_what_was_typed);

/// `0010_text_as_typed`: Slack's escapes in old rows become what the person typed, once.
async fn text_stored_with_slacks_escapes_is_decoded_to_what_was_typed(backend: Backend) {
    let app = spawn_app(backend).await;
    let pool = app.store.pool();
    sqlx::query(
        "INSERT INTO pairs (manager_id, report_id, cadence, added_on, added_at, added_by, due_on) \
         VALUES ('UMGR', 'UREP', 'weekly', '2026-01-05', 0, 'UMGR', '2026-01-15')",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO action_items (pair_id, body, created_by, created_at) \
         SELECT id, 'fix a &lt;b&gt; &amp; c, typed &amp;lt; stays', 'UMGR', 0 FROM pairs",
    )
    .execute(pool)
    .await
    .unwrap();
    // One portable statement list, the same in both folders.
    let migration = include_str!("../../migrations/sqlite/0010_text_as_typed.sql");
    assert_eq!(
        migration,
        include_str!("../../migrations/postgres/0010_text_as_typed.sql")
    );
    let statements: Vec<String> = migration
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n")
        // Statements end a line; the escapes inside them hold semicolons too.
        .split(";\n")
        .map(|s| s.trim().trim_end_matches(';'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    assert_eq!(statements.len(), 5);
    for sql in statements {
        sqlx::query(&sql).execute(pool).await.unwrap();
    }
    let body: String = sqlx::query_scalar("SELECT body FROM action_items")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(body, "fix a <b> & c, typed &lt; stays");
}
