//! `Idempotency-Key` on `POST /api/v1/surveys/{slug}/responses`: a retry answers the first
//! result and stores nothing twice; the key is kept only as a keyed hash, scoped to the
//! survey and invitation, linked to no response, and forgotten when the survey closes.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::{Arc, Barrier};

use candour::messages::idempotency::{KEY_MALFORMED, KEY_REUSED};
use candour::respond::idempotency::{IdempotencyKey, KeyHasher};
use candour::respond::writer::{Claim, Submission, WriteError};
use candour::respond::ResponseWriter;
use common::{
    count_rows, raw_database_bytes, text_lines, Backend, Reply, SmtpSink, TestApp,
    SMALL_QUESTIONNAIRE,
};
use serde_json::{json, Value};

fn path(slug: &str) -> String {
    format!("/api/v1/surveys/{slug}/responses")
}

/// A JSON POST with an `Idempotency-Key`.
fn post_keyed(app: &TestApp, slug: &str, key: &str, body: &Value) -> Reply {
    post_raw_keyed(app, slug, key, body.to_string().as_bytes())
}

fn post_raw_keyed(app: &TestApp, slug: &str, key: &str, body: &[u8]) -> Reply {
    let response = app
        .browser()
        .agent
        .post(&app.url(&path(slug)))
        .set("Content-Type", "application/json")
        .set("Idempotency-Key", key)
        .send_bytes(body);
    let response = match response {
        Ok(response) => response,
        Err(ureq::Error::Status(_, response)) => response,
        Err(error) => panic!("request failed: {error}"),
    };
    Reply {
        status: response.status(),
        headers: Vec::new(),
        body: response.into_string().unwrap_or_default(),
    }
}

/// A request written byte for byte (for header values an HTTP client would refuse to send):
/// the status and the body.
fn raw_request(app: &TestApp, head: &[u8], body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(app.addr).expect("connect");
    stream.write_all(head).expect("write the head");
    stream
        .write_all(
            format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        )
        .expect("write the length");
    // A head the HTTP parser refuses is answered, and the connection closed, before the body
    // is read: writing the rest may then meet a closed socket, and the answer is still there.
    let _ = stream.write_all(body);
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    assert!(!reply.is_empty(), "no reply at all");
    let text = String::from_utf8_lossy(&reply).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {text}"));
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn answers(agency: &str) -> Value {
    json!({"answers": {"agency": agency, "thresholds": "agree", "training": ["Neglect"]}})
}

fn keys_stored(app: &TestApp) -> i64 {
    app.count("idempotency_keys")
}

/// The small questionnaire, open link or not, with `n` invitees sent their links: the tokens.
fn invited(backend: Backend, n: usize) -> (SmtpSink, TestApp, String, Vec<String>) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend).smtp(&sink).start();
    let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
    let csv: String = std::iter::once("email".to_owned())
        .chain((0..n).map(|i| format!("person{i}@example.org")))
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

