//! `otagai org import` and `otagai org export`: the whole org chart as CSV
//! (`manager,report,cadence`, Slack user IDs), for admins who keep it elsewhere.
//!
//! An import is all or nothing: every row is checked first, and one bad row (reported with its
//! line number) means nothing of the file is applied. Importing the same file twice changes
//! nothing. A report who moves to a new manager keeps their history with the old pair; the new
//! pair starts fresh. Reports not in the file are left as they are.

use crate::config::Settings;
use crate::domain::{Cadence, UserId};
use crate::storage::pairs::{self, NewPair};
use crate::storage::{self, Store, admin};
use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::json;
use std::collections::HashMap;

/// A row of the file that cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// 1-based line in the file.
    pub line: u64,
    pub problem: String,
}

/// Why an import applied nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{}", describe(.0))]
    BadRows(Vec<BadRow>),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

fn describe(rows: &[BadRow]) -> String {
    let mut out = format!(
        "nothing was imported: {} bad row{}",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    );
    for r in rows {
        out.push_str(&format!("\n  line {}: {}", r.line, r.problem));
    }
    out
}

/// What an import changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub moved: usize,
    pub cadence_changed: usize,
    pub unchanged: usize,
}

/// One checked row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgRow {
    /// 1-based line in the file.
    pub line: u64,
    pub manager: UserId,
    pub report: UserId,
    pub cadence: Cadence,
}

/// Reads and checks the whole file. A header row (`manager,report,cadence`) is optional; an
/// empty cadence means `default`.
pub fn parse_org_chart(
    input: impl std::io::Read,
    default: Cadence,
) -> Result<Vec<OrgRow>, Vec<BadRow>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(input);
    let mut rows = Vec::new();
    let mut bad = Vec::new();
    let mut seen: HashMap<UserId, u64> = HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(i as u64 + 1, |p| p.line());
                bad.push(BadRow {
                    line,
                    problem: format!("unreadable CSV ({e})"),
                });
                continue;
            }
        };
        let line = record.position().map_or(i as u64 + 1, |p| p.line());
        let field = |n: usize| record.get(n).unwrap_or_default();
        if i == 0 && field(0).eq_ignore_ascii_case("manager") {
            continue;
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        let mut problem = |p: String| bad.push(BadRow { line, problem: p });
        if record.len() < 2 || record.len() > 3 {
            problem(format!(
                "expected manager,report[,cadence], found {} fields",
                record.len()
            ));
            continue;
        }
        let manager = UserId::parse(field(0)).map_err(|e| format!("manager: {e}"));
        let report = UserId::parse(field(1)).map_err(|e| format!("report: {e}"));
        let cadence = match field(2) {
            "" => Ok(default),
            c => Cadence::parse(c).map_err(|e| e.to_string()),
        };
        match (manager, report, cadence) {
            (Ok(manager), Ok(report), Ok(cadence)) => {
                if manager == report {
                    problem(format!("{manager} cannot be their own manager"));
                } else if let Some(first) = seen.insert(report.clone(), line) {
                    problem(format!(
                        "{report} already has a manager on line {first}; a report has one"
                    ));
                } else {
                    rows.push(OrgRow {
                        line,
                        manager,
                        report,
                        cadence,
                    });
                }
            }
            (m, r, c) => {
                for e in [m.err(), r.err(), c.err()].into_iter().flatten() {
                    problem(e);
                }
            }
        }
    }
    // Two people cannot manage each other.
    let manager_of: HashMap<&UserId, &UserId> =
        rows.iter().map(|r| (&r.report, &r.manager)).collect();
    for r in &rows {
        if manager_of.get(&r.manager) == Some(&&r.report) {
            bad.push(BadRow {
                line: r.line,
                problem: format!("{} and {} cannot manage each other", r.manager, r.report),
            });
        }
    }
    if bad.is_empty() {
        Ok(rows)
    } else {
        bad.sort_by_key(|b| b.line);
        Err(bad)
    }
}

