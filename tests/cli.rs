//! The `otagai` binary as an operator meets it: exit codes, one-line configuration errors that
//! never show a secret, `--help`, `try` on piped input (thanks, a 1on1, a question), `migrate`
//! and `export ledger`.

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
            || key == "LANG"
            || key.starts_with("LC_")
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
    for expected in [
        "serve", "migrate", "try", "export", "jobs", "org", "forget", "manifest",
    ] {
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
    let at = |what: &str| find_after(out, 0, what);
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
    let r = try_console(
        &dir,
        "/thanks @bob +10 reviewed my PR within the hour\n:quit\n",
    );
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

#[test]
fn try_walks_through_a_1on1_from_reminder_to_pulse() {
    let dir = TempDir::new();
    // Whatever day and hour the test runs, `:time +8d` lands where a reminder may go out.
    let r = try_console(
        &dir,
        "/1on1 add @bob weekly\n\
         /1on1 todo @bob draft the onboarding guide\n\
         :as bob\n\
         /1on1 topic @alice how I can grow into a lead\n\
         :as alice\n\
         :time +8d\n\
         :press held\n\
         :as bob\n\
         :press useful 4\n\
         :press talk me\n\
         :quit\n",
    );
    let out = &r.stdout;
    let at = |what: &str| find_after(out, 0, what);
    let queued = at("1 reminder or nudge queued");
    let reminder = at("Time for a 1on1 with @bob");
    let recorded = at("Recorded your 1on1 with @bob");
    let pulse = at("Two quick questions about your 1on1 with @alice");
    let thanks = at("Your answers were recorded anonymously");
    assert!(queued < reminder && reminder < recorded, "{out}");
    assert!(pulse < thanks, "{out}");
    let dm = &out[reminder..recorded];
    assert!(dm.contains("#1 draft the onboarding guide"), "{dm}");
    assert!(dm.contains("how I can grow into a lead"), "{dm}");
    assert!(dm.contains(":press held"), "the buttons are shown: {dm}");
    assert!(!out.contains("<@U"), "mentions are shown as @names: {out}");
}

#[test]
fn try_an_add_by_someone_who_is_not_an_admin_waits_for_the_reports_accept() {
    let dir = TempDir::new();
    // alice is the console's admin; carol is not, so her add is an invitation bob answers.
    let r = try_console(
        &dir,
        ":as carol\n\
         /1on1 add @bob weekly\n\
         /1on1\n\
         :as bob\n\
         :press accept\n\
         :as carol\n\
         /1on1\n\
         :quit\n",
    );
    let out = &r.stdout;
    let at = |what: &str| find_after(out, 0, what);
    let invited = at("I've asked @bob to confirm 1on1s with you (weekly)");
    let dm = at(":press accept, :press decline");
    let pending = at("@bob (invited, weekly): waiting for them to accept");
    let accepted = at("You accepted: regular 1on1s with @carol (weekly)");
    let told = at("@bob accepted your invitation");
    let listed = at("@bob (your report, weekly)");
    assert!(
        invited < pending && dm < accepted && accepted < listed,
        "{out}"
    );
    assert!(told > invited, "{out}");
}

// ---- /ask in the console ----

/// `otagai try` in English on a fresh database in `dir`, fed `input`.
fn try_console(dir: &TempDir, input: &str) -> Run {
    let mut cmd = otagai(dir);
    cmd.arg("try")
        .arg("--db")
        .arg(dir.path().join("try.db"))
        .env("OTAGAI__ORG__LOCALE", "en");
    let r = run(cmd, input);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    r
}

/// The lines of a walkthrough in `:help` (those under the line starting with `title`), without
/// their comments: what a newcomer would type.
fn walkthrough(help: &str, title: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.trim_start().starts_with(title))
        .skip(1)
        .take_while(|l| l.starts_with("    "))
        .map(|l| {
            let typed = l.trim();
            typed.split("  ").next().unwrap_or(typed).trim().to_owned()
        })
        .collect()
}

/// Where `what` first appears in `out` at or after `from`; fails showing `out` if nowhere.
fn find_after(out: &str, from: usize, what: &str) -> usize {
    out[from..]
        .find(what)
        .map(|i| from + i)
        .unwrap_or_else(|| panic!("`{what}` missing after byte {from} of:\n{out}"))
}

