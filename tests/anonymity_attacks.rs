//! The attacks of issue 10, played against the real server: each test fails if its attack
//! succeeds. k is the survey's `min_group_size`. "Waiting" responses are sealed in
//! `waiting_responses`; "released" ones are in `responses`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use candour::db::DbConnection;
use common::{
    count_rows, raw_database_bytes, text_lines, Backend, SmtpSink, TestApp, TestDb,
    SMALL_QUESTIONNAIRE,
};
use diesel::connection::SimpleConnection;

/// The small questionnaire with minimum group size `k`, invitation links only.
fn invited_only(k: usize) -> String {
    SMALL_QUESTIONNAIRE.replace(
        "min_group_size = 5\n",
        &format!("min_group_size = {k}\nopen_link = false\n"),
    )
}

fn with_k(k: usize) -> String {
    SMALL_QUESTIONNAIRE.replace("min_group_size = 5\n", &format!("min_group_size = {k}\n"))
}

/// A server whose release task runs every `release_seconds`, a survey with `n` invitees
/// (sent), and their tokens.
fn invited(
    backend: Backend,
    n: usize,
    k: usize,
    release_seconds: &str,
) -> (SmtpSink, TestApp, String, Vec<String>) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend)
        .smtp(&sink)
        .setting("responses.release_seconds", release_seconds)
        .start();
    let slug = app.import_and_open(&invited_only(k));
    let csv: String = std::iter::once("email,group".to_owned())
        .chain((0..n).map(|i| format!("person{i}@example.org,group{}", i % 2)))
        .collect::<Vec<_>>()
        .join("\n");
    app.import_invitees(&slug, &csv);
    app.cli_ok(&["invite", "send", &slug]);
    let tokens = sink
        .wait_for(n, 30)
        .iter()
        .map(|m| m.link("i")[3..].to_owned())
        .collect();
    (sink, app, slug, tokens)
}

fn answer(i: usize) -> String {
    format!("distinctive-answer-{i:03}")
}

fn submit_invited(app: &TestApp, slug: &str, token: &str, i: usize) {
    let body = serde_json::json!({"token": token, "answers": {
        "agency": "council", "thresholds": "agree", "comment": answer(i), "caseload": i % 60
    }});
    let reply = app
        .browser()
        .post_json(&format!("/api/v1/surveys/{slug}/responses"), &body);
    assert_eq!(reply.status, 201, "{}", reply.body);
}

/// Answers through the invitation link's pages (a sealed invited draft on the way).
fn submit_invited_by_pages(app: &TestApp, slug: &str, token: &str, i: usize) {
    let browser = app.browser();
    assert_eq!(browser.get(&format!("/i/{token}")).status, 303);
    let page = |n: u32, fields: &[(&str, &str)]| {
        let reply = browser.post_form(&format!("/s/{slug}/page/{n}"), fields);
        assert_eq!(reply.status, 303, "{}", reply.body);
    };
    page(1, &[("agency", "police")]);
    page(2, &[("thresholds", "agree"), ("comment", &answer(i))]);
    page(3, &[("joint-visits", "Yes")]);
    assert_eq!(
        browser.post_form(&format!("/s/{slug}/submit"), &[]).status,
        303
    );
}

/// (released, waiting) as seen by a copy of the database taken now: on SQLite the database
/// file with its `-wal`, copied byte for byte while a reader holds one snapshot; on
/// PostgreSQL the tables read as SQL (what a dump holds).
fn copy_counts(app: &TestApp) -> (i64, i64) {
    match app.db.backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().unwrap();
            let mut reader = app.db.connect();
            reader
                .batch_execute("BEGIN; SELECT COUNT(*) FROM responses;")
                .unwrap();
            let data = app.db.dir().join("data");
            let copy = dir.path().join("copy.sqlite3");
            std::fs::copy(data.join("candour.sqlite3"), &copy).unwrap();
            let wal = data.join("candour.sqlite3-wal");
            if wal.exists() {
                std::fs::copy(&wal, dir.path().join("copy.sqlite3-wal")).unwrap();
            }
            reader.batch_execute("COMMIT;").unwrap();
            let url =
                candour::db::DatabaseUrl::parse(&format!("sqlite://{}", copy.display())).unwrap();
            let mut conn = DbConnection::open(&url, 5000).unwrap();
            (
                count_rows(&mut conn, "responses"),
                count_rows(&mut conn, "waiting_responses"),
            )
        }
        Backend::Postgres => {
            let mut conn = app.db.connect();
            (
                count_rows(&mut conn, "responses"),
                count_rows(&mut conn, "waiting_responses"),
            )
        }
    }
}

