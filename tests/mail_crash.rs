//! Every mail once, even across crashes and slow servers, on both backends: a real
//! `candour serve` killed with SIGKILL while an SMTP server on loopback is slow to answer
//! repeats at most the message in flight; a reply slower than `mail.smtp_timeout_seconds`
//! leaves the message "maybe delivered" (status `unconfirmed`), never sent twice, and said
//! on the survey page.

mod common;

use std::collections::BTreeMap;
use std::fs::File;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use candour::db::schema::outbox;
use candour::db::DbConnection;
use candour::mail::smtp_pool::SmtpPool;
use common::{cli_with, stderr, Backend, SmtpMode, SmtpSink, TestApp, TestDb, SMALL_QUESTIONNAIRE};
use diesel::prelude::*;

/// A `candour serve` process sending mail to `sink`, killed when dropped.
struct Serve {
    child: Child,
    log: std::path::PathBuf,
}

impl Serve {
    fn start(db: &TestDb, sink: &SmtpSink, name: &str) -> Self {
        let log = db.dir().join(format!("{name}.log"));
        let child = Command::new(env!("CARGO_BIN_EXE_candour"))
            .arg("serve")
            .current_dir(db.dir())
            .env("CANDOUR_DATABASE__URL", &db.url)
            .env("CANDOUR_SECURITY__KEY_FILE", db.key_file())
            .env("CANDOUR_SERVER__BIND", "127.0.0.1:0")
            .env("CANDOUR_SERVER__WORKERS", "1")
            .env("CANDOUR_MAIL__TRANSPORT", "smtp")
            .env("CANDOUR_MAIL__SMTP_URL", sink.url())
            .env("CANDOUR_MAIL__RATE_PER_SECOND", "1000")
            .env("CANDOUR_MAIL__POLL_MS", "100")
            // One connection: message n+1 is handed over only once n's outcome is durable.
            .env("CANDOUR_MAIL__CONNECTIONS", "1")
            // A short lease, so the restarted server need not wait long; a long timeout,
            // so the held message is still in flight when the server is killed.
            .env("CANDOUR_MAIL__LEASE_SECONDS", "2")
            .env("CANDOUR_MAIL__SMTP_TIMEOUT_SECONDS", "3600")
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("a log file"))
            .spawn()
            .expect("start candour serve");
        Self { child, log }
    }

    /// SIGKILL: no chance to finish the batch or record anything.
    fn kill(&mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Imports the small questionnaire, opens it, imports `count` invitees and queues their
/// invitations; returns the addresses.
fn queue_invitations(db: &TestDb, count: usize) -> Vec<String> {
    let ok = |args: &[&str]| {
        let output = cli_with(db, args, None);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    };
    let survey = common::write_file(db.dir(), "q.toml", SMALL_QUESTIONNAIRE);
    ok(&["survey", "import", survey.to_str().expect("UTF-8")]);
    ok(&["survey", "open", "test-survey"]);
    let addresses: Vec<String> = (1..=count).map(|i| format!("p{i}@example.org")).collect();
    let list = common::write_file(
        db.dir(),
        "list.csv",
        &format!("email\n{}\n", addresses.join("\n")),
    );
    ok(&[
        "invite",
        "import",
        "test-survey",
        list.to_str().expect("UTF-8"),
    ]);
    ok(&["invite", "send", "test-survey"]);
    addresses
}

/// The outbox: (recipient, status, locked_until) per message.
type Row = (String, String, Option<chrono::NaiveDateTime>);

fn outbox_rows(conn: &mut DbConnection) -> Vec<Row> {
    outbox::table
        .select((outbox::recipient, outbox::status, outbox::locked_until))
        .order(outbox::recipient.asc())
        .load(conn)
        .expect("read the outbox")
}

fn with_status(rows: &[Row], status: &str) -> usize {
    rows.iter().filter(|(_, s, _)| s == status).count()
}

/// Waits until `done` holds for the outbox (or panics after `seconds`, saying why).
fn wait_for_outbox(
    conn: &mut DbConnection,
    seconds: u64,
    why: impl Fn() -> String,
    done: impl Fn(&[Row]) -> bool,
) -> Vec<Row> {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        let rows = outbox_rows(conn);
        if done(&rows) {
            return rows;
        }
        assert!(Instant::now() < deadline, "{rows:?}\n{}", why());
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How many messages the sink got for each address.
fn received_per_address(sink: &SmtpSink) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for message in sink.messages() {
        assert_eq!(message.recipients.len(), 1, "{:?}", message.recipients);
        *counts.entry(message.recipients[0].clone()).or_insert(0) += 1;
    }
    counts
}

fn message(to: &str) -> lettre::Message {
    lettre::Message::builder()
        .from("Candour <candour@example.org>".parse().unwrap())
        .to(to.parse().unwrap())
        .subject("Hello")
        .body(format!("A message for {to}\r\n"))
        .unwrap()
}

/// Only a reply missing after the message was handed over is "maybe delivered"; a reply,
/// or a failure before the message went, is not.
#[test]
fn only_a_missing_reply_to_the_final_dot_is_unconfirmed() {
    let sink = SmtpSink::start();
    sink.hold_replies_to(&[1]);
    sink.reject("gone@example.org");
    let pool = SmtpPool::new(&sink.url(), 1, Duration::from_secs(1)).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let error = pool.send(&message("slow@example.org")).await.unwrap_err();
        assert!(error.is_unconfirmed(), "{error:?}");
        assert!(!error.is_permanent(), "{error:?}");
        sink.release();
        // The connection in an unknown state was dropped; the next message goes on a new one.
        pool.send(&message("next@example.org")).await.unwrap();
        let error = pool.send(&message("gone@example.org")).await.unwrap_err();
        assert!(error.is_permanent() && !error.is_unconfirmed(), "{error:?}");
        sink.set_mode(SmtpMode::Temporary);
        let error = pool.send(&message("later@example.org")).await.unwrap_err();
        assert!(
            !error.is_permanent() && !error.is_unconfirmed(),
            "{error:?}"
        );
        sink.set_mode(SmtpMode::Down);
        let error = pool.send(&message("later@example.org")).await.unwrap_err();
        assert!(!error.is_unconfirmed(), "{error:?}");
    });
    let received: Vec<Vec<String>> = sink.messages().into_iter().map(|m| m.recipients).collect();
    assert_eq!(received, [["slow@example.org"], ["next@example.org"]]);
    // The first dropped for its missing reply, each later one ended by a refusal, then Down.
    assert_eq!(sink.connections(), 4);
}