#[test]
fn try_walks_through_the_question_in_help_from_asking_to_thanks() {
    let dir = TempDir::new();
    let help = try_console(&dir, ":help\n:quit\n").stdout;
    let steps = walkthrough(&help, "A question from asking to thanks");
    assert!(
        steps
            .first()
            .is_some_and(|s| s.starts_with("/ask #payroll"))
            && steps.iter().any(|s| s.starts_with(":thank")),
        "the walkthrough asks and thanks: {steps:?}"
    );
    let r = try_console(&dir, &format!("{}\n:quit\n", steps.join("\n")));
    let out = &r.stdout;

    // Alice asks: her ephemeral reply, the post with its buttons, then the link to it.
    let post = find_after(
        out,
        0,
        "[#general]\n      *Question from @alice* · #payroll",
    );
    let buttons = find_after(out, post, "(buttons: :press claim, :press resolve)");
    let link = find_after(
        out,
        buttons,
        "Your question is up in #general: open it (https://slack.com/archives/CTRYGENERAL/p",
    );
    // Bob replies in the thread: the post says answered, and alice hears once.
    let reply = find_after(out, link, "[thread in #general] bob: Profile > Payroll");
    let answered = find_after(out, reply, ":speech_balloon: Answered by @bob.");
    assert!(
        out[reply..answered].contains("[#general, updated]"),
        "the post itself is redrawn:\n{out}"
    );
    let dm = find_after(
        out,
        answered,
        "[DM to @alice]\n      Good news: @bob answered",
    );
    // Alice reacts ✅: resolved, and her DM names bob, with the Say thanks button.
    let reacted = find_after(out, dm, "@alice reacted :white_check_mark:");
    let resolved = find_after(out, reacted, "Resolved, with help from @bob.");
    let resolution = find_after(
        out,
        resolved,
        "[DM to @alice]\n      Your question “How do I",
    );
    let helped = find_after(out, resolution, "@bob helped");
    let thank_button = find_after(out, helped, "(buttons: :press thank)");
    // The form comes prefilled with bob; :thank posts the thanks in the question's thread.
    let form = find_after(
        out,
        thank_button,
        "[form: Say thanks]\n      Who helped: @bob",
    );
    let thanked = find_after(
        out,
        form,
        "[thread in #general]\n      @alice thanked @bob\n      > your answer saved my payday",
    );
    find_after(
        out,
        thanked,
        "[DM to @bob]\n      @alice thanked you: your answer saved my payday",
    );
    assert_eq!(
        out.matches("Good news:").count(),
        1,
        "the asker hears once before the resolution:\n{out}"
    );
    assert!(!out.contains("<@U"), "mentions are shown as @names: {out}");
    assert!(!out.contains("<#C"), "channels are shown as #names: {out}");
}

#[test]
fn only_the_asker_resolves_a_question_and_buttons_answer_only_the_presser() {
    let dir = TempDir::new();
    let r = try_console(
        &dir,
        ":react ✅\n\
         /ask #payroll Where do I find my payslip?\n\
         :as bob\n\
         :react ✅\n\
         :press resolve\n\
         :press claim\n\
         :as alice\n\
         :react 👀\n\
         :thank thanks!\n\
         :react white_check_mark\n\
         :react check\n\
         :quit\n",
    );
    let out = &r.stdout;
    let early = find_after(out, 0, "there is no question yet");
    let asked = find_after(out, early, "*Question from @alice* · #payroll");
    // Bob's ✅ and his press of Resolved change nothing.
    let bob_reacts = find_after(out, asked, "@bob reacted :white_check_mark:");
    let refused = find_after(
        out,
        bob_reacts,
        "nothing happens; Slack shows no answer to a reaction: Only the person who asked can mark it resolved.",
    );
    let pressed = find_after(
        out,
        refused,
        "[(only you)]\n      Only the person who asked can mark it resolved.",
    );
    // His claim redraws the post, tells alice, and is answered to him alone.
    find_after(out, pressed, "[(only you)]\n      Thank you for taking it!");
    let on_it = find_after(out, pressed, ":eyes: On it: @bob.");
    let told = find_after(
        out,
        on_it,
        "[DM to @alice]\n      Good news: @bob is looking at",
    );
    assert!(
        !out[asked..told].contains("Resolved, with help"),
        "bob cannot resolve alice's question:\n{out}"
    );
    // Alice cannot take her own question, has no thanks form yet, and resolves it with ✅.
    let own = find_after(
        out,
        told,
        "That's your own question; someone else will take it.",
    );
    let no_form = find_after(out, own, "no thanks form is open");
    let resolved = find_after(out, no_form, "Resolved, with help from @bob.");
    find_after(out, resolved, "This question is already resolved.");
    assert_eq!(
        out.matches("Resolved, with help from @bob.").count(),
        1,
        "{out}"
    );
}

