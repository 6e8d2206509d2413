//! The hostile-input corpus (tests/fuzz/, listed in tests/fuzz/manifest.toml) sent through the
//! real server on both backends: malformed JSON, deep nesting, huge numbers, duplicate keys at
//! several depths, every C0 control character, odd content types and charsets, invalid UTF-8,
//! oversize bodies and form bodies with odd encodings. Each case gets its class's status and
//! never a server error, and nothing is stored from a refused body. Then a seeded mutation
//! loop over a valid body, and a flood of `/start`: bounded in count, seconds in time.

mod common;

use std::path::Path;

use common::{Backend, Browser, TestApp, SMALL_QUESTIONNAIRE};
use rand::{Rng, SeedableRng};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Route {
    Api,
    Page,
    Submit,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum C0 {
    Escaped,
    Raw,
    Percent,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    route: Route,
    status: u16,
    class: String,
    content_type: Option<String>,
    c0: Option<C0>,
    whitespace_status: Option<u16>,
    nest: Option<usize>,
    fill_times: Option<usize>,
}

/// One request to send: a label for messages, the body and the status expected.
struct Sent {
    label: String,
    body: Vec<u8>,
    status: u16,
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz");
    let text = std::fs::read_to_string(dir.join("manifest.toml")).expect("the manifest");
    let manifest: Manifest = toml::from_str(&text).expect("a valid manifest");
    let listed: std::collections::HashSet<&str> =
        manifest.case.iter().map(|c| c.file.as_str()).collect();
    for sub in ["api", "form"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("a corpus folder") {
            let name = format!(
                "{sub}/{}",
                entry.expect("a file").file_name().to_string_lossy()
            );
            assert!(listed.contains(name.as_str()), "{name} is in the manifest");
        }
    }
    manifest.case
}

fn replace(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + with.len());
    let mut rest = haystack;
    while let Some(at) = rest.windows(needle.len()).position(|w| w == needle) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(with);
        rest = &rest[at + needle.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// A case's requests: one, or one per C0 control character.
fn expand(case: &Case) -> Vec<Sent> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz")
        .join(&case.file);
    let mut body = std::fs::read(&path).expect("a corpus file");
    if let Some(levels) = case.nest {
        let nested = format!("{}1{}", "[".repeat(levels), "]".repeat(levels));
        body = replace(&body, b"@@NEST@@", nested.as_bytes());
    }
    if let Some(times) = case.fill_times {
        body = replace(&body, b"@@FILL@@", "x".repeat(times).as_bytes());
    }
    let label = format!("{} [{}]", case.file, case.class);
    let Some(c0) = case.c0 else {
        return vec![Sent {
            label,
            body,
            status: case.status,
        }];
    };
    (0u8..0x20)
        .map(|byte| {
            let written = match c0 {
                C0::Escaped => format!("\\u{byte:04x}").into_bytes(),
                C0::Raw => vec![byte],
                C0::Percent => format!("%{byte:02X}").into_bytes(),
            };
            let whitespace = matches!(byte, b'\t' | b'\n' | b'\r');
            Sent {
                label: format!("{label} with 0x{byte:02x}"),
                body: replace(&body, b"@@C0@@", &written),
                status: match case.whitespace_status {
                    Some(status) if whitespace => status,
                    _ => case.status,
                },
            }
        })
        .collect()
}

/// A POST with exactly this content type (or none) and body: the status and body.
fn post(browser: &Browser, url: &str, content_type: Option<&str>, body: &[u8]) -> (u16, String) {
    let mut request = browser.agent.post(url);
    if let Some(content_type) = content_type {
        request = request.set("Content-Type", content_type);
    }
    match request.send_bytes(body) {
        Ok(reply) => (reply.status(), reply.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(status, reply)) => {
            (status, reply.into_string().unwrap_or_default())
        }
        Err(error) => panic!("{url}: {error}"),
    }
}

/// A browser with an open-link draft whose first page is answered (the form routes need one;
/// the corpus answers the second, and its one `submit` case without a refusal sends it).
fn drafting(app: &TestApp, slug: &str) -> Browser {
    let browser = app.browser();
    assert_eq!(
        browser.post_form(&format!("/s/{slug}/start"), &[]).status,
        303
    );
    let first = browser.post_form(&format!("/s/{slug}/page/1"), &[("agency", "council")]);
    assert_eq!(first.status, 303, "{}", first.body);
    browser
}

fn valid_body() -> &'static [u8] {
    br#"{"answers": {"agency": "council", "thresholds": "agree", "training": ["Neglect"], "caseload": 12, "comment": "Fine"}}"#
}