/// Checks and applies an org chart in one transaction.
pub async fn import_org_chart(
    store: &Store,
    settings: &Settings,
    input: impl std::io::Read,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ImportError> {
    let rows = parse_org_chart(input, settings.one_on_one.default_cadence)
        .map_err(ImportError::BadRows)?;
    let today = now.with_timezone(&settings.org.timezone).date_naive();
    let now_ms = storage::millis(now);
    let cli = "cli";
    let mut summary = ImportSummary::default();
    let mut tx = store.begin().await?;
    // Nor can a row make someone the report of their own current manager, unless the file
    // also gives that manager a new manager.
    let mut bad = Vec::new();
    for row in &rows {
        let reassigned = rows.iter().any(|r| r.report == row.manager);
        if reassigned {
            continue;
        }
        if let Some(theirs) = pairs::active_pair_of_report(&mut tx, &row.manager)
            .await
            .context("reading pairs")?
            && theirs.manager == row.report
        {
            bad.push(BadRow {
                line: row.line,
                problem: format!(
                    "{} is {}'s manager already; two people cannot manage each other",
                    row.report, row.manager
                ),
            });
        }
    }
    if !bad.is_empty() {
        tx.rollback().await.context("rolling back")?;
        return Err(ImportError::BadRows(bad));
    }
    for row in &rows {
        let existing = super::one_on_one::locked_pair_of_report(&mut tx, &row.report)
            .await
            .context("reading pairs")?;
        match existing {
            Some(mut pair) if pair.manager == row.manager => {
                if pair.cadence == row.cadence {
                    summary.unchanged += 1;
                    continue;
                }
                let was = pair.cadence;
                pair.cadence = row.cadence;
                pair.due_on = pair.facts().due_on();
                pairs::update_schedule(&mut tx, &pair)
                    .await
                    .context("changing a cadence")?;
                admin::audit_as(
                    &mut tx,
                    cli,
                    "pair.cadence",
                    Some(&row.report),
                    &json!({ "from": was.to_string(), "to": row.cadence.to_string() }),
                    now_ms,
                )
                .await
                .context("auditing")?;
                summary.cadence_changed += 1;
            }
            existing => {
                if let Some(old) = &existing {
                    pairs::end_pair(&mut tx, old.id, now_ms)
                        .await
                        .context("ending the old pair")?;
                }
                pairs::insert_pair(
                    &mut tx,
                    &NewPair {
                        manager: &row.manager,
                        report: &row.report,
                        cadence: row.cadence,
                        added_on: today,
                        due_on: row.cadence.next_due(today),
                        added_by: &row.manager,
                        now_ms,
                    },
                )
                .await
                .context("adding a pair")?;
                let action = if existing.is_some() {
                    summary.moved += 1;
                    "pair.move"
                } else {
                    summary.added += 1;
                    "pair.add"
                };
                admin::audit_as(
                    &mut tx,
                    cli,
                    action,
                    Some(&row.report),
                    &json!({
                        "manager": row.manager.as_str(),
                        "cadence": row.cadence.to_string(),
                        "previous_manager": existing.map(|p| p.manager.as_str().to_owned()),
                    }),
                    now_ms,
                )
                .await
                .context("auditing")?;
            }
        }
    }
    tx.commit().await.context("committing the import")?;
    Ok(summary)
}

/// Writes every active pair as `manager,report,cadence` with a header. Never notes, never
/// anything of what the pairs wrote.
pub async fn export_org_chart(store: &Store, out: impl std::io::Write) -> anyhow::Result<usize> {
    let mut conn = store.pool().acquire().await?;
    let all = pairs::active_pairs(&mut conn).await?;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["manager", "report", "cadence"])?;
    for p in &all {
        w.write_record([
            p.manager.as_str(),
            p.report.as_str(),
            &p.cadence.to_string(),
        ])?;
    }
    w.flush().context("writing CSV")?;
    Ok(all.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<OrgRow>, Vec<BadRow>> {
        parse_org_chart(text.as_bytes(), Cadence::Biweekly)
    }

    #[test]
    fn a_good_file_with_a_header_comments_and_default_cadences_parses() {
        let rows = parse(
            "manager,report,cadence\n# the sales team\nUM1,UR1,weekly\nUM1, UR2 ,\nUM2,UR3\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].cadence, Cadence::Weekly);
        assert_eq!(rows[1].cadence, Cadence::Biweekly);
        assert_eq!(rows[2].report.as_str(), "UR3");
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line_number() {
        let err = parse(
            "manager,report,cadence\nUM1,UR1,weekly\nnot-an-id,UR2,weekly\nUM1,UR3,daily\nUM2,UR1,weekly\nUM3,UM3\nUM1\n",
        )
        .unwrap_err();
        let lines: Vec<u64> = err.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7], "{err:?}");
        assert!(err[0].problem.contains("manager"), "{:?}", err[0]);
        assert!(err[2].problem.contains("line 2"), "{:?}", err[2]);
    }

    #[test]
    fn two_people_managing_each_other_is_refused() {
        let err = parse("UA1,UB1\nUB1,UA1\n").unwrap_err();
        assert!(
            err.iter().any(|b| b.problem.contains("each other")),
            "{err:?}"
        );
    }
}