#[test]
fn an_unanswered_question_is_nudged_once_in_its_thread_with_the_topics_expert() {
    let dir = TempDir::new();
    // A Wednesday in working hours (09:00-18:00 Mon-Fri in Tokyo) that is no holiday; the
    // console's clock only moves forward, so it lies in the future.
    let r = try_console(
        &dir,
        ":time 2031-06-11T10:00\n\
         /ask #payroll Where is the payslip for May?\n\
         :time +1h\n\
         :time +2h\n\
         :time +1h\n\
         :time +8h\n\
         :quit\n",
    );
    let out = &r.stdout;
    let asked = find_after(out, 0, "*Question from @alice* · #payroll");
    let early = find_after(out, asked, "now Wed 2031-06-11 11:00");
    let due = find_after(out, early, "now Wed 2031-06-11 13:00");
    assert!(
        out[early..due].contains("0 reminders or nudges queued"),
        "not yet after one working hour:\n{out}"
    );
    let queued = find_after(out, due, "1 reminder or nudge queued");
    find_after(
        out,
        queued,
        "[thread in #general]\n      @carol: this question has been waiting for 3 working hours.",
    );
    let later = find_after(out, queued, "now Wed 2031-06-11 14:00");
    let night = find_after(out, later, "now Wed 2031-06-11 22:00");
    assert!(
        out[later..night].contains("0 reminders or nudges queued"),
        "nudged once:\n{out}"
    );
    find_after(
        out,
        night,
        "outside working hours: /ask nudges wait until Thu 2031-06-12 09:00",
    );
    assert_eq!(
        out.matches("this question has been waiting").count(),
        1,
        "{out}"
    );
    assert!(r.stderr.is_empty(), "nothing went wrong: {}", r.stderr);
}

// ---- 1on1s: the org chart and the reminder job from the command line ----

/// A SQLite file of this test folder, read and written directly (as an operator's `sqlite3`
/// would), to see what the commands left behind.
struct Db(String);

impl Db {
    fn new(dir: &TempDir) -> Self {
        Self(sqlite_url(dir, "otagai.db"))
    }

    fn on<T>(&self, work: impl AsyncFnOnce(&otagai::storage::Store) -> T) -> T {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let store = otagai::storage::Store::connect(&self.0, 1).await.unwrap();
            store.migrate().await.unwrap();
            let out = work(&store).await;
            store.close().await;
            out
        })
    }

    fn count(&self, sql: &str) -> i64 {
        self.on(async |s| {
            sqlx::query_scalar(sql)
                .fetch_one(s.pool())
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        })
    }

    fn exec(&self, statements: &[&str]) {
        self.on(async |s| {
            for sql in statements {
                sqlx::query(sql)
                    .execute(s.pool())
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        })
    }
}

/// `otagai ARGS…` on this folder's database, in English.
fn otagai_on(dir: &TempDir, db: &Db, args: &[&str]) -> Run {
    let mut cmd = otagai(dir);
    cmd.args(args)
        .env("DATABASE_URL", &db.0)
        .env("OTAGAI__ORG__LOCALE", "en");
    run(cmd, "")
}

/// Writes `text` to `name` in the folder and imports it.
fn import(dir: &TempDir, db: &Db, name: &str, text: &str) -> Run {
    let file = dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    otagai_on(dir, db, &["org", "import", file.to_str().unwrap()])
}

/// The rows `otagai org export` prints, header first.
fn exported(dir: &TempDir, db: &Db) -> Vec<String> {
    let r = otagai_on(dir, db, &["org", "export"]);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    r.stdout.lines().map(str::to_owned).collect()
}