on_both_backends! {
    every_corpus_case_gets_its_status_and_refused_bodies_store_nothing => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let api = app.browser();
        let form = drafting(&app, &slug);
        let mut sent = 0;
        let mut stored = 0;
        let mut wrong = Vec::new();
        for case in corpus() {
            let (url, browser, default_type) = match case.route {
                Route::Api => (app.url(&format!("/api/v1/surveys/{slug}/responses")), &api, "application/json"),
                Route::Page => (app.url(&format!("/s/{slug}/page/2")), &form, "application/x-www-form-urlencoded"),
                Route::Submit => (app.url(&format!("/s/{slug}/submit")), &form, "application/x-www-form-urlencoded"),
            };
            let content_type = match case.content_type.as_deref() {
                Some("(none)") => None,
                Some(declared) => Some(declared),
                None => Some(default_type),
            };
            for request in expand(&case) {
                let before = app.waiting();
                let (status, body) = post(browser, &url, content_type, &request.body);
                sent += 1;
                assert!(status < 500, "{}: a server error {status}: {body}", request.label);
                if status != request.status {
                    wrong.push(format!("{}: {status}, expected {}: {body:.200}", request.label, request.status));
                }
                if case.route == Route::Api && status != 201 {
                    assert!(serde_json::from_str::<serde_json::Value>(&body).is_ok_and(|b| b["code"].is_string() && b["message"].is_string() && b["problems"].is_array()),
                        "{}: a JSON error: {body:.200}", request.label);
                }
                let grown = app.waiting() - before;
                let sent_response = status == 201 || (case.route == Route::Submit && status == 303);
                assert_eq!(grown, i64::from(sent_response), "{}: stored {grown}", request.label);
                stored += grown;
            }
        }
        assert!(wrong.is_empty(), "{} of {sent} requests got another status:\n{}", wrong.len(), wrong.join("\n"));
        assert!(sent > 150, "the whole corpus was sent ({sent})");
        assert_eq!(app.waiting(), stored, "only accepted bodies were stored");
        assert_eq!(app.count("responses"), 0);
    };

    seeded_mutations_of_a_valid_body_never_get_a_server_error => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let api = app.browser();
        let url = app.url(&format!("/api/v1/surveys/{slug}/responses"));
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x00ca_dd0e);
        let mut accepted = 0;
        for round in 0..300 {
            let body = mutate(&mut rng, valid_body());
            let (status, reply) = post(&api, &url, Some("application/json"), &body);
            assert!(
                matches!(status, 201 | 400 | 422),
                "mutation {round} {:?}: {status} {reply:.200}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            );
            accepted += i64::from(status == 201);
        }
        assert_eq!(app.waiting(), accepted, "exactly the accepted mutations were stored");
        assert!(0 < accepted && accepted < 300, "the mutations were both kept and refused: {accepted}");
        let form = drafting(&app, &slug);
        let page = app.url(&format!("/s/{slug}/page/2"));
        for round in 0..100 {
            let body = mutate(&mut rng, b"thresholds=agree&training=Neglect&caseload=12&comment=fine+words%21");
            let (status, reply) = post(&form, &page, Some("application/x-www-form-urlencoded"), &body);
            assert!(
                matches!(status, 303 | 400 | 422),
                "form mutation {round} {:?}: {status} {reply:.200}",
                String::from_utf8_lossy(&body)
            );
        }
        assert_eq!(app.waiting(), accepted, "a draft page stores no response");
    };

    a_flood_of_start_gets_no_server_error => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let url = app.url(&format!("/s/{slug}/start"));
        let threads: Vec<_> = (0..4).map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                (0..50).map(|_| {
                    // A fresh client each time: no cookie, as a flood would send.
                    let agent = ureq::AgentBuilder::new().redirects(0).build();
                    match agent.post(&url).send_bytes(b"") {
                        Ok(reply) => reply.status(),
                        Err(ureq::Error::Status(status, _)) => status,
                        Err(error) => panic!("{error}"),
                    }
                }).collect::<Vec<u16>>()
            })
        }).collect();
        let statuses: Vec<u16> = threads.into_iter().flat_map(|t| t.join().expect("a client")).collect();
        assert_eq!(statuses.len(), 200);
        assert!(statuses.iter().all(|&s| s < 500), "{statuses:?}");
        assert_eq!(app.browser().get("/readyz").status, 200, "still ready");
        let after = post(&app.browser(), &app.url(&format!("/api/v1/surveys/{slug}/responses")),
            Some("application/json"), valid_body());
        assert_eq!(after.0, 201, "still answering: {}", after.1);
    };
}

/// One to three random edits of `base`: flipping, inserting, deleting or repeating bytes,
/// inserting JSON-ish punctuation or control characters.
fn mutate(rng: &mut impl Rng, base: &[u8]) -> Vec<u8> {
    const PIECES: &[&[u8]] = &[
        b"{",
        b"}",
        b"[",
        b"]",
        b"\"",
        b":",
        b",",
        b"\\",
        b"\\u0000",
        b"\\ud800",
        b"\x00",
        b"\x1b",
        b"\xff",
        b"\xc3",
        b"1e999",
        b"-",
        b"null",
        b"%",
        b"%FF",
        b"&",
        b"=",
        b"+",
        b"\"agency\": \"police\", ",
    ];
    let mut body = base.to_vec();
    for _ in 0..rng.random_range(1..=3) {
        let at = rng.random_range(0..=body.len());
        match rng.random_range(0..5) {
            0 if at < body.len() => body[at] ^= 1 << rng.random_range(0..8),
            1 => body.insert(at, rng.random()),
            2 if at < body.len() => {
                let end = rng.random_range(at..=body.len().min(at + 8));
                body.drain(at..end);
            }
            3 => {
                let end = rng.random_range(at..=body.len().min(at + 16));
                let copy = body[at..end].to_vec();
                body.splice(at..at, copy);
            }
            _ => {
                let piece = PIECES[rng.random_range(0..PIECES.len())];
                body.splice(at..at, piece.iter().copied());
            }
        }
    }
    body
}
