//! The results page, downloads and the results API over HTTP: figures and suppression for a
//! known response set, breakdowns, roles (viewer, admin, API tokens), the audit log, and
//! downloads read back with a strict CSV parser and a real XLSX reader.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::{submit, Backend, Browser, TestApp, SMALL_QUESTIONNAIRE};
use serde_json::{json, Value};

/// 6 council, 4 police, 5 health (15 in all). By hand, "I understand the thresholds":
/// overall agree 7 (46.7%), strongly agree 1 (6.7%), disagree 2 (13.3%), neither 5 (33.3%);
/// % agree 8/15 = 53.3; score (7×75 + 100 + 2×25 + 5×50) / 15 = 61.7. Council: agree 3 (50%),
/// strongly agree 1 (16.7%), disagree 2 (33.3%). By agency, police (4) and "not answered"
/// (0) are suppressed and hold 4 together, so health (5) is suppressed too.
fn fill(app: &TestApp, slug: &str) {
    let council = [
        "agree",
        "agree",
        "agree",
        "strongly-agree",
        "disagree",
        "disagree",
    ];
    for (i, answer) in council.iter().enumerate() {
        let mut answers = json!({"agency": "council", "thresholds": answer});
        if i == 0 {
            answers["comment"] = json!("Supervision helps");
        }
        submit(app, slug, answers);
    }
    for _ in 0..4 {
        submit(
            app,
            slug,
            json!({"agency": "police", "thresholds": "agree"}),
        );
    }
    for _ in 0..5 {
        submit(
            app,
            slug,
            json!({"agency": "Health", "thresholds": "neither"}),
        );
    }
    app.release_all(slug);
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// The records of a CSV body, read strictly (every record as wide as the header).
fn csv_records(body: &[u8]) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(body);
    reader
        .records()
        .map(|r| {
            r.expect("a well-formed CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

fn row<'a>(records: &'a [Vec<String>], question: &str, figure: &str) -> &'a [String] {
    records
        .iter()
        .find(|r| r[1] == question && r[3] == figure)
        .unwrap_or_else(|| panic!("no row {question}/{figure} in {records:?}"))
}

fn results_question<'a>(results: &'a Value, key: &str) -> &'a Value {
    results["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .find(|q| q["key"] == key)
        .unwrap_or_else(|| panic!("no question {key}"))
}

fn downloads_by(app: &TestApp, actor: &str) -> Vec<(String, String)> {
    app.audit_entries()
        .into_iter()
        .filter(|(who, action, _)| who == actor && action.ends_with(".downloaded"))
        .map(|(_, action, detail)| (action, detail))
        .collect()
}

fn setup(backend: Backend) -> (TestApp, String, Browser, Browser) {
    let app = TestApp::builder(backend).start();
    let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
    fill(&app, &slug);
    let (admin, _) = app.enrolled("ann@example.org", "admin");
    let (viewer, _) = app.enrolled("vic@example.org", "viewer");
    (app, slug, admin, viewer)
}

on_both_backends! {
    a_viewer_reads_the_results_page_with_suppression => |backend: Backend| {
        let (app, slug, _admin, viewer) = setup(backend);
        let page = viewer.get(&format!("/admin/surveys/{slug}/results"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        assert!(html.contains("<p class=\"results-count\">15 responses</p>"), "{html}");
        assert!(html.contains("<th scope=\"col\">All responses (15)</th>"));
        assert!(html.contains("<th scope=\"row\">Agree</th><td>7 (46.7%)</td></tr>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Neither agree nor disagree</th><td>5 (33.3%)</td></tr>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Strongly disagree</th><td>0 (0%)</td></tr>"), "{html}");
        assert!(html.contains("means hidden: the figure is about fewer than 5 people, or it would let a hidden group be worked out"), "{html}");
        assert!(html.contains("<li>Supervision helps</li>"), "15 responses: comments are listed");
        assert!(html.contains("<div class=\"chart\" aria-hidden=\"true\">"));
        // In the review team's frame, with its navigation, and no inline style (CSP).
        assert!(html.contains("aria-label=\"Review team\""));
        assert!(!html.contains("style=") && !html.contains("<script"));
        // Result downloads offered to a viewer; response-level downloads are not.
        assert!(html.contains(&format!("href=\"/admin/surveys/{slug}/results.csv\"")));
        assert!(!html.contains("responses.csv"), "{html}");

        // By agency: police (4) and not answered (0) hold 4 together, so health goes too.
        let page = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown=agency"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        assert!(html.contains("<option value=\"agency\" selected>"));
        assert!(html.contains("<th scope=\"col\">Council (6)</th>"));
        assert!(html.contains("<th scope=\"col\">Police (suppressed)</th>"));
        assert!(html.contains("<th scope=\"col\">Health (suppressed)</th>"), "{html}");
        assert!(html.contains("<th scope=\"row\">Agree</th><td>7 (46.7%)</td><td>3 (50%)</td><td>suppressed</td><td>suppressed</td></tr>"), "{html}");
        assert!(!html.contains("<td>4 (100%)</td>"), "no police figure anywhere");
        assert!(!html.contains("Not answered ("), "no column for those who did not answer a required question");
        assert!(html.contains(&format!("href=\"/admin/surveys/{slug}/results.csv?breakdown=agency\"")));
        // The chooser's "No breakdown" sends an empty value.
        let none = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown="));
        assert_eq!(none.status, 200);
        assert!(!none.body.contains("Council (6)"));

        // Clear refusals, never a 500.
        for bad in ["nonsense", "thresholds"] {
            let reply = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown={bad}"));
            assert_eq!(reply.status, 400, "{bad}");
            assert!(reply.body.contains(&format!("&#34;{bad}&#34; is not a question results can be broken down by"))
                || reply.body.contains(&format!("&quot;{bad}&quot; is not a question results can be broken down by")), "{}", reply.body);
        }
        assert_eq!(viewer.get("/admin/surveys/no-such-survey/results").status, 404);
        assert_eq!(viewer.get(&format!("/admin/surveys/{slug}/results.pdf")).status, 404);
        // Every view that showed figures is in the audit log; refusals are not.
        let views: Vec<String> = app.audit_entries().into_iter()
            .filter(|(who, action, _)| who == "vic@example.org" && action == "results.viewed")
            .map(|(_, _, detail)| detail)
            .collect();
        assert_eq!(views, [
            format!("{slug}: results page, by web"),
            format!("{slug}: results page, by agency, by web"),
            format!("{slug}: results page, by web"),
        ]);
        // Signed out: to the sign-in page.
        let stranger = app.browser().get(&format!("/admin/surveys/{slug}/results"));
        assert_eq!(stranger.status, 303);
        assert_eq!(stranger.location(), "/admin/signin");
        // The survey page links to the results.
        let survey = viewer.get(&format!("/admin/surveys/{slug}"));
        assert!(survey.body.contains(&format!("href=\"/admin/surveys/{slug}/results\"")));
    };

    result_downloads_are_suppressed_parseable_and_audited => |backend: Backend| {
        let (app, slug, _admin, viewer) = setup(backend);
        let csv = viewer.download(&format!("/admin/surveys/{slug}/results.csv?breakdown=agency"), &[]);
        assert_eq!(csv.status, 200);
        assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(csv.header("content-disposition"),
            Some(format!("attachment; filename=\"{slug}-results-by-agency.csv\"").as_str()));
        assert_eq!(csv.header("cache-control"), Some("no-store"));
        let records = csv_records(&csv.bytes);
        assert_eq!(records[0][..4], ["Section", "Question", "Question text", "Figure"]);
        assert_eq!(records[0][4], "All responses: number");
        assert_eq!(records[0][6], "Council: number");
        let agree = row(&records, "thresholds", "Agree");
        assert_eq!(agree[4..8], ["7", "46.7", "3", "50"]);
        assert_eq!(agree[8], "suppressed", "police");
        assert!(agree[9..].iter().all(|c| c.is_empty() || c == "suppressed"), "{agree:?}");

        let xlsx = viewer.download(&format!("/admin/surveys/{slug}/results.xlsx"), &[]);
        assert_eq!(xlsx.status, 200);
        assert_eq!(xlsx.header("content-type"),
            Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assert_eq!(xlsx.header("content-disposition"),
            Some(format!("attachment; filename=\"{slug}-results.xlsx\"").as_str()));
        let mut book = Xlsx::new(std::io::Cursor::new(xlsx.bytes)).expect("an XLSX a reader opens");
        let names = book.sheet_names();
        assert_eq!(names[0], "About");
        let work = book.worksheet_range("2 work").expect("the work sheet");
        let agree = work.rows().find(|r| r[0] == Data::String("thresholds".into()) && r[2] == Data::String("Agree".into()))
            .expect("the agree row");
        assert_eq!(agree[3], Data::Float(7.0));
        assert_eq!(agree[4], Data::Float(46.7));

        let json = viewer.download(&format!("/admin/surveys/{slug}/results.json?breakdown=agency"), &[]);
        assert_eq!(json.status, 200);
        assert_eq!(json.header("content-type"), Some("application/json"));
        let results: Value = serde_json::from_slice(&json.bytes).unwrap();
        assert_eq!(results["responses"], 15);
        let cells = &results_question(&results, "thresholds")["cells"];
        assert_eq!(cells[0]["agree_percent"], 53.3);
        assert_eq!(cells[0]["score"], 61.7);
        assert_eq!(cells[2], json!({"suppressed": true}));
        assert_eq!(cells[3], json!({"suppressed": true}));

        // Each download is in the audit log: who, what, which survey, and no figures.
        let entries = downloads_by(&app, "vic@example.org");
        assert_eq!(entries, vec![
            ("results.downloaded".to_owned(), format!("{slug}: results as csv, by agency, by web")),
            ("results.downloaded".to_owned(), format!("{slug}: results as xlsx, by web")),
            ("results.downloaded".to_owned(), format!("{slug}: results as json, by agency, by web")),
        ]);
        // A refused download is not recorded.
        assert_eq!(viewer.download(&format!("/admin/surveys/{slug}/results.csv?breakdown=nonsense"), &[]).status, 400);
        assert_eq!(downloads_by(&app, "vic@example.org").len(), 3);
    };

    response_downloads_are_for_admins_only_and_k_anonymous => |backend: Backend| {
        let (app, slug, admin, viewer) = setup(backend);
        for path in [format!("/admin/surveys/{slug}/responses.csv"), format!("/admin/surveys/{slug}/responses.xlsx?with_text=1")] {
            assert_eq!(viewer.download(&path, &[]).status, 403, "{path}");
        }
        assert!(downloads_by(&app, "vic@example.org").is_empty());
        assert_eq!(admin.download(&format!("/admin/surveys/{slug}/responses.json"), &[]).status, 404);

        let page = admin.get(&format!("/admin/surveys/{slug}/results"));
        assert!(page.body.contains(&format!("href=\"/admin/surveys/{slug}/responses.csv\"")));
        assert!(page.body.contains(&format!("href=\"/admin/surveys/{slug}/responses.xlsx?with_text=1\"")));

        let csv = admin.download(&format!("/admin/surveys/{slug}/responses.csv"), &[]);
        assert_eq!(csv.status, 200, "{}", String::from_utf8_lossy(&csv.bytes));
        assert_eq!(csv.header("content-disposition"),
            Some(format!("attachment; filename=\"{slug}-responses.csv\"").as_str()));
        assert_eq!(csv.header("cache-control"), Some("no-store"));
        assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "a UTF-8 byte-order mark, for Excel");
        assert_eq!(csv.header("content-length"), Some(csv.bytes.len().to_string().as_str()),
            "streamed from a finished file of known length");
        let records = csv_records(&csv.bytes);
        assert_eq!(records.len(), 17, "two header rows (question text, then key) and 15 rows");
        assert_eq!(records[0][0], "Which organisation do you work for?");
        assert_eq!(records[1][0], "agency");
        assert!(!records[1].contains(&"comment".to_owned()), "free text left out unless asked for");
        let agency: Vec<&str> = records[2..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(agency.iter().filter(|a| **a == "Council").count(), 6);
        assert_eq!(agency.iter().filter(|a| **a == "suppressed").count(), 9,
            "police (4) and then health (5) generalised: every published combination has 5 or more rows");
        let agree = records[2..].iter().filter(|r| r[1] == "Agree").count();
        assert_eq!(agree, 7);

        let xlsx = admin.download(&format!("/admin/surveys/{slug}/responses.xlsx?with_text=1"), &[]);
        assert_eq!(xlsx.status, 200);
        assert_eq!(xlsx.header("content-disposition"),
            Some(format!("attachment; filename=\"{slug}-responses-with-free-text.xlsx\"").as_str()),
            "a name distinct from the download without free text");
        let mut book = Xlsx::new(std::io::Cursor::new(xlsx.bytes)).expect("an XLSX a reader opens");
        let sheet = book.worksheet_range("Responses").unwrap();
        assert_eq!(sheet.height(), 17);
        let cells: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
        assert!(cells.contains(&"comment".to_owned()));
        assert!(cells.contains(&"Supervision helps".to_owned()));
        assert!(!cells.contains(&"Police".to_owned()));

        assert_eq!(downloads_by(&app, "ann@example.org"), vec![
            ("responses.downloaded".to_owned(), format!("{slug}: responses as csv (15 rows), by web")),
            ("responses.downloaded".to_owned(), format!("{slug}: responses as xlsx, with free text (15 rows), by web")),
        ]);
    };

    responses_are_refused_below_the_minimum_group_size => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        for _ in 0..4 {
            submit(&app, &slug, json!({"agency": "council", "thresholds": "agree"}));
        }
        app.release_all(&slug);
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let reply = admin.get(&format!("/admin/surveys/{slug}/responses.csv"));
        assert_eq!(reply.status, 409);
        assert!(reply.body.contains("fewer than 5 responses"), "{}", reply.body);
        assert!(downloads_by(&app, "ann@example.org").is_empty());
        // The page says why there are no figures yet.
        let page = admin.get(&format!("/admin/surveys/{slug}/results"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Results appear once at least 5 people have responded."));
        assert!(!page.body.contains("<td>4 (100%)</td>"));
    };

    api_tokens_have_the_roles_of_their_accounts => |backend: Backend| {
        let (app, slug, admin_browser, _viewer) = setup(backend);
        let admin_token = app.api_token("ann@example.org");
        let viewer_token = app.api_token("vic@example.org");
        let api = app.browser();
        let results_path = format!("/api/v1/surveys/{slug}/results?breakdown=agency");
        let responses_path = format!("/api/v1/surveys/{slug}/responses.csv");

        // No token, a malformed one, an unknown one: 401 with a challenge.
        let unknown = bearer(&"ab".repeat(32));
        for headers in [vec![], vec![("Authorization", "Bearer nonsense")], vec![("Authorization", unknown.as_str())]] {
            let reply = api.download(&results_path, &headers);
            assert_eq!(reply.status, 401, "{headers:?}");
            assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
        }

        // A viewer token reads results, the same structure as the JSON download.
        let viewer_auth = bearer(&viewer_token);
        let reply = api.download(&results_path, &[("Authorization", &viewer_auth)]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert!(reply.header("content-disposition").is_none());
        let from_api: Value = serde_json::from_slice(&reply.bytes).unwrap();
        let download = admin_browser.download(&format!("/admin/surveys/{slug}/results.json?breakdown=agency"), &[]);
        let from_page: Value = serde_json::from_slice(&download.bytes).unwrap();
        assert_eq!(from_api, from_page);
        assert_eq!(results_question(&from_api, "thresholds")["cells"][2], json!({"suppressed": true}));

        let csv = api.download(&format!("/api/v1/surveys/{slug}/results.csv"), &[("Authorization", &viewer_auth)]);
        assert_eq!(csv.status, 200);
        assert_eq!(row(&csv_records(&csv.bytes), "thresholds", "Agree")[4..6], ["7", "46.7"]);

        // ...but not responses.
        let refused = api.download(&responses_path, &[("Authorization", &viewer_auth)]);
        assert_eq!(refused.status, 403);
        let body: Value = serde_json::from_slice(&refused.bytes).unwrap();
        assert_eq!(body["code"], "admin_only");
        assert_eq!(body["message"], "response-level downloads need an admin's API token");

        // Errors are JSON with the right status.
        let unknown_survey = api.download("/api/v1/surveys/no-such-survey/results", &[("Authorization", &viewer_auth)]);
        assert_eq!(unknown_survey.status, 404);
        let body: Value = serde_json::from_slice(&unknown_survey.bytes).unwrap();
        assert_eq!(body["code"], "survey_not_found");
        let bad = api.download(&format!("/api/v1/surveys/{slug}/results?breakdown=nonsense"), &[("Authorization", &viewer_auth)]);
        assert_eq!(bad.status, 400);
        let body: Value = serde_json::from_slice(&bad.bytes).unwrap();
        assert_eq!(body["code"], "unknown_breakdown");
        assert_eq!(body["message"], "\"nonsense\" is not a question results can be broken down by");

        // An admin token downloads responses, and it is recorded.
        let admin_auth = bearer(&admin_token);
        let rows = api.download(&responses_path, &[("Authorization", &admin_auth)]);
        assert_eq!(rows.status, 200);
        assert_eq!(rows.header("content-type"), Some("text/csv; charset=utf-8"));
        assert_eq!(csv_records(&rows.bytes).len(), 17, "two header rows and 15 rows");
        assert!(downloads_by(&app, "ann@example.org").contains(&(
            "responses.downloaded".to_owned(), format!("{slug}: responses as csv (15 rows), by API"))));
        assert!(downloads_by(&app, "vic@example.org").contains(&(
            "results.downloaded".to_owned(), format!("{slug}: results as json, by agency, by API"))));

        // Revoked: 401.
        let listing = app.cli_ok(&["token", "list"]);
        let id = listing.lines().find(|l| l.contains("ann@example.org")).and_then(|l| l.split('\t').next()).unwrap().to_owned();
        app.cli_ok(&["token", "revoke", &id]);
        assert_eq!(api.download(&responses_path, &[("Authorization", &admin_auth)]).status, 401);
        assert_eq!(api.download(&results_path, &[("Authorization", &admin_auth)]).status, 401);
        // A session cookie is no API token.
        assert_eq!(admin_browser.download(&results_path, &[]).status, 401);
    };
}