#[test]
fn org_import_applies_a_good_file_once_and_importing_it_again_changes_nothing() {
    let dir = TempDir::new();
    let db = Db::new(&dir);
    let chart = "manager,report,cadence\n# the platform team\nUMGR1,UREP1,weekly\n\
                 UMGR1, UREP2 ,\nUMGR2,UREP3,every 10d\n";
    let r = import(&dir, &db, "org.csv", chart);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(
        r.stderr
            .contains("3 added, 0 moved to a new manager, 0 cadences changed, 0 unchanged"),
        "{}",
        r.stderr
    );
    let r = import(&dir, &db, "org.csv", chart);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(
        r.stderr
            .contains("0 added, 0 moved to a new manager, 0 cadences changed, 3 unchanged"),
        "{}",
        r.stderr
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM pairs"), 3);
    assert_eq!(
        exported(&dir, &db),
        [
            "manager,report,cadence",
            "UMGR1,UREP1,weekly",
            "UMGR1,UREP2,biweekly",
            "UMGR2,UREP3,every 10d",
        ]
    );

    // A changed cadence is the only change of a re-import, and `-o` writes the same CSV.
    let r = import(
        &dir,
        &db,
        "org2.csv",
        &chart.replace("UREP1,weekly", "UREP1,monthly"),
    );
    assert!(
        r.stderr
            .contains("0 added, 0 moved to a new manager, 1 cadences changed, 2 unchanged"),
        "{}",
        r.stderr
    );
    let out = dir.path().join("out.csv");
    let r = otagai_on(&dir, &db, &["org", "export", "-o", out.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        written.lines().collect::<Vec<_>>(),
        [
            "manager,report,cadence",
            "UMGR1,UREP1,monthly",
            "UMGR1,UREP2,biweekly",
            "UMGR2,UREP3,every 10d",
        ]
    );
}

#[test]
fn org_import_with_a_bad_row_names_its_line_exits_non_zero_and_applies_nothing() {
    let dir = TempDir::new();
    let db = Db::new(&dir);
    let r = import(
        &dir,
        &db,
        "org.csv",
        "UMGR1,UREP1,weekly\nUMGR1,UREP2,weekly\n",
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let before = exported(&dir, &db);

    // Good rows first (a cadence change, a new pair), then two bad ones on lines 4 and 5.
    let r = import(
        &dir,
        &db,
        "bad.csv",
        "manager,report,cadence\nUMGR1,UREP1,monthly\nUMGR3,UREP9,weekly\n\
         UMGR4,not an id,weekly\nUMGR5,UREP8,daily\n",
    );
    assert_ne!(r.code, Some(0), "stdout: {}", r.stdout);
    assert!(r.code.is_some(), "exited, not killed");
    assert!(r.stderr.contains("nothing was imported"), "{}", r.stderr);
    assert!(r.stderr.contains("line 4: report"), "{}", r.stderr);
    assert!(r.stderr.contains("line 5:"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("line 2") && !r.stderr.contains("line 3"),
        "{}",
        r.stderr
    );
    assert_eq!(
        exported(&dir, &db),
        before,
        "nothing of the file was applied"
    );
    assert_eq!(db.count("SELECT COUNT(*) FROM pairs"), 2);

    let r = import(&dir, &db, "dup.csv", "UMGR1,UREP7\nUMGR2,UREP7\n");
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("line 2"), "{}", r.stderr);
    assert_eq!(exported(&dir, &db), before);

    let r = otagai_on(&dir, &db, &["org", "import", "no-such-file.csv"]);
    assert_ne!(r.code, Some(0));
    assert!(r.stderr.contains("cannot read"), "{}", r.stderr);
}

#[test]
fn a_report_moved_to_a_new_manager_leaves_the_old_pair_with_its_history_and_starts_fresh() {
    let dir = TempDir::new();
    let db = Db::new(&dir);
    let r = import(
        &dir,
        &db,
        "org.csv",
        "UMGR1,UREP1,weekly\nUMGR1,UREP2,weekly\n",
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    // The old pair has history: a 1on1 with a private note.
    db.exec(&[
        "UPDATE pairs SET last_met_on = '2026-11-02', due_on = '2026-11-09' WHERE report_id = 'UREP1'",
        "INSERT INTO meetings (pair_id, held_on, recorded_by, recorded_at) \
         SELECT id, '2026-11-02', 'UMGR1', 0 FROM pairs WHERE report_id = 'UREP1'",
        "INSERT INTO meeting_notes (meeting_id, author_id, body, written_at) \
         SELECT id, 'UMGR1', 'walrus-93 talked about leaving', 0 FROM meetings",
    ]);

    let r = import(&dir, &db, "moved.csv", "UMGR2,UREP1,biweekly\n");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(
        r.stderr
            .contains("0 added, 1 moved to a new manager, 0 cadences changed, 0 unchanged"),
        "{}",
        r.stderr
    );
    let rows = exported(&dir, &db);
    assert_eq!(
        rows,
        [
            "manager,report,cadence",
            "UMGR1,UREP2,weekly",
            "UMGR2,UREP1,biweekly"
        ]
    );
    assert!(!rows.concat().contains("walrus"), "no notes in an export");

    let old = "SELECT COUNT(*) FROM pairs WHERE manager_id = 'UMGR1' AND report_id = 'UREP1'";
    assert_eq!(
        db.count(&format!("{old} AND ended_at IS NOT NULL")),
        1,
        "ended"
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM meetings m JOIN pairs p ON p.id = m.pair_id \
             WHERE p.manager_id = 'UMGR1' AND p.report_id = 'UREP1'"
        ),
        1,
        "its history stays with it"
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM pairs WHERE manager_id = 'UMGR2' AND report_id = 'UREP1' \
             AND ended_at IS NULL AND last_met_on IS NULL"
        ),
        1,
        "the new pair starts fresh"
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) FROM meetings m JOIN pairs p ON p.id = m.pair_id \
             WHERE p.manager_id = 'UMGR2'"
        ),
        0
    );
    let r = import(&dir, &db, "moved.csv", "UMGR2,UREP1,biweekly\n");
    assert!(r.stderr.contains("0 added, 0 moved"), "{}", r.stderr);
    assert_eq!(db.count("SELECT COUNT(*) FROM pairs"), 3);
}