/// The message the server is slow to answer.
const SLOW: usize = 12;
const INVITEES: usize = 20;

on_both_backends! {
    a_kill_during_a_slow_batch_repeats_at_most_the_message_in_flight => |backend: Backend| {
        let sink = SmtpSink::start();
        sink.hold_replies_to(&[SLOW]);
        let db = TestDb::new(backend);
        let addresses = queue_invitations(&db, INVITEES);
        let mut conn = db.connect();

        let mut first = Serve::start(&db, &sink, "first");
        sink.wait_until_holding(SLOW, 120);
        // All twenty were claimed in one batch; the eleven the server accepted are recorded
        // already, though the batch is far from finished.
        let rows = outbox_rows(&mut conn);
        assert_eq!(with_status(&rows, "sent"), SLOW - 1, "{rows:?}\n{}", first.log());
        assert_eq!(with_status(&rows, "pending"), INVITEES - SLOW + 1, "{rows:?}");
        let slow_address = sink.messages()[SLOW - 1].recipients[0].clone();
        // The lease of a batch under way is renewed, so no other sender takes its messages.
        let leased = |rows: &[Row]| {
            rows.iter()
                .find(|(to, _, _)| *to == slow_address)
                .and_then(|(_, _, until)| *until)
        };
        let before = leased(&rows).expect("the slow message is leased");
        wait_for_outbox(&mut conn, 60, || first.log(), |rows| {
            leased(rows).is_some_and(|until| until > before)
        });

        first.kill();
        sink.release();
        let rows = outbox_rows(&mut conn);
        assert_eq!(with_status(&rows, "sent"), SLOW - 1, "{rows:?}");

        // Restarted: once the dead server's lease runs out, what it had not recorded is sent.
        let second = Serve::start(&db, &sink, "second");
        let rows = wait_for_outbox(&mut conn, 120, || second.log(), |rows| {
            with_status(rows, "pending") == 0
        });
        assert_eq!(with_status(&rows, "sent"), INVITEES, "{rows:?}");
        drop(second);

        // Each address got exactly one invitation, but for the one in flight at the crash,
        // which the server may have kept: that one at most twice.
        let received = received_per_address(&sink);
        assert_eq!(received.len(), INVITEES, "{received:?}");
        for address in &addresses {
            let expected = if *address == slow_address { 2 } else { 1 };
            assert_eq!(received.get(address), Some(&expected), "{address}: {received:?}");
        }
        assert_eq!(sink.messages().len(), INVITEES + 1);
    };

    a_reply_slower_than_the_timeout_is_maybe_delivered_and_never_sent_twice => |backend: Backend| {
        let sink = SmtpSink::start();
        sink.hold_replies_to(&[3]);
        let app = TestApp::builder(backend).smtp(&sink).settings(&[("mail.connections", "1"), ("mail.smtp_timeout_seconds", "2")]).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        app.import_invitees(
            &slug,
            "email\na@example.org\nb@example.org\nc@example.org\nd@example.org\ne@example.org\n",
        );
        app.cli_ok(&["invite", "send", &slug]);
        let mut conn = app.db.connect();

        // The third message's reply never comes in time: recorded as maybe delivered.
        let rows = wait_for_outbox(&mut conn, 60, String::new, |rows| {
            with_status(rows, "unconfirmed") == 1
        });
        let slow_address = sink.messages()[2].recipients[0].clone();
        let unconfirmed: Vec<&Row> = rows.iter().filter(|(_, s, _)| s == "unconfirmed").collect();
        assert_eq!(unconfirmed[0].0, slow_address, "{rows:?}");
        sink.release();
        let rows = wait_for_outbox(&mut conn, 60, String::new, |rows| {
            with_status(rows, "pending") == 0
        });
        assert_eq!(with_status(&rows, "sent"), 4, "{rows:?}");
        assert_eq!(with_status(&rows, "unconfirmed"), 1, "{rows:?}");
        let (error, body_gone): (Option<String>, bool) = outbox::table
            .filter(outbox::status.eq("unconfirmed"))
            .select((outbox::last_error, outbox::body_text.is_null()))
            .first(&mut conn)
            .expect("the unconfirmed message");
        assert!(error.unwrap_or_default().contains("did not confirm"));
        assert!(body_gone, "its personal link is not kept, as for a sent message");

        // Nothing is left for any sender to claim, even a day later: it is not sent again.
        let later = app.clock.now() + chrono::TimeDelta::days(1);
        let claimable = candour::db::outbox::claim(
            &mut conn,
            "probe",
            later,
            later + chrono::TimeDelta::hours(1),
            100,
        )
        .expect("claim");
        assert!(claimable.is_empty(), "{claimable:?}");
        let received = received_per_address(&sink);
        assert_eq!(received.len(), 5, "{received:?}");
        assert!(received.values().all(|n| *n == 1), "{received:?}");

        // The review team is told, in counts.
        let (browser, _) = app.enrolled("admin@example.org", "admin");
        let page = browser.get(&format!("/admin/surveys/{slug}"));
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(
            page.body.contains("1 message may or may not have been delivered"),
            "{}",
            page.body
        );
        let (viewer, _) = app.enrolled("viewer@example.org", "viewer");
        let page = viewer.get(&format!("/admin/surveys/{slug}"));
        assert!(page.body.contains("may or may not have been delivered"), "{}", page.body);
        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("1 message may or may not have been delivered"), "{status}");
    };

    the_migration_allows_unconfirmed_and_its_reversal_counts_it_as_sent => |backend: Backend| {
        use candour::db::migrations;
        let db = TestDb::new(backend);
        queue_invitations(&db, 1);
        let mut conn = db.connect();
        diesel::update(outbox::table)
            .set(outbox::status.eq("unconfirmed"))
            .execute(&mut conn)
            .expect("unconfirmed is a status");
        assert!(migrations::revert_newer_than(&mut conn, "2026-12-04-000010").unwrap() >= 1);
        let rows = outbox_rows(&mut conn);
        assert_eq!(with_status(&rows, "sent"), 1, "never sent again: {rows:?}");
        assert!(diesel::update(outbox::table)
            .set(outbox::status.eq("unconfirmed"))
            .execute(&mut conn)
            .is_err());
        assert!(migrations::run_pending(&mut conn).unwrap() >= 1);
        assert_eq!(outbox_rows(&mut conn).len(), 1);
    };
}
