//! The `otagai` binary as an operator meets it: exit codes, one-line configuration errors that
//! never show a secret, `--help`, `try` on piped input, `migrate` and `export ledger`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A folder that exists for one test.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("otagai-cli-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `otagai` in `dir`, with nothing from the caller's environment that it reads.
fn otagai(dir: &TempDir) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_otagai"));
    cmd.current_dir(dir.path());
    for (key, _) in std::env::vars() {
        if key.starts_with("OTAGAI")
            || key.starts_with("SLACK_")
            || key == "DATABASE_URL"
            || key == "RUST_LOG"
        {
            cmd.env_remove(key);
        }
    }
    cmd
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` with `input` on stdin. A process still running after a minute (a `serve` that
/// should have refused to start) is killed and fails the test rather than hanging the suite.
fn run(mut cmd: Command, input: &str) -> Run {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start otagai");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let read = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            r.read_to_string(&mut s).unwrap();
            s
        })
    };
    let out = read(Box::new(child.stdout.take().unwrap()));
    let err = read(Box::new(child.stderr.take().unwrap()));
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("otagai did not exit: {:?}", err.join().unwrap());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn sqlite_url(dir: &TempDir, file: &str) -> String {
    format!("sqlite://{}", dir.path().join(file).display())
}

#[test]
fn serve_without_a_bot_token_exits_2_with_one_line_naming_slack_bot_token() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("serve")
        .env("SLACK_SIGNING_SECRET", "supersecretvalue")
        .env("DATABASE_URL", sqlite_url(&dir, "serve.db"))
        .env("OTAGAI_LISTEN", "127.0.0.1:0");
    let r = run(cmd, "");
    assert_eq!(r.code, Some(2), "stderr: {}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", r.stderr);
    assert!(lines[0].contains("SLACK_BOT_TOKEN"), "{}", lines[0]);
    assert!(!r.stderr.contains("supersecretvalue"));
    assert!(
        !dir.path().join("serve.db").exists(),
        "nothing is touched before the configuration is valid"
    );
}

#[test]
fn a_bad_setting_exits_2_naming_the_key_and_shows_no_secret() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("serve")
        .env("OTAGAI__ORG__TIMEZONE", "Mars/Olympus")
        .env("SLACK_BOT_TOKEN", "xoxb-supersecrettoken")
        .env("SLACK_SIGNING_SECRET", "supersecretvalue")
        .env("DATABASE_URL", sqlite_url(&dir, "serve.db"))
        .env("OTAGAI_LISTEN", "127.0.0.1:0");
    let r = run(cmd, "");
    assert_eq!(r.code, Some(2), "stderr: {}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one line: {:?}", r.stderr);
    assert!(lines[0].contains("org.timezone"), "{}", lines[0]);
    assert!(lines[0].contains("Mars/Olympus"), "{}", lines[0]);
    for output in [&r.stdout, &r.stderr] {
        assert!(!output.contains("supersecretvalue"), "{output}");
        assert!(!output.contains("supersecrettoken"), "{output}");
    }
}

#[test]
fn a_malformed_bot_token_is_refused_without_being_shown() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("serve")
        .env("SLACK_BOT_TOKEN", "supersecretvalue")
        .env("SLACK_SIGNING_SECRET", "anothersecretvalue")
        .env("DATABASE_URL", sqlite_url(&dir, "serve.db"))
        .env("OTAGAI_LISTEN", "127.0.0.1:0");
    let r = run(cmd, "");
    assert_eq!(r.code, Some(2), "stderr: {}", r.stderr);
    assert!(r.stderr.contains("SLACK_BOT_TOKEN"), "{}", r.stderr);
    assert!(
        r.stderr.contains("xoxb-"),
        "says what a bot token looks like"
    );
    for output in [&r.stdout, &r.stderr] {
        assert!(!output.contains("supersecretvalue"), "{output}");
        assert!(!output.contains("anothersecretvalue"), "{output}");
    }
}

#[test]
fn help_lists_every_command() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("--help");
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let commands: Vec<&str> = r
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    for expected in ["serve", "migrate", "try", "export"] {
        assert!(commands.contains(&expected), "{expected} in {commands:?}");
    }
    for variable in ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"] {
        assert!(r.stdout.contains(variable), "--help names {variable}");
    }
}

#[test]
fn try_shows_the_reply_the_public_post_and_the_dm_then_exports_the_ledger() {
    let dir = TempDir::new();
    let db = dir.path().join("try.db");
    let mut cmd = otagai(&dir);
    cmd.arg("try").arg("--db").arg(&db);
    let r = run(
        cmd,
        "/thanks @bob +10 reviewed my PR within the hour\n/bonus\n:quit\n",
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let out = &r.stdout;
    let at = |what: &str| {
        out.find(what)
            .unwrap_or_else(|| panic!("`{what}` missing from:\n{out}"))
    };
    // The ephemeral reply, then the post in #general, then the DM, then /bonus's answer.
    let reply = at("[only you]");
    let post = at("[#general]");
    let dm = at("[DM to @bob]");
    assert!(reply < post && post < dm, "{out}");
    let post_text = &out[post..dm];
    assert!(post_text.contains("@alice"), "{post_text}");
    assert!(post_text.contains("@bob"), "{post_text}");
    assert!(post_text.contains("> reviewed my PR within the hour"));
    assert!(post_text.contains("10"));
    let rest = &out[dm..];
    assert!(rest.contains("@alice"), "the DM says who thanked: {rest}");
    assert!(rest.contains("reviewed my PR within the hour"));
    let bonus = rest
        .find("[only you]")
        .map(|i| &rest[i..])
        .unwrap_or_else(|| panic!("no /bonus reply:\n{out}"));
    assert!(
        bonus.contains("390") && bonus.contains("400"),
        "390 of 400 left: {bonus}"
    );
    assert!(!out.contains("<@U"), "mentions are shown as @names: {out}");
    assert!(db.exists());

    // The same file holds the ledger: alice gave 10, bob received 10.
    let mut export = otagai(&dir);
    export
        .args(["export", "ledger"])
        .env("DATABASE_URL", format!("sqlite://{}", db.display()));
    let e = run(export, "");
    assert_eq!(e.code, Some(0), "stderr: {}", e.stderr);
    let rows: Vec<Vec<&str>> = e.stdout.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3, "{}", e.stdout);
    let kinds: Vec<(&str, &str, &str, &str)> =
        rows[1..].iter().map(|r| (r[3], r[4], r[5], r[6])).collect();
    assert!(
        kinds.contains(&("UALICE", "give", "-10", "UBOB")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("UBOB", "receive", "10", "UALICE")),
        "{kinds:?}"
    );
}

#[test]
fn try_in_english_speaks_english() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("try")
        .arg("--db")
        .arg(dir.path().join("try.db"))
        .env("OTAGAI__ORG__LOCALE", "en");
    let r = run(
        cmd,
        "/thanks @bob +10 reviewed my PR within the hour\n:quit\n",
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(
        r.stdout.contains("Your thanks to @bob is on its way"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("@alice thanked @bob"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("@alice thanked you: reviewed my PR within the hour"),
        "{}",
        r.stdout
    );
}

#[test]
fn migrate_creates_the_sqlite_file_and_can_run_twice() {
    let dir = TempDir::new();
    let file = dir.path().join("data").join("x.db");
    for _ in 0..2 {
        let mut cmd = otagai(&dir);
        cmd.arg("migrate")
            .env("DATABASE_URL", format!("sqlite://{}", file.display()));
        let r = run(cmd, "");
        assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
        assert!(file.exists(), "migrate creates {}", file.display());
    }
}

#[test]
fn export_ledger_of_an_empty_database_prints_the_csv_header() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.args(["export", "ledger"])
        .env("DATABASE_URL", sqlite_url(&dir, "x.db"));
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert_eq!(
        r.stdout.lines().collect::<Vec<_>>(),
        vec!["id,created_at,period,user_id,kind,points,counterparty,thanks_id"]
    );
}
