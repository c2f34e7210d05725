//! The `otagai` binary: wiring only. settings -> telemetry -> Application -> run.

use clap::{Parser, Subcommand};
use otagai::config::{ConfigError, Deployment, Settings};
use std::path::PathBuf;
use std::process::ExitCode;

/// otagai (お互い): thanks with peer-bonus points, for Slack. Self-hosted, one binary.
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
    /// Export data.
    Export {
        #[command(subcommand)]
        what: Export,
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
    let quiet = matches!(cli.command, Cmd::Try { .. } | Cmd::Export { .. });
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
            let app = otagai::startup::Application::build(settings, &deployment).await?;
            app.run_until_stopped(otagai::startup::shutdown_on_signals())
                .await
        }
        Cmd::Migrate => {
            let deployment = deployment()?;
            let store = otagai::storage::Store::connect(&deployment.database_url, 1).await?;
            store.migrate().await?;
            eprintln!("otagai: migrations applied");
            Ok(())
        }
        Cmd::Try { db } => {
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
                    let file = std::fs::File::create(&path)?;
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
    }
}