#[test]
fn jobs_run_enqueues_the_due_reminders_once_and_a_dry_run_only_prints_them() {
    let dir = TempDir::new();
    let db = Db::new(&dir);
    let r = import(
        &dir,
        &db,
        "org.csv",
        "UMGR1,UREP1,weekly\nUMGR1,UREP2,biweekly\nUMGR2,UREP3,monthly\n",
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    // As if imported weeks before Monday 2026-12-07: two pairs are due, one is not yet.
    db.exec(&[
        "UPDATE pairs SET added_on = '2026-11-16', due_on = '2026-11-23' WHERE report_id = 'UREP1'",
        "UPDATE pairs SET added_on = '2026-11-09', due_on = '2026-11-23' WHERE report_id = 'UREP2'",
        "UPDATE pairs SET added_on = '2026-11-20', due_on = '2026-12-20' WHERE report_id = 'UREP3'",
    ]);
    let now = "2026-12-07T09:45:00+09:00";
    let outbox = "SELECT COUNT(*) FROM outbox";
    let reminders = "SELECT COUNT(*) FROM reminders";

    for _ in 0..2 {
        let r = otagai_on(&dir, &db, &["jobs", "run", "--now", now, "--dry-run"]);
        assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
        assert_eq!(
            r.stdout.matches("--- DM to UMGR1\n").count(),
            2,
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("Time for a 1on1 with <@UREP1>"),
            "{}",
            r.stdout
        );
        assert!(r.stdout.contains("<@UREP2>"), "{}", r.stdout);
        assert!(!r.stdout.contains("UREP3"), "not due yet: {}", r.stdout);
        assert!(
            r.stderr.contains(
                "2 reminders and nudges would be sent (2 pairs and requests due); nothing changed"
            ),
            "{}",
            r.stderr
        );
        assert_eq!((db.count(outbox), db.count(reminders)), (0, 0));
    }

    // On Saturday the window is closed.
    let r = otagai_on(
        &dir,
        &db,
        &["jobs", "run", "--now", "2026-12-05T10:00:00+09:00"],
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(
        r.stderr.contains("0 reminders and nudges queued"),
        "{}",
        r.stderr
    );
    assert_eq!(db.count(outbox), 0);

    let r = otagai_on(&dir, &db, &["jobs", "run", "--now", now]);
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(
        r.stderr
            .contains("2 reminders and nudges queued (2 pairs and requests due)"),
        "{}",
        r.stderr
    );
    assert_eq!((db.count(outbox), db.count(reminders)), (2, 2));
    let pending = "SELECT COUNT(*) FROM outbox WHERE status = 'pending' \
                   AND payload LIKE '%one_on_one_reminder%' AND payload LIKE '%UMGR1%'";
    assert_eq!(
        db.count(pending),
        2,
        "left for a running `serve` to deliver"
    );

    // A second run, say from an overlapping cron, sends nothing again.
    let r = otagai_on(&dir, &db, &["jobs", "run", "--now", now]);
    assert!(
        r.stderr.contains("0 reminders and nudges queued"),
        "{}",
        r.stderr
    );
    assert_eq!((db.count(outbox), db.count(reminders)), (2, 2));

    let r = otagai_on(&dir, &db, &["jobs", "run", "--now", "next monday"]);
    assert_eq!(
        r.code,
        Some(2),
        "a bad --now is a usage error: {}",
        r.stderr
    );
    assert_eq!(db.count(outbox), 2);
}

#[test]
fn the_logs_never_name_the_asker_of_an_anonymous_question() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("try")
        .arg("--db")
        .arg(dir.path().join("try.db"))
        .env("OTAGAI__ORG__LOCALE", "en")
        // Everything otagai and its libraries log, SQL included.
        .env("RUST_LOG", "debug");
    let r = run(
        cmd,
        "/ask anon Is my salary below the band?\n\
         :as bob\n:reply Ask HR for the band sheet\n:press claim\n\
         :as alice\n:press resolve\n:press thank\n:thank Thanks a lot for the pointer!\n",
    );
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    // The logs are there, about this very question...
    assert!(r.stderr.contains("question posted"), "{}", r.stderr);
    assert!(r.stderr.contains("\"resolved\""), "{}", r.stderr);
    // ...and alice, who asked it, is in none of them; bob, who helped, may be.
    assert!(
        !r.stderr.contains("UALICE"),
        "the anonymous asker is named in the logs:\n{}",
        r.stderr
    );
}

// ---- files on the host: private to the account that runs otagai ----

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
#[test]
fn the_database_its_wal_and_shm_its_folder_and_every_export_are_private_to_the_account() {
    let dir = TempDir::new();
    let folder = dir.path().join("data");
    let file = folder.join("otagai.db");
    let url = format!("sqlite://{}", file.display());
    let db = Db(url.clone());
    let mut cmd = otagai(&dir);
    cmd.arg("migrate").env("DATABASE_URL", &url);
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert_eq!(mode(&folder), 0o700, "the folder otagai created");
    assert_eq!(mode(&file), 0o600, "the database");

    // While a connection is open (and has written), SQLite keeps its -wal and -shm beside it.
    db.on(async |store| {
        sqlx::query("INSERT INTO app_settings (key, value, set_by, set_at) VALUES ('probe', '1', 'test', 0)")
            .execute(store.pool())
            .await
            .unwrap();
        for suffix in ["-wal", "-shm"] {
            let side = folder.join(format!("otagai.db{suffix}"));
            assert_eq!(mode(&side), 0o600, "{}", side.display());
        }
    });

    let ledger = dir.path().join("ledger.csv");
    let org = dir.path().join("org.csv");
    // An export over an existing, world-readable file makes it private too.
    std::fs::write(&org, "old").unwrap();
    std::fs::set_permissions(&org, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    for (args, out) in [
        (["export", "ledger", "-o"], &ledger),
        (["org", "export", "-o"], &org),
    ] {
        let mut full: Vec<&str> = args.to_vec();
        full.push(out.to_str().unwrap());
        let r = otagai_on(&dir, &db, &full);
        assert_eq!(r.code, Some(0), "{full:?}: {}", r.stderr);
        assert_eq!(mode(out), 0o600, "{}", out.display());
    }
}

#[cfg(unix)]
#[test]
fn a_world_readable_database_is_made_private_with_a_warning() {
    let dir = TempDir::new();
    let file = dir.path().join("shared.db");
    std::fs::write(&file, "").unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let mut cmd = otagai(&dir);
    cmd.arg("migrate")
        .env("DATABASE_URL", format!("sqlite://{}", file.display()));
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert_eq!(mode(&file), 0o600);
    assert!(
        r.stderr.contains("readable by other accounts"),
        "stderr: {}",
        r.stderr
    );
}

// ---- forget: someone who has left ----

/// A database with UGONE (to forget) and UKEEP (to keep), as in tests/forget_seed.sql.
fn seeded(dir: &TempDir) -> Db {
    let db = Db::new(dir);
    let statements: Vec<String> = include_str!("forget_seed.sql")
        .split(";\n")
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| !s.trim().is_empty())
        .collect();
    let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
    db.exec(&refs);
    db
}

/// `otagai forget ARGS…` with `input` on stdin.
fn forget(dir: &TempDir, db: &Db, args: &[&str], input: &str) -> Run {
    let mut cmd = otagai(dir);
    cmd.arg("forget").args(args).env("DATABASE_URL", &db.0);
    run(cmd, input)
}

const NOTES: &str = "SELECT COUNT(*) FROM meeting_notes";
const FORGOTTEN: &str = "SELECT COUNT(*) FROM audit_log WHERE action = 'user.forget'";

#[test]
fn forget_dry_run_shows_the_counts_per_kind_and_changes_nothing() {
    let dir = TempDir::new();
    let db = seeded(&dir);
    let r = forget(&dir, &db, &["UGONE", "--dry-run"], "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    for line in [
        "UGONE: would go",
        "1on1 notes of their pairs: 4",
        "1on1 topics of their pairs: 2",
        "action items of their pairs: 2",
        "pulse requests sent to them: 1",
        "question texts they asked (blanked): 1",
        "cached Slack profile: 1",
        "active 1on1 pairs (ended): 1",
        "open 1on1 invitations (closed): 1",
        "pending messages to them: 1",
    ] {
        assert!(r.stdout.contains(line), "{line}: {}", r.stdout);
    }
    assert!(r.stderr.contains("nothing changed"), "{}", r.stderr);
    assert_eq!(db.count(NOTES), 6);
    assert_eq!(db.count(FORGOTTEN), 0);
}

#[test]
fn forget_without_yes_refuses_when_stdin_is_closed_or_the_answer_is_not_yes() {
    let dir = TempDir::new();
    let db = seeded(&dir);
    for input in ["", "no\n", "sure\n"] {
        let r = forget(&dir, &db, &["UGONE"], input);
        assert_ne!(r.code, Some(0), "{input:?}: {}", r.stderr);
        assert!(r.stderr.contains("not confirmed"), "{}", r.stderr);
        assert!(
            r.stdout.contains("1on1 notes of their pairs: 4"),
            "{}",
            r.stdout
        );
        assert_eq!(db.count(NOTES), 6, "{input:?} changed nothing");
        assert_eq!(db.count(FORGOTTEN), 0);
    }
}

#[test]
fn forget_after_yes_on_stdin_or_with_yes_removes_the_data_once_and_audits_it() {
    for (args, input) in [(vec!["UGONE"], "yes\n"), (vec!["UGONE", "--yes"], "")] {
        let dir = TempDir::new();
        let db = seeded(&dir);
        let r = forget(&dir, &db, &args, input);
        assert_eq!(r.code, Some(0), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("forgot UGONE: 14 rows"), "{}", r.stderr);
        assert_eq!(db.count(NOTES), 2, "UKEEP's pair's notes stay");
        assert_eq!(
            db.count("SELECT COUNT(*) FROM help_requests WHERE question = '[removed]'"),
            1
        );
        assert_eq!(
            db.count("SELECT COUNT(*) FROM ledger WHERE user_id = 'UGONE'"),
            1
        );
        assert_eq!(db.count(FORGOTTEN), 1);
        // Again: nothing left to forget.
        let r = forget(&dir, &db, &["UGONE", "--yes"], "");
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(r.stderr.contains("forgot UGONE: 0 rows"), "{}", r.stderr);
    }
}

#[test]
fn forget_refuses_what_is_not_a_slack_user_id() {
    let dir = TempDir::new();
    let db = seeded(&dir);
    let r = forget(&dir, &db, &["bob", "--yes"], "");
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("not a Slack user ID"), "{}", r.stderr);
    assert_eq!(db.count(NOTES), 6);
}