on_both_backends! {
    a_repeat_answers_the_first_result_and_stores_once => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let first = post_keyed(&app, &slug, "retry-0001", &answers("council"));
        assert_eq!(first.status, 201, "{}", first.body);
        // The same body with its keys in another order is the same body.
        let reordered = br#"{"answers": {"training": ["Neglect"], "thresholds": "agree", "agency": "council"}}"#;
        for _ in 0..3 {
            let again = post_raw_keyed(&app, &slug, "retry-0001", reordered);
            assert_eq!((again.status, again.json()), (first.status, first.json()), "{}", again.body);
        }
        assert_eq!(app.waiting(), 1, "stored once");
        assert_eq!(keys_stored(&app), 1);
        let days = text_lines(&mut app.db.connect(), "SELECT CAST(submissions AS TEXT) AS line FROM submission_days");
        assert_eq!(days, ["1"], "counted once");
        // Another key is another response, even with the same answers.
        assert_eq!(post_keyed(&app, &slug, "retry-0002", &answers("council")).status, 201);
        assert_eq!(app.waiting(), 2);
        app.release_all(&slug);
        assert_eq!(app.stored_answers().len(), 2);
    };

    the_same_key_with_another_body_is_refused => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        assert_eq!(post_keyed(&app, &slug, "k-1", &answers("council")).status, 201);
        let other = post_keyed(&app, &slug, "k-1", &answers("police"));
        assert_eq!(other.status, 422, "{}", other.body);
        assert_eq!(other.json(), json!({"code": "idempotency_key_reused", "message": KEY_REUSED, "problems": []}));
        assert_eq!(app.waiting(), 1, "nothing more stored");
        assert_eq!(post_keyed(&app, &slug, "k-1", &answers("council")).status, 201, "the first body still replays");
        assert_eq!(app.waiting(), 1);
    };

    a_refused_submission_leaves_no_key_behind => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let invalid = post_keyed(&app, &slug, "k-2", &json!({"answers": {"agency": "fire"}}));
        assert_eq!(invalid.status, 422, "{}", invalid.body);
        let malformed = post_raw_keyed(&app, &slug, "k-2", b"{\"answers\": ");
        assert_eq!(malformed.status, 400);
        assert_eq!(keys_stored(&app) + app.waiting(), 0);
        let fixed = post_keyed(&app, &slug, "k-2", &answers("police"));
        assert_eq!(fixed.status, 201, "the key is free for the corrected body: {}", fixed.body);
        assert_eq!((keys_stored(&app), app.waiting()), (1, 1));
    };

    malformed_keys_are_refused => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let body = answers("council").to_string();
        let long = "k".repeat(256);
        let head = |key_lines: &[u8]| -> Vec<u8> {
            let mut head = format!(
                "POST {} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n",
                path(&slug)
            )
            .into_bytes();
            head.extend_from_slice(key_lines);
            head
        };
        let cases: Vec<Vec<u8>> = vec![
            b"Idempotency-Key: \r\n".to_vec(),
            format!("Idempotency-Key: {long}\r\n").into_bytes(),
            b"Idempotency-Key: two words\r\n".to_vec(),
            b"Idempotency-Key: tab\tinside\r\n".to_vec(),
            "Idempotency-Key: caf\u{e9}\r\n".as_bytes().to_vec(),
            b"Idempotency-Key: latin\xe9\r\n".to_vec(),
            b"Idempotency-Key: once\r\nIdempotency-Key: twice\r\n".to_vec(),
        ];
        for key_lines in cases {
            let (status, reply) = raw_request(&app, &head(&key_lines), body.as_bytes());
            assert_eq!(status, 400, "{:?}: {reply}", String::from_utf8_lossy(&key_lines));
            let reply: Value = serde_json::from_str(&reply).expect("a JSON error");
            assert_eq!(reply["code"], "idempotency_key_malformed");
            assert_eq!(reply["message"], KEY_MALFORMED);
        }
        // DEL in a header is refused by the HTTP parser itself, before any handler.
        let (status, _) = raw_request(&app, &head(b"Idempotency-Key: del\x7f\r\n"), body.as_bytes());
        assert_eq!(status, 400);
        assert_eq!(keys_stored(&app) + app.waiting(), 0, "nothing stored");
        let longest = "k".repeat(255);
        let (status, reply) = raw_request(&app, &head(format!("Idempotency-Key: {longest}\r\n").as_bytes()), body.as_bytes());
        assert_eq!(status, 201, "255 visible characters are a key: {reply}");
        assert_eq!(keys_stored(&app), 1);
    };

    concurrent_repeats_store_once => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let url = app.url(&path(&slug));
        for round in 0..3 {
            let key = format!("concurrent-{round}");
            let barrier = Arc::new(Barrier::new(8));
            let threads: Vec<_> = (0..8).map(|_| {
                let (url, key, barrier) = (url.clone(), key.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let reply = ureq::post(&url)
                        .set("Idempotency-Key", &key)
                        .send_json(answers("police"))
                        .expect("the first result");
                    (reply.status(), reply.into_string().expect("a body"))
                })
            }).collect();
            for thread in threads {
                let (status, body) = thread.join().expect("a client thread");
                assert_eq!((status, body.as_str()), (201, r#"{"status":"stored"}"#));
            }
        }
        assert_eq!(app.waiting(), 3, "each key stored once");
        assert_eq!(keys_stored(&app), 3);
    };

    keys_are_scoped_to_the_invitation => |backend: Backend| {
        let (_sink, app, slug, tokens) = invited(backend, 3);
        let invited_body = |token: &str| json!({"token": token, "answers": {"agency": "council", "thresholds": "agree"}});
        assert_eq!(post_keyed(&app, &slug, "same-key", &invited_body(&tokens[0])).status, 201);
        // A retry through the same invitation gets the first result, not "already responded".
        let again = post_keyed(&app, &slug, "same-key", &invited_body(&tokens[0]));
        assert_eq!(again.status, 201, "{}", again.body);
        let unkeyed = app.browser().post_json(&path(&slug), &invited_body(&tokens[0]));
        assert_eq!(unkeyed.status, 409, "without the key it is a second response: {}", unkeyed.body);
        // The same key through another invitation, or the open link, is another response.
        assert_eq!(post_keyed(&app, &slug, "same-key", &invited_body(&tokens[1])).status, 201);
        assert_eq!(post_keyed(&app, &slug, "same-key", &answers("police")).status, 201);
        assert_eq!(app.waiting(), 3);
        assert_eq!(keys_stored(&app), 3);
        // Concurrent retries through one invitation: one response, every answer the first result.
        let url = app.url(&path(&slug));
        let barrier = Arc::new(Barrier::new(6));
        let threads: Vec<_> = (0..6).map(|_| {
            let (url, barrier, body) = (url.clone(), barrier.clone(), invited_body(&tokens[2]));
            std::thread::spawn(move || {
                barrier.wait();
                match ureq::post(&url).set("Idempotency-Key", "invited-retry").send_json(body) {
                    Ok(reply) => reply.status(),
                    Err(ureq::Error::Status(status, _)) => status,
                    Err(error) => panic!("{error}"),
                }
            })
        }).collect();
        let statuses: Vec<u16> = threads.into_iter().map(|t| t.join().expect("a client")).collect();
        assert_eq!(statuses, [201; 6]);
        assert_eq!(app.waiting(), 4);
    };

    the_stored_keys_hold_no_plaintext_and_match_no_response => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let keys: Vec<String> = (0..6).map(|i| format!("plaintext-idempotency-key-{i:02}")).collect();
        for key in &keys {
            assert_eq!(post_keyed(&app, &slug, key, &answers("council")).status, 201);
        }
        let mut conn = app.db.connect();
        let columns = match backend {
            Backend::Sqlite => text_lines(&mut conn, "SELECT name AS line FROM pragma_table_info('idempotency_keys') ORDER BY cid"),
            Backend::Postgres => text_lines(&mut conn, "SELECT column_name::text AS line FROM information_schema.columns WHERE table_name = 'idempotency_keys' ORDER BY ordinal_position"),
        };
        assert_eq!(columns, ["key_hash", "survey_id", "fingerprint"], "no response, invitation or time");
        let hashes = text_lines(&mut conn, "SELECT key_hash AS line FROM idempotency_keys");
        let fingerprints = text_lines(&mut conn, "SELECT fingerprint AS line FROM idempotency_keys");
        assert_eq!(hashes.len(), 6);
        let mut distinct = fingerprints.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 6, "the same answers under six keys leave six unrelated fingerprints");
        for value in hashes.iter().chain(&fingerprints) {
            assert_eq!(value.len(), 64);
            assert!(value.chars().all(|c| c.is_ascii_hexdigit()));
            assert!(keys.iter().all(|k| !value.contains(k.as_str())));
        }
        if backend == Backend::Sqlite {
            // WITHOUT ROWID: a plain scan returns keys in hash order, not arrival order.
            let mut sorted = hashes.clone();
            sorted.sort();
            assert_eq!(hashes, sorted);
        }
        let waiting = text_lines(&mut conn, match backend {
            Backend::Sqlite => "SELECT id || ' ' || lower(hex(sealed)) AS line FROM waiting_responses",
            Backend::Postgres => "SELECT id || ' ' || encode(sealed, 'hex') AS line FROM waiting_responses",
        });
        app.release_all(&slug);
        let released = text_lines(&mut conn, "SELECT id || ' ' || answers AS line FROM responses");
        assert_eq!(released.len(), 6);
        for row in waiting.iter().chain(&released) {
            for value in hashes.iter().chain(&fingerprints) {
                assert!(!row.contains(value.as_str()), "a response row shares {value}");
                assert!(!value.contains(&row[..32]), "a key row holds a response id");
            }
        }
        let bytes = raw_database_bytes(&app);
        for key in &keys {
            assert!(find(&bytes, key.as_bytes()).is_none(), "{key} in the database's files");
        }
    };

    keys_are_forgotten_when_the_survey_closes => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let other = app.import_and_open(&SMALL_QUESTIONNAIRE.replace("slug = \"test-survey\"", "slug = \"other-survey\""));
        for i in 0..3 {
            assert_eq!(post_keyed(&app, &slug, &format!("close-{i}"), &answers("council")).status, 201);
        }
        assert_eq!(post_keyed(&app, &other, "close-0", &answers("council")).status, 201);
        assert_eq!(keys_stored(&app), 4);
        app.cli_ok(&["survey", "close", &slug]);
        assert_eq!(app.waiting(), 1, "closing released the survey's responses");
        let left = text_lines(&mut app.db.connect(), "SELECT CAST(survey_id AS TEXT) AS line FROM idempotency_keys");
        let other_id = candour::db::surveys::find_by_slug(&mut app.db.connect(), &other)
            .expect("read").expect("the other survey").id;
        assert_eq!(left, [other_id.to_string()], "only the open survey's key is left");
        let late = post_keyed(&app, &slug, "close-0", &answers("council"));
        assert_eq!(late.status, 409, "a retry after the close meets the closed survey: {}", late.body);
        assert_eq!(count_rows(&mut app.db.connect(), "responses"), 3);
    };

    keys_are_forgotten_when_the_closing_day_passes => |backend: Backend| {
        let app = TestApp::builder(backend).setting("responses.release_seconds", "1").start();
        let today = app.clock.now().date();
        let slug = app.import_and_open(&SMALL_QUESTIONNAIRE.replace(
            "min_group_size = 5\n", &format!("min_group_size = 5\ncloses_on = {today}\n")));
        assert_eq!(post_keyed(&app, &slug, "closing-day", &answers("council")).status, 201);
        assert_eq!((keys_stored(&app), app.waiting()), (1, 1));
        app.clock.advance(chrono::Duration::days(1));
        // The release task (every second) releases everything once the day has passed.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while (keys_stored(&app), app.waiting()) != (0, 0) && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert_eq!((keys_stored(&app), app.waiting()), (0, 0));
        assert_eq!(app.count("responses"), 1);
    };

    the_writer_stores_each_key_once_however_it_batches => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        // Within one batch (or across batches, as the writer happens to take them): the first
        // of a key is stored, its repeats share its result, another body under it is refused.
        let outcomes = write_at_once(&app, &slug, &[
            ("a", "first"), ("a", "first"), ("b", "other"), ("a", "changed"), ("a", "first"), ("b", "other"),
        ]);
        let summary: Vec<&str> = outcomes.iter().map(|o| match o {
            Ok(()) => "ok",
            Err(WriteError::KeyReused) => "reused",
            Err(_) => "other",
        }).collect();
        assert_eq!(summary, ["ok", "ok", "ok", "reused", "ok", "ok"]);
        assert_eq!((app.waiting(), keys_stored(&app)), (2, 2));
        // Later batches find the keys stored.
        let again = write_at_once(&app, &slug, &[("a", "changed"), ("b", "other"), ("c", "new")]);
        assert!(matches!(again[..], [Err(WriteError::KeyReused), Ok(()), Ok(())]), "{again:?}");
        assert_eq!((app.waiting(), keys_stored(&app)), (3, 3));
    };
}

