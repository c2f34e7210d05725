//! The `otagai` binary: wiring only. settings -> telemetry -> Application -> run.

use clap::{Parser, Subcommand};
use otagai::config::{ConfigError, Deployment, Settings};
use otagai::domain::Locale;
use std::path::PathBuf;
use std::process::ExitCode;

/// otagai (お互い): thanks with peer-bonus points and 1on1s that don't lapse, for Slack.
/// Self-hosted, one binary.
///
/// Settings: config/default.toml (built in) < --config FILE < OTAGAI__SECTION__KEY variables.
/// Secrets and deployment come from the environment: SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET,
/// DATABASE_URL (default sqlite://data/otagai.db; postgres://… for PostgreSQL), SLACK_API_URL
/// (default https://slack.com/api/), OTAGAI_LISTEN (default 127.0.0.1:3000). RUST_LOG sets the
/// log level.
#[derive(Parser)]
#[command(name = "otagai", version, about, long_about)]
struct Cli {
    /// A TOML file overlaying the built-in defaults.
    #[arg(long, global = true, env = "OTAGAI_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Run the bot: apply migrations, serve Slack's requests over HTTP, deliver messages.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Try otagai in a terminal without Slack, on a local SQLite file.
    Try {
        /// The SQLite file to keep the console's data in.
        #[arg(long, default_value = "data/try.db")]
        db: PathBuf,
    },
    /// Print the Slack app manifest (YAML) for the current settings: the commands under their
    /// configured names, the scopes, events, shortcuts and the App Home. Socket Mode unless
    /// --url is given.
    Manifest {
        /// Slack reaches otagai over a WebSocket otagai opens (SLACK_APP_TOKEN): no request URLs.
        #[arg(long, conflicts_with = "url")]
        socket_mode: bool,
        /// Slack sends HTTPS requests to BASE/slack/commands, /slack/events and
        /// /slack/interactions (BASE like https://otagai.example.com).
        #[arg(long, value_name = "BASE")]
        url: Option<String>,
    },
    /// Export data.
    Export {
        #[command(subcommand)]
        what: Export,
    },
    /// Scheduled jobs (1on1 reminders). `serve` runs them itself; this is for an external cron.
    Jobs {
        #[command(subcommand)]
        what: Jobs,
    },
    /// The org chart of 1on1 pairs as CSV: manager,report,cadence (Slack user IDs).
    Org {
        #[command(subcommand)]
        what: Org,
    },
    /// Forget someone who has left: the notes, topics and action items of their 1on1 pairs,
    /// the links of their pulse answers, the texts of their questions, their cached profile and
    /// the messages waiting for them; their active pairs end. Ledger amounts and the thanks
    /// stay (payroll). One transaction, audited. Asks for confirmation unless --yes.
    Forget {
        /// Their Slack user ID (U… or W…).
        #[arg(value_parser = parse_user_id)]
        user: otagai::domain::UserId,
        /// Show how much of each kind would go; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
}

fn parse_user_id(s: &str) -> Result<otagai::domain::UserId, String> {
    otagai::domain::UserId::parse(s)
}

#[derive(Subcommand)]
enum Jobs {
    /// Run every due job once and exit. What it enqueues, a running `serve` delivers.
    Run {
        /// Run as of this instant (RFC 3339, e.g. 2026-12-01T09:30:00+09:00) instead of now.
        #[arg(long)]
        now: Option<chrono::DateTime<chrono::FixedOffset>>,
        /// Print what would be sent; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum Org {
    /// Load pairs from a CSV file. All or nothing: a bad row is reported with its line number
    /// and nothing of the file is applied. Importing the same file again changes nothing.
    Import {
        /// The CSV file (header manager,report,cadence; an empty cadence means the default).
        file: PathBuf,
    },
    /// Write the active pairs as CSV.
    Export {
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum Export {
    /// The points ledger as CSV (for payroll), oldest first.
    Ledger {
        /// First day to include (YYYY-MM-DD, in the organisation's time zone).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day to include (YYYY-MM-DD, in the organisation's time zone).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref(), std::env::vars()) {
        Ok(s) => s,
        Err(e) => return config_error(&e),
    };
    let quiet = matches!(
        cli.command,
        Cmd::Try { .. } | Cmd::Export { .. } | Cmd::Manifest { .. }
    );
    otagai::telemetry::init(if quiet { "warn" } else { "info" });
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("otagai: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(run(cli.command, settings));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<ConfigError>() {
            Some(c) => config_error(c),
            None => {
                eprintln!("otagai: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

fn config_error(e: &ConfigError) -> ExitCode {
    eprintln!("otagai: {e}");
    ExitCode::from(2)
}

/// The deployment variables, read only by the commands that use them (`try` needs none).
fn deployment() -> Result<Deployment, ConfigError> {
    Deployment::from_env(|k| std::env::var(k).ok())
}

async fn run(cmd: Cmd, settings: Settings) -> anyhow::Result<()> {
    match cmd {
        Cmd::Serve => {
            let deployment = deployment()?;
            deployment.require_slack_secrets()?;
            otagai::server::raise_open_files_limit();
            let app = otagai::startup::Application::build(settings, &deployment).await?;
            app.run_until_stopped(otagai::startup::shutdown_on_signals())
                .await
        }
        Cmd::Manifest {
            socket_mode: _,
            url,
        } => {
            let transport = match url {
                Some(base) => otagai::slack::Transport::http(&base)
                    .map_err(|why| ConfigError::new("--url", why))?,
                None => otagai::slack::Transport::SocketMode,
            };
            print!("{}", otagai::slack::manifest(&settings, &transport));
            Ok(())
        }
        Cmd::Migrate => {
            let deployment = deployment()?;
            let store = otagai::storage::Store::connect(&deployment.database_url, 1).await?;
            store.migrate().await?;
            eprintln!("otagai: migrations applied");
            Ok(())
        }
        Cmd::Try { db } => {
            let mut settings = settings;
            // The console speaks the terminal's language unless the organisation's is set.
            if !settings.org.locale_explicit
                && let Some(l) = ["LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .find_map(|k| std::env::var(k).ok().and_then(|v| Locale::from_posix(&v)))
            {
                settings.org.locale = l;
            }
            let url = format!("sqlite://{}", db.display());
            let stdin = std::io::stdin();
            otagai::console::run(settings, &url, stdin.lock(), std::io::stdout()).await
        }
        Cmd::Export {
            what: Export::Ledger { from, to, output },
        } => {
            let deployment = deployment()?;
            let store = otagai::storage::Store::connect(&deployment.database_url, 1).await?;
            store.migrate().await?;
            let n = match output {
                Some(path) => {
                    let file = otagai::files::create_private_file(&path)?;
                    otagai::app::export_ledger_csv(&store, &settings, from, to, file).await?
                }
                None => {
                    otagai::app::export_ledger_csv(
                        &store,
                        &settings,
                        from,
                        to,
                        std::io::stdout().lock(),
                    )
                    .await?
                }
            };
            eprintln!("otagai: {n} ledger rows exported");
            Ok(())
        }
        Cmd::Jobs {
            what: Jobs::Run { now, dry_run },
        } => {
            let deployment = deployment()?;
            let app = otagai::startup::offline_app(settings, &deployment).await?;
            let now = now.map_or_else(chrono::Utc::now, |t| t.with_timezone(&chrono::Utc));
            let report = app.run_due_jobs(now, dry_run).await?;
            if dry_run {
                for p in &report.planned {
                    let to = if otagai::domain::UserId::parse(&p.to).is_ok() {
                        format!("DM to {}", p.to)
                    } else {
                        p.to.clone()
                    };
                    println!("--- {to}\n{}", p.text);
                }
                eprintln!(
                    "otagai: dry run as of {now}: {} reminders and nudges would be sent ({} pairs and requests due); nothing changed",
                    report.planned.len(),
                    report.considered
                );
            } else {
                eprintln!(
                    "otagai: jobs ran as of {now}: {} reminders and nudges queued ({} pairs and requests due)",
                    report.queued, report.considered
                );
            }
            Ok(())
        }
        Cmd::Org {
            what: Org::Import { file },
        } => {
            let deployment = deployment()?;
            let input = std::fs::File::open(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            let store = otagai::storage::Store::connect(&deployment.database_url, 1).await?;
            store.migrate().await?;
            let s =
                otagai::app::import_org_chart(&store, &settings, input, chrono::Utc::now()).await?;
            eprintln!(
                "otagai: org chart imported: {} added, {} moved to a new manager, {} cadences changed, {} unchanged",
                s.added, s.moved, s.cadence_changed, s.unchanged
            );
            Ok(())
        }
        Cmd::Forget { user, dry_run, yes } => {
            let deployment = deployment()?;
            let store = otagai::storage::Store::connect(&deployment.database_url, 1).await?;
            store.migrate().await?;
            let now = chrono::Utc::now();
            let counts = otagai::app::forget_user(&store, &user, now, true).await?;
            let verb = if dry_run { "would go" } else { "to forget" };
            println!("{user}: {verb}");
            for (what, n) in counts.lines() {
                println!("  {what}: {n}");
            }
            if dry_run {
                eprintln!("otagai: dry run; nothing changed");
                return Ok(());
            }
            if !yes {
                eprint!(
                    "Forget {user}? This cannot be undone; ledger amounts and thanks stay. \
                     Type yes to continue: "
                );
                let mut answer = String::new();
                // No terminal (stdin closed or empty, as under cron) reads nothing: refused.
                let read = std::io::stdin().read_line(&mut answer).unwrap_or(0);
                if read == 0 || !otagai::app::confirms(&answer) {
                    anyhow::bail!("not confirmed (answer yes, or pass --yes); nothing changed");
                }
            }
            let done = otagai::app::forget_user(&store, &user, now, false).await?;
            eprintln!(
                "otagai: forgot {user}: {} rows removed, blanked or ended; recorded in the audit log",
                done.total()
            );
            Ok(())
        }
        Cmd::Org {
            what: Org::Export { output },
        } => {
            let deployment = deployment()?;
            let store = otagai::storage::Store::connect(&deployment.database_url, 1).await?;
            store.migrate().await?;
            let n = match output {
                Some(path) => {
                    let file = otagai::files::create_private_file(&path)?;
                    otagai::app::export_org_chart(&store, file).await?
                }
                None => otagai::app::export_org_chart(&store, std::io::stdout().lock()).await?,
            };
            eprintln!("otagai: {n} pairs exported");
            Ok(())
        }
    }
}