#[test]
fn try_speaks_the_terminals_language_unless_the_organisations_is_set() {
    for (lang, org, english) in [
        (Some("en_US.UTF-8"), None, true),
        (Some("C.UTF-8"), None, true),
        (Some("ja_JP.UTF-8"), None, false),
        (Some("en_US.UTF-8"), Some("ja"), false),
        (None, None, false),
    ] {
        let dir = TempDir::new();
        let mut cmd = otagai(&dir);
        cmd.arg("try").arg("--db").arg(dir.path().join("try.db"));
        if let Some(l) = lang {
            cmd.env("LANG", l);
        }
        if let Some(o) = org {
            cmd.env("OTAGAI__ORG__LOCALE", o);
        }
        let r = run(
            cmd,
            "/thanks @bob +10 reviewed my PR within the hour\n:quit\n",
        );
        assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
        assert_eq!(
            r.stdout.contains("Your thanks to @bob is on its way"),
            english,
            "LANG={lang:?} org.locale={org:?}: {}",
            r.stdout
        );
    }
}

#[test]
fn manifest_socket_mode_is_the_checked_in_manifest() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.args(["manifest", "--socket-mode"]);
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let checked_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("config/slack-manifest.yml"),
    )
    .unwrap();
    assert_eq!(
        r.stdout, checked_in,
        "config/slack-manifest.yml is stale: run `otagai manifest --socket-mode > config/slack-manifest.yml`"
    );
    assert!(r.stdout.contains("socket_mode_enabled: true"));
    assert!(!r.stdout.contains("url:"), "no request URLs in Socket Mode");
    for part in [
        "messages_tab_enabled: true",
        "messages_tab_read_only_enabled: false",
        "home_tab_enabled: true",
        "callback_id: thanks_global",
        "callback_id: thanks_message",
        "- message.im",
        "- im:history",
    ] {
        assert!(r.stdout.contains(part), "{part}");
    }
    // im:write only because the outbox opens a DM's conversation to look for a message whose
    // delivery is in doubt (conversations.open).
    assert!(r.stdout.contains("im:write"));
}