fn grows_by_zero_or_k(before: i64, after: i64, k: usize, what: &str) {
    let step = after - before;
    assert!(
        step == 0 || step >= k as i64,
        "{what}: {before} -> {after}, a step of {step} < k = {k}"
    );
}

on_both_backends! {
    copies_after_each_invited_submission_never_show_1_to_k_minus_1_new_responses => |backend: Backend| {
        let (k, n) = (3, 14);
        let (_sink, app, slug, tokens) = invited(backend, n, k, "1");
        let mut released = 0;
        let mut released_while_open = false;
        for (i, token) in tokens.iter().enumerate() {
            submit_invited(&app, &slug, token, i);
            let (now_released, waiting) = copy_counts(&app);
            grows_by_zero_or_k(released, now_released, k, "a copy after one submission");
            assert_eq!(now_released + waiting, i as i64 + 1, "nothing lost, nothing twice");
            assert!(waiting >= k as i64 || now_released == 0, "at least k stay waiting while open");
            released_while_open |= now_released > 0;
            released = now_released;
            std::thread::sleep(Duration::from_millis(400));
        }
        assert!(released_while_open, "the release task released batches while the survey was open");
        app.cli_ok(&["survey", "close", &slug]);
        let (now_released, waiting) = copy_counts(&app);
        assert_eq!((now_released, waiting), (n as i64, 0), "closing releases everything");

        if backend == Backend::Postgres {
            // Transaction ids: no response was written by a transaction that wrote an
            // invitation-side row, and every transaction that wrote responses wrote >= k.
            let mut conn = app.db.connect();
            let response_xmins = text_lines(&mut conn, "SELECT xmin::text AS line FROM responses");
            let mut groups: BTreeMap<String, usize> = BTreeMap::new();
            for xmin in &response_xmins {
                *groups.entry(xmin.clone()).or_default() += 1;
            }
            assert!(groups.len() >= 2, "batches while open and at close: {groups:?}");
            let last_is_small = groups.values().filter(|&&size| size < k).count();
            assert_eq!(last_is_small, 0, "every batch holds at least k: {groups:?}");
            let invitation_xmins: BTreeSet<String> = text_lines(&mut conn,
                "SELECT xmin::text AS line FROM invitations UNION SELECT xmin::text FROM invitation_tokens \
                 UNION SELECT xmin::text FROM outbox UNION SELECT xmin::text FROM submission_days").into_iter().collect();
            for xmin in groups.keys() {
                assert!(!invitation_xmins.contains(xmin), "a response shares xmin {xmin} with an invitation-side row");
            }
        }
    };

    under_a_steady_stream_of_submissions_results_still_move_only_in_steps_of_k => |backend: Backend| {
        // Submissions arriving without pause make the release yield: it releases k once a
        // period. Someone watching the results all the while must still see steps of >= k.
        let app = TestApp::builder(backend).setting("responses.release_seconds", "1").start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let k = 5;
        let path = format!("/api/v1/surveys/{slug}/responses");
        let streaming = std::sync::atomic::AtomicBool::new(true);
        let mut conn = app.db.connect();
        let mut steps = Vec::new();
        std::thread::scope(|scope| {
            for _ in 0..2 {
                let browser = app.browser();
                let (path, streaming) = (&path, &streaming);
                scope.spawn(move || {
                    let body = serde_json::json!({"answers": {"agency": "police", "thresholds": "agree"}});
                    while streaming.load(std::sync::atomic::Ordering::SeqCst) {
                        assert_eq!(browser.post_json(path, &body).status, 201);
                    }
                });
            }
            let until = std::time::Instant::now() + Duration::from_secs(4);
            let mut seen = count_rows(&mut conn, "responses");
            while std::time::Instant::now() < until {
                std::thread::sleep(Duration::from_millis(10));
                let now = count_rows(&mut conn, "responses");
                if now != seen {
                    steps.push(now - seen);
                    seen = now;
                }
            }
            streaming.store(false, std::sync::atomic::Ordering::SeqCst);
        });
        assert!(!steps.is_empty(), "results moved while submissions kept arriving");
        assert!(steps.iter().all(|&step| step >= k), "a step under k: {steps:?}");
    };

    a_waiting_rows_id_and_place_in_the_table_do_not_follow_arrival => |backend: Backend| {
        let (k, n) = (4, 24);
        let (_sink, app, slug, tokens) = invited(backend, n, k, "3600");
        let mut conn = app.db.connect();
        let ids = |conn: &mut DbConnection| text_lines(conn, "SELECT CAST(id AS TEXT) AS line FROM waiting_responses");
        // A copy after each submission tells which waiting row arrived when.
        let mut arrival: Vec<String> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            submit_invited(&app, &slug, token, i);
            let new: Vec<String> = ids(&mut conn).into_iter().filter(|id| !arrival.contains(id)).collect();
            assert_eq!(new.len(), 1, "one new waiting row per submission");
            arrival.extend(new);
        }
        let arrived_at = |id: &String| arrival.iter().position(|a| a == id).expect("a known row");
        let mut by_id: Vec<i64> = arrival.iter().map(|id| id.parse().expect("an integer id")).collect();
        by_id.sort();
        let id_order: Vec<usize> = by_id.iter().map(|id| arrived_at(&id.to_string())).collect();
        let tau = kendall_tau(&id_order);
        assert!(tau.abs() < 0.6, "waiting ids follow arrival (tau {tau})");
        if backend == Backend::Sqlite {
            // The file's own order (a plain scan): PostgreSQL's heap keeps arrival order, which
            // the README says.
            let table_order: Vec<usize> = ids(&mut conn).iter().map(arrived_at).collect();
            let tau = kendall_tau(&table_order);
            assert!(tau.abs() < 0.6, "the table's order follows arrival (tau {tau})");
        }
    };

    a_released_batch_has_no_date_id_or_order_that_separates_its_responses => |backend: Backend| {
        let (k, n) = (4, 20);
        let (_sink, app, slug, tokens) = invited(backend, n, k, "3600");
        for (i, token) in tokens.iter().enumerate() {
            if i == n / 2 {
                // Half of them answer on the next day.
                app.clock.advance(chrono::Duration::days(1));
            }
            submit_invited(&app, &slug, token, i);
        }
        let mut conn = app.db.connect();
        assert_eq!(text_lines(&mut conn, "SELECT CAST(day AS TEXT) AS line FROM submission_days").len(), 2,
            "submissions are counted per day as they arrive");
        app.release_all(&slug);
        let rows = text_lines(&mut conn,
            "SELECT id || ' ' || CAST(submitted_on AS TEXT) || ' ' || answers AS line FROM responses");
        assert_eq!(rows.len(), n);
        let days: BTreeSet<&str> = rows.iter().map(|r| r.split(' ').nth(1).unwrap()).collect();
        assert_eq!(days.len(), 1, "one day for the whole batch: {days:?}");
        // Neither the ids nor the stored order follow the order of submission.
        let submitted_at = |row: &String| -> usize {
            (0..n).find(|i| row.contains(&answer(*i))).expect("a known answer")
        };
        let stored_order: Vec<usize> = rows.iter().map(submitted_at).collect();
        let tau = kendall_tau(&stored_order);
        assert!(tau.abs() < 0.6, "stored order follows submission (tau {tau})");
        let mut by_id: Vec<&String> = rows.iter().collect();
        by_id.sort();
        let id_order: Vec<usize> = by_id.into_iter().map(submitted_at).collect();
        let tau = kendall_tau(&id_order);
        assert!(tau.abs() < 0.6, "ids follow submission (tau {tau})");
        for row in &rows {
            let id = row.split(' ').next().unwrap();
            assert!(id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()), "{id}");
        }
        let untallied = text_lines(&mut conn, "SELECT response_id AS line FROM untallied");
        assert!(untallied.len() <= n, "marks only, keyed by the random ids");
    };

    no_answer_text_is_in_the_raw_database_files_before_release => |backend: Backend| {
        let (k, n) = (5, 6);
        let (_sink, app, slug, tokens) = invited(backend, n, k, "3600");
        for (i, token) in tokens.iter().enumerate() {
            if i % 2 == 0 {
                submit_invited_by_pages(&app, &slug, token, i);
            } else {
                submit_invited(&app, &slug, token, i);
            }
        }
        assert_eq!(app.waiting(), n as i64);
        let raw = raw_database_bytes(&app);
        for i in 0..n {
            assert!(find(&raw, answer(i).as_bytes()).is_none(), "answer {i} readable in the files before release");
        }
        app.cli_ok(&["survey", "close", &slug]);
        assert_eq!(app.count("responses"), n as i64);
        // The check sees answers once they are released (so it would have seen them earlier).
        let raw = raw_database_bytes(&app);
        assert!((0..n).any(|i| find(&raw, answer(i).as_bytes()).is_some()));
    };

    open_link_answers_are_not_in_the_raw_files_before_release_either => |backend: Backend| {
        let app = TestApp::builder(backend).setting("responses.release_seconds", "3600").start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        for i in 0..3 {
            let browser = app.browser();
            assert_eq!(browser.post_form(&format!("/s/{slug}/start"), &[]).status, 303);
            assert_eq!(browser.post_form(&format!("/s/{slug}/page/1"), &[("agency", "Health")]).status, 303);
            assert_eq!(browser.post_form(&format!("/s/{slug}/page/2"), &[("thresholds", "agree"), ("comment", &answer(i))]).status, 303);
            if i < 2 {
                assert_eq!(browser.post_form(&format!("/s/{slug}/submit"), &[]).status, 303);
            }
        }
        assert_eq!((app.waiting(), app.count("drafts")), (2, 1), "two sent, one unfinished draft");
        let raw = raw_database_bytes(&app);
        for i in 0..3 {
            assert!(find(&raw, answer(i).as_bytes()).is_none(), "open-link answer {i} readable in the files");
        }
    };

    results_fetched_after_each_single_submission_move_by_0_or_at_least_k => |backend: Backend| {
        let k = 3;
        let app = TestApp::builder(backend).setting("responses.release_seconds", "1").start();
        let slug = app.import_and_open(&with_k(k));
        app.add_user("vera@example.org", "viewer");
        let token = app.api_token("vera@example.org");
        let fetch = || -> i64 {
            let reply = app.browser().get_with(&format!("/api/v1/surveys/{slug}/results"),
                &[("Authorization", &format!("Bearer {token}"))]);
            assert_eq!(reply.status, 200, "{}", reply.body);
            reply.json()["responses"].as_i64().unwrap_or(0)
        };
        let mut seen = fetch();
        let mut moved = false;
        for i in 0..12 {
            common::submit(&app, &slug, serde_json::json!({"agency": "council", "thresholds": "agree", "comment": answer(i)}));
            let now = fetch();
            grows_by_zero_or_k(seen, now, k, "results after one submission");
            moved |= now > seen;
            seen = now;
            std::thread::sleep(Duration::from_millis(400));
            let later = fetch();
            grows_by_zero_or_k(seen, later, k, "results a moment later");
            moved |= later > seen;
            seen = later;
        }
        assert!(moved, "results moved while the survey was open");
        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("waiting: "), "{status}");
        assert!(status.contains(&format!("results are updated in groups of at least {k}")) || status.contains("waiting: 0"), "{status}");
    };

    two_drafts_of_very_different_size_store_the_same_number_of_bytes => |backend: Backend| {
        let (_sink, app, slug, tokens) = invited(backend, 2, 5, "3600");
        let short = app.browser();
        assert_eq!(short.get(&format!("/i/{}", tokens[0])).status, 303);
        assert_eq!(short.post_form(&format!("/s/{slug}/page/1"), &[("agency", "police")]).status, 303);
        let long = app.browser();
        assert_eq!(long.get(&format!("/i/{}", tokens[1])).status, 303);
        assert_eq!(long.post_form(&format!("/s/{slug}/page/1"), &[("agency", "council")]).status, 303);
        let comment = "A long comment about supervision and caseloads. ".repeat(5);
        assert_eq!(long.post_form(&format!("/s/{slug}/page/2"), &[
            ("thresholds", "strongly-disagree"), ("training", "Neglect"), ("training", "Exploitation"),
            ("caseload", "42"), ("comment", &comment[..200]),
        ]).status, 303);
        let sizes = text_lines(&mut app.db.connect(), "SELECT CAST(LENGTH(sealed) AS TEXT) AS line FROM invitation_drafts");
        assert_eq!(sizes.len(), 2);
        assert_eq!(sizes[0], sizes[1], "draft sizes say how much was answered");
    };

    two_releasers_at_once_never_release_a_response_twice => |backend: Backend| {
        use candour::release::{self, Phase, ResponseSeal};
        let k = 5;
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        candour::db::migrations::run_pending(&mut conn).unwrap();
        let now = chrono::Utc::now().naive_utc();
        candour::survey::import(&mut conn, SMALL_QUESTIONNAIRE, now).unwrap();
        candour::survey::open(&mut conn, "test-survey", now).unwrap();
        let survey = candour::db::surveys::find_by_slug(&mut conn, "test-survey").unwrap().unwrap();
        let seal = ResponseSeal::new(&candour::secrets::SecretKey::parse(&"3c".repeat(32)).unwrap());
        let mut total = 0;
        for round in 0..8 {
            let rows: Vec<_> = (0..2 * k + round)
                .map(|i| seal.seal(survey.id, &format!("{{\"comment\":\"{}\"}}", answer(total + i))))
                .collect();
            total += rows.len();
            candour::db::waiting::insert_all(&mut conn, &rows).unwrap();
            let phase = if round == 7 { Phase::Closed } else { Phase::Open };
            let barrier = std::sync::Barrier::new(2);
            let batches: Vec<usize> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..2).map(|_| {
                    let (db, seal, barrier) = (&db, &seal, &barrier);
                    scope.spawn(move || {
                        let mut conn = db.connect();
                        barrier.wait();
                        release::release_survey(&mut conn, seal, survey.id, k, phase, now.date()).unwrap_or(0)
                    })
                }).collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for batch in &batches {
                assert!(*batch == 0 || *batch >= k || phase == Phase::Closed, "{batches:?}");
            }
        }
        // Whatever a race left waiting goes at close.
        release::release_all(&mut conn, &seal, survey.id, now.date()).unwrap();
        let answers = text_lines(&mut conn, "SELECT answers AS line FROM responses");
        let distinct: BTreeSet<&String> = answers.iter().collect();
        assert_eq!(answers.len(), total, "every response released");
        assert_eq!(distinct.len(), total, "none released twice");
        assert_eq!(count_rows(&mut conn, "waiting_responses"), 0);
    };

    a_changed_key_is_refused_while_responses_wait => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        common::submit(&app, &slug, serde_json::json!({"agency": "council", "thresholds": "agree"}));
        let other = "9d".repeat(32);
        let refused = app.cli_env(&["survey", "close", &slug], &[("CANDOUR_SECURITY__SECRET_KEY", other.as_str())]);
        assert!(!refused.status.success());
        assert!(common::stderr(&refused).contains("not the one the database was used with"), "{}", common::stderr(&refused));
        assert_eq!(app.waiting(), 1, "nothing dropped");
        app.cli_ok(&["survey", "close", &slug]);
        assert_eq!((app.waiting(), app.count("responses")), (0, 1));
    };

    the_results_page_and_status_say_how_many_wait_and_why => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        for _ in 0..2 {
            common::submit(&app, &slug, serde_json::json!({"agency": "council", "thresholds": "agree"}));
        }
        let why = "results are updated in groups of at least 5, so that no single answer can be seen by comparing one day's results with the next";
        let (viewer, _) = app.enrolled("vera@example.org", "viewer");
        let page = viewer.get(&format!("/admin/surveys/{slug}/results"));
        assert_eq!(page.status, 200);
        let text = page.body.replace("&#39;", "'").replace("&#x27;", "'");
        assert!(text.contains(&format!("2 responses are waiting: {why}")), "{}", page.body);
        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("waiting: 2") && status.contains(why), "{status}");
    };

    the_closing_day_passing_releases_everything => |backend: Backend| {
        let today = chrono::Utc::now().date_naive();
        let app = TestApp::builder(backend).setting("responses.release_seconds", "1").start();
        let slug = app.import_and_open(&SMALL_QUESTIONNAIRE.replace("min_group_size = 5\n", &format!("min_group_size = 5\ncloses_on = {today}\n")));
        for _ in 0..7 {
            common::submit(&app, &slug, serde_json::json!({"agency": "council", "thresholds": "agree"}));
        }
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!((app.waiting(), app.count("responses")), (7, 0), "fewer than 2k wait while open");
        app.clock.advance(chrono::Duration::days(1));
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while app.waiting() > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        assert_eq!((app.waiting(), app.count("responses")), (0, 7));
    };

    reminders_to_everyone_leave_no_mail_trail_of_who_answered => |backend: Backend| {
        for (audience, expected) in [("non-respondents", 1), ("everyone", 2)] {
            let sink = SmtpSink::start();
            let app = TestApp::builder(backend).smtp(&sink).start();
            let slug = app.import_and_open(&invited_only(5).replace("open_link = false\n",
                &format!("open_link = false\n[reminders]\naudience = \"{audience}\"\n")));
            app.import_invitees(&slug, "email\nann@example.org\nbob@example.org\n");
            app.cli_ok(&["invite", "send", &slug]);
            let mail = sink.wait_for(2, 20);
            let ann = mail.iter().find(|m| m.recipients[0] == "ann@example.org").unwrap().link("i");
            submit_invited(&app, &slug, &ann[3..], 0);
            assert!(app.cli_ok(&["remind", &slug, "--yes"]).contains(&format!("queued {expected}")), "{audience}");
            let reminders = sink.wait_for(2 + expected, 20);
            let to: BTreeSet<&str> = reminders[2..].iter().map(|m| m.recipients[0].as_str()).collect();
            assert_eq!(to.len(), expected, "{audience}: {to:?}");
            assert!(reminders[2..].iter().all(|m| m.data.contains("If you have already answered")), "worded for those who answered");
        }
    };

    the_survey_page_says_when_mail_files_hold_every_link => |backend: Backend| {
        let warning = "that folder holds every personal invitation link";
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        assert!(admin.get(&format!("/admin/surveys/{slug}")).body.contains(warning));
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        assert!(!admin.get(&format!("/admin/surveys/{slug}")).body.contains(warning));
    };

    kill_9_between_sealing_and_release_loses_and_duplicates_nothing => |backend: Backend| {
        let db = TestDb::new(backend);
        let cli = |args: &[&str]| {
            let out = common::cli_with(&db, args, None);
            assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
            common::stdout(&out)
        };
        let file = common::write_file(db.dir(), "q.toml", SMALL_QUESTIONNAIRE);
        cli(&["survey", "import", file.to_str().unwrap()]);
        cli(&["survey", "open", "test-survey"]);
        let mut sent = 0;
        let mut submit_to = |addr: &str, count: usize| {
            for _ in 0..count {
                let reply = ureq::post(&format!("http://{addr}/api/v1/surveys/test-survey/responses"))
                    .send_json(serde_json::json!({"answers": {"agency": "council", "thresholds": "agree", "comment": answer(sent)}}))
                    .unwrap();
                assert_eq!(reply.status(), 201);
                sent += 1;
            }
        };
        // Sealed and acknowledged, then killed before any release.
        let (mut server, addr) = spawn_server(&db, "3600");
        submit_to(&addr, 7);
        kill_9(&mut server);
        let mut conn = db.connect();
        assert_eq!((count_rows(&mut conn, "waiting_responses"), count_rows(&mut conn, "responses")), (7, 0));
        // Restarted: 3 more make 10 = 2k waiting, so the release task releases 5.
        let (mut server, addr) = spawn_server(&db, "1");
        submit_to(&addr, 3);
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while count_rows(&mut conn, "responses") == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        kill_9(&mut server);
        assert_eq!((count_rows(&mut conn, "waiting_responses"), count_rows(&mut conn, "responses")), (5, 5));
        cli(&["survey", "close", "test-survey"]);
        let answers = text_lines(&mut conn, "SELECT answers AS line FROM responses");
        for i in 0..sent {
            assert_eq!(answers.iter().filter(|a| a.contains(&answer(i))).count(), 1, "answer {i} exactly once");
        }
        assert_eq!((answers.len(), count_rows(&mut conn, "waiting_responses")), (10, 0));
    };

    two_server_processes_releasing_one_database_never_release_a_response_twice => |backend: Backend| {
        let k = 5;
        let db = TestDb::new(backend);
        let cli = |args: &[&str]| {
            let out = common::cli_with(&db, args, None);
            assert!(out.status.success(), "{args:?}: {}", common::stderr(&out));
        };
        let file = common::write_file(db.dir(), "q.toml", &with_k(k));
        cli(&["survey", "import", file.to_str().unwrap()]);
        cli(&["survey", "open", "test-survey"]);
        // Two instances over one database, each releasing every second.
        let (mut first, first_addr) = spawn_server(&db, "1");
        let (mut second, second_addr) = spawn_server(&db, "1");
        let sent = 60;
        let handles: Vec<_> = [first_addr, second_addr]
            .into_iter()
            .enumerate()
            .map(|(instance, addr)| {
                std::thread::spawn(move || {
                    for i in (instance..sent).step_by(2) {
                        let reply = ureq::post(&format!("http://{addr}/api/v1/surveys/test-survey/responses"))
                            .send_json(serde_json::json!({"answers": {"agency": "council", "thresholds": "agree", "comment": answer(i)}}))
                            .unwrap();
                        assert_eq!(reply.status(), 201);
                        std::thread::sleep(Duration::from_millis(30));
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let mut conn = db.connect();
        // Both release tasks ran against the stream: wait until they have left what they keep.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while count_rows(&mut conn, "waiting_responses") >= 2 * k as i64 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
        let released_while_open = count_rows(&mut conn, "responses");
        assert!(released_while_open >= k as i64, "the release tasks released while open");
        kill_9(&mut first);
        kill_9(&mut second);
        cli(&["survey", "close", "test-survey"]);
        let answers = text_lines(&mut conn, "SELECT answers AS line FROM responses");
        for i in 0..sent {
            assert_eq!(answers.iter().filter(|a| a.contains(&answer(i))).count(), 1, "answer {i} exactly once");
        }
        assert_eq!((answers.len(), count_rows(&mut conn, "waiting_responses")), (sent, 0));
    };
}

#[test]
fn replaying_the_sqlite_wal_commit_by_commit_links_nothing() {
    let k = 3;
    let (_sink, app, slug, tokens) = invited(Backend::Sqlite, 6, k, "3600");
    // A reader keeps one old snapshot open, so no checkpoint can empty the log: every
    // commit from here on stays in the -wal for the attacker to replay.
    let mut reader = app.db.connect();
    reader
        .batch_execute("BEGIN; SELECT COUNT(*) FROM invitations;")
        .unwrap();
    for (i, token) in tokens.iter().enumerate() {
        if i % 2 == 0 {
            submit_invited_by_pages(&app, &slug, token, i);
        } else {
            submit_invited(&app, &slug, token, i);
        }
    }
    app.cli_ok(&["survey", "close", &slug]);
    let wal = std::fs::read(app.db.dir().join("data").join("candour.sqlite3-wal")).unwrap();
    reader.batch_execute("COMMIT;").unwrap();

    let commits = wal_commits(&wal);
    let mut completions = 0;
    let mut releases = 0;
    for (n, pages) in commits.iter().enumerate() {
        let bytes: Vec<u8> = pages.concat();
        let touches_invitations = find(&bytes, b"@example.org").is_some();
        let answers: BTreeSet<usize> = (0..tokens.len())
            .filter(|i| find(&bytes, answer(*i).as_bytes()).is_some())
            .collect();
        assert!(
            !touches_invitations || answers.is_empty(),
            "commit {n} changes invitation pages and holds answers {answers:?}"
        );
        if touches_invitations {
            completions += 1;
        }
        if !answers.is_empty() {
            releases += 1;
            assert!(
                answers.len() >= k,
                "commit {n} adds fewer than k answers: {answers:?}"
            );
        }
    }
    assert!(
        completions >= 1 && releases >= 1,
        "the log held completions ({completions}) and a release ({releases})"
    );
}

/// The committed transactions of a SQLite WAL file, each as the pages it wrote.
fn wal_commits(wal: &[u8]) -> Vec<Vec<Vec<u8>>> {
    let be = |at: usize| u32::from_be_bytes(wal[at..at + 4].try_into().unwrap());
    assert!(wal.len() >= 32, "a WAL header");
    let page_size = be(8) as usize;
    let salts = &wal[16..24];
    let mut commits = Vec::new();
    let mut pending = Vec::new();
    let mut at = 32;
    while at + 24 + page_size <= wal.len() {
        if &wal[at + 8..at + 16] != salts {
            break;
        }
        let commit_size = be(at + 4);
        pending.push(wal[at + 24..at + 24 + page_size].to_vec());
        if commit_size != 0 {
            commits.push(std::mem::take(&mut pending));
        }
        at += 24 + page_size;
    }
    commits
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Kendall's tau of a sequence against its sorted order: 1 when sorted, about 0 when random.
fn kendall_tau(order: &[usize]) -> f64 {
    let n = order.len();
    let mut score = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            score += if order[i] < order[j] { 1 } else { -1 };
        }
    }
    score as f64 / (n * (n - 1) / 2) as f64
}

/// The real binary over `db`, releasing every `release_seconds`; returns it and its address.
fn spawn_server(db: &TestDb, release_seconds: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candour"))
        .arg("serve")
        .current_dir(db.dir())
        .env("CANDOUR_DATABASE__URL", &db.url)
        .env("CANDOUR_SECURITY__KEY_FILE", db.key_file())
        .env("CANDOUR_SERVER__BIND", "127.0.0.1:0")
        .env("CANDOUR_SERVER__WORKERS", "1")
        .env("CANDOUR_RESPONSES__RELEASE_SECONDS", release_seconds)
        .env("CANDOUR_MAIL__FILE_DIR", db.dir().join("mail"))
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start candour");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let addr = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the server exited early"
        );
        if let Some(rest) = line.strip_prefix("Candour is listening on http://") {
            break rest.trim().trim_end_matches('/').to_owned();
        }
    };
    // Keep reading its output so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in stdout.lines() {});
    (child, addr)
}

fn kill_9(child: &mut Child) {
    let status = Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait();
}