/// Drives the response writer directly: `n` submissions queued at once on the open link,
/// each with the given key's fingerprint label; their outcomes in queue order.
fn write_at_once(app: &TestApp, slug: &str, keyed: &[(&str, &str)]) -> Vec<Result<(), WriteError>> {
    let survey_id = candour::db::surveys::find_by_slug(&mut app.db.connect(), slug)
        .expect("read")
        .expect("the survey")
        .id;
    let key = std::fs::read_to_string(app.db.key_file()).expect("the server's key file");
    let key = candour::secrets::SecretKey::parse(&key).expect("a valid key");
    let hasher = KeyHasher::new(&key);
    let seal = candour::release::ResponseSeal::new(&key);
    let (writer, thread) = ResponseWriter::start(app.db.database(), 64, 64, Default::default());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let outcomes = runtime.block_on(async {
        // Spawned tasks are first polled in order, so they are queued in this order.
        let tasks: Vec<_> = keyed
            .iter()
            .map(|(key, answers)| {
                let key = IdempotencyKey::parse(key.as_bytes()).expect("a key");
                let answers = json!({"comment": answers});
                let fingerprint = hasher.fingerprint(&key, answers.as_object().expect("an object"));
                let stored = hasher.stored_key(&key, survey_id, None, fingerprint);
                let submission = Submission {
                    row: seal.seal(survey_id, &answers.to_string()),
                    day: app.clock.now().date(),
                    claim: Claim::Nothing,
                };
                let writer = writer.clone();
                tokio::spawn(async move { writer.submit_keyed(submission, Some(stored)).await })
            })
            .collect();
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("a task"));
        }
        outcomes
    });
    drop(writer);
    thread.join();
    outcomes
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