#[test]
fn manifest_with_a_url_has_the_three_request_urls_and_no_socket_mode() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.args(["manifest", "--url", "https://otagai.example.com/"]);
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let out = &r.stdout;
    assert_eq!(
        out.matches("url: https://otagai.example.com/slack/commands")
            .count(),
        4,
        "one per command: {out}"
    );
    assert!(out.contains("request_url: https://otagai.example.com/slack/events"));
    assert!(out.contains("request_url: https://otagai.example.com/slack/interactions"));
    assert!(out.contains("socket_mode_enabled: false"));
    assert!(!out.contains("socket_mode_enabled: true"));

    let mut bad = otagai(&dir);
    bad.args(["manifest", "--url", "http://otagai.example.com"]);
    let b = run(bad, "");
    assert_eq!(b.code, Some(2), "{}", b.stderr);
    assert!(b.stderr.contains("--url"), "{}", b.stderr);
}

#[test]
fn manifest_names_the_commands_as_configured() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.args(["manifest", "--socket-mode"])
        .env("OTAGAI__COMMANDS__THANKS", "/kansha");
    let r = run(cmd, "");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(r.stdout.contains("- command: /kansha"), "{}", r.stdout);
    assert!(!r.stdout.contains("- command: /thanks"));

    let mut bad = otagai(&dir);
    bad.args(["manifest"])
        .env("OTAGAI__COMMANDS__BONUS", "/Bonus");
    let b = run(bad, "");
    assert_eq!(b.code, Some(2));
    assert!(b.stderr.contains("commands.bonus"), "{}", b.stderr);
}

#[test]
fn try_answers_the_configured_command_names_and_no_longer_the_built_in_ones() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("try")
        .arg("--db")
        .arg(dir.path().join("try.db"))
        .env("OTAGAI__ORG__LOCALE", "en")
        .env("OTAGAI__COMMANDS__THANKS", "/kansha");
    let r = run(cmd, "/kansha help\n/thanks @bob hi\n:quit\n");
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    assert!(r.stdout.contains("type /kansha, /bonus"), "{}", r.stdout);
    assert!(r.stdout.contains("`/kansha @someone"), "{}", r.stdout);
    assert!(!r.stdout.contains("`/thanks @someone"), "{}", r.stdout);
    assert!(
        r.stdout.contains("/thanks"),
        "unknown, and named: {}",
        r.stdout
    );
}

#[test]
fn try_names_only_the_configured_commands_in_every_message_in_both_languages() {
    let dir = TempDir::new();
    let mut cmd = otagai(&dir);
    cmd.arg("try")
        .arg("--db")
        .arg(dir.path().join("try.db"))
        .env("OTAGAI__ORG__LOCALE", "en")
        .env("OTAGAI__COMMANDS__THANKS", "/kansha")
        .env("OTAGAI__COMMANDS__BONUS", "/pb")
        .env("OTAGAI__COMMANDS__ONE_ON_ONE", "/one-on-one")
        .env("OTAGAI__COMMANDS__ASK", "/tasukete");
    // The Home tab, each command's replies and errors, a thanks with its DM, a 1on1 with its
    // reminder, a question with its nudge, the console's own lines; then the same in Japanese.
    let session = [
        ":home",
        ":press held",
        ":press accept",
        "/kansha help",
        "/kansha @bob +10 your review caught the bug",
        "/pb",
        "/pb frobnicate",
        "/one-on-one add @bob weekly",
        "/one-on-one todo @bob draft the onboarding guide",
        "/one-on-one done",
        ":time +8d",
        ":press done 999",
        ":press held",
        ":as bob",
        "/tasukete",
        "/tasukete #payroll How do I change the bank account?",
        ":time +3h",
        ":time",
        ":as carol",
        ":lang ja",
        ":home",
        "/kansha",
        "/pb top",
        "/one-on-one help",
        "/tasukete help",
        "hello",
        ":help",
        ":quit",
    ];
    let r = run(cmd, &(session.join("\n") + "\n"));
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
    let out = &r.stdout;
    let built_in: Vec<&str> = out
        .lines()
        .filter(|line| {
            ["/thanks", "/bonus", "/1on1", "/ask"].iter().any(|name| {
                line.match_indices(name).any(|(at, _)| {
                    let before = line[..at].chars().last();
                    let after = line[at + name.len()..].chars().next();
                    before.is_none_or(|c| !(c.is_ascii_alphanumeric() || "/:.-_<".contains(c)))
                        && after.is_none_or(|c| !(c.is_ascii_alphanumeric() || "-_/".contains(c)))
                })
            })
        })
        .collect();
    assert!(built_in.is_empty(), "built-in names: {built_in:#?}\n{out}");
    for said in [
        "type /kansha, /pb, /one-on-one or /tasukete as a user",
        "*Thank someone:* `/kansha @alex",
        "no reminder with buttons; :time +8d after /one-on-one add brings one",
        "See your total with `/pb`.",
        "Try `/pb help`.",
        "with `/one-on-one topic @alice …`",
        "Usage: `/one-on-one done @someone",
        "type `/one-on-one done @bob`",
        "(or type /one-on-one todo done N)",
        "Type your question after /tasukete",
        "unanswered /tasukete questions may be nudged",
        "*/kansha で感謝を伝える*",
        "`/one-on-one add @相手",
        "`/tasukete topics`",
        "type a slash command such as /kansha @bob",
        "(what /kansha alone opens in Slack)",
    ] {
        assert!(out.contains(said), "`{said}` in {out}");
    }
}

// ---- the Home tab and the thanks form in the console ----

#[test]
fn try_shows_the_home_tab_and_runs_the_thanks_form_with_errors_by_field() {
    let dir = TempDir::new();
    let r = try_console(
        &dir,
        ":home\n\
         :thanks-form @bob +500 thx #nosuchvalue\n\
         :thanks-form @bob +10 your review caught the bug before the release\n\
         :home\n:quit\n",
    );
    let out = &r.stdout;
    // A first-use view, then the form refused field by field, then sent, then the tab shows it.
    let welcome = find_after(out, 0, "Welcome to otagai");
    let refused = find_after(out, welcome, "[form: Say thanks, not sent]");
    find_after(out, refused, "Points (optional):");
    find_after(out, refused, "Company values:");
    let sent = find_after(out, refused, "@alice thanked @bob");
    let home = find_after(out, sent, "== My thanks ==");
    find_after(
        out,
        home,
        "To @bob: your review caught the bug before the release (+10)",
    );
}
