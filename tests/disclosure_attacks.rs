//! The attacks of issue 11, each tried as a curious member of the review team would, through
//! the real server (pages, the API, downloads) and the CLI, on SQLite and PostgreSQL. Each
//! one must fail.

mod common;

use common::{stdout, submit, Backend, Browser, TestApp};
use serde_json::{json, Value};

/// k = 5; two breakdown questions; a question for the police only; a number question.
const ATTACK_QUESTIONNAIRE: &str = include_str!("fixtures/questionnaires/disclosure-attacks.toml");

/// Issue 11's numbers: 9 council (all frontline), 1 police officer (frontline), 6 voluntary,
/// 1 health and 1 education (managers). The police officer is the only one who strongly
/// disagrees, and answers the police-only question.
fn fill(app: &TestApp, slug: &str) {
    for _ in 0..9 {
        submit(
            app,
            slug,
            json!({"agency": "council", "role": "frontline", "statement": "agree"}),
        );
    }
    submit(
        app,
        slug,
        json!({"agency": "police", "role": "frontline", "statement": "strongly-disagree", "joint-visits": "No"}),
    );
    for _ in 0..6 {
        submit(
            app,
            slug,
            json!({"agency": "voluntary", "role": "manager", "statement": "neither"}),
        );
    }
    submit(
        app,
        slug,
        json!({"agency": "health", "role": "manager", "statement": "neither"}),
    );
    submit(
        app,
        slug,
        json!({"agency": "education", "role": "manager", "statement": "neither"}),
    );
    // Responses join the results in released batches (issue 10): release them all.
    app.release_all(slug);
}

fn start(backend: Backend) -> (TestApp, String, Browser, String) {
    let app = TestApp::builder(backend).start();
    let slug = app.import_and_open(ATTACK_QUESTIONNAIRE);
    let (admin, _) = app.enrolled("ann@example.org", "admin");
    let token = app.api_token("ann@example.org");
    (app, slug, admin, token)
}

fn api_results(admin: &Browser, token: &str, slug: &str, breakdown: Option<&str>) -> Value {
    let query = breakdown
        .map(|b| format!("?breakdown={b}"))
        .unwrap_or_default();
    let reply = admin.download(
        &format!("/api/v1/surveys/{slug}/results{query}"),
        &[("Authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    serde_json::from_slice(&reply.bytes).expect("JSON results")
}

fn question<'a>(results: &'a Value, key: &str) -> &'a Value {
    results["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["questions"].as_array().unwrap())
        .find(|q| q["key"] == key)
        .unwrap_or_else(|| panic!("no question {key}"))
}

/// (column label → published size) of a view.
fn sizes(results: &Value) -> Vec<(String, Option<u64>)> {
    results["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["label"].as_str().unwrap().to_owned(),
                c["responses"].as_u64(),
            )
        })
        .collect()
}

fn size(results: &Value, label: &str) -> Option<u64> {
    sizes(results)
        .into_iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no column {label}"))
        .1
}

/// Every shown count of a breakdown question's answers, in every column of a view.
fn people_counts(results: &Value, key: &str) -> Vec<u64> {
    question(results, key)["cells"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|cell| cell["options"].as_array())
        .flatten()
        .filter_map(|o| o["count"].as_u64())
        .collect()
}

on_both_backends! {
    attack_1_two_breakdowns_cannot_be_subtracted => |backend: Backend| {
        let (app, slug, admin, token) = start(backend);
        fill(&app, &slug);
        let by_agency = api_results(&admin, &token, &slug, Some("agency"));
        let by_role = api_results(&admin, &token, &slug, Some("role"));
        let council = size(&by_agency, "Council");
        let frontline = size(&by_role, "Frontline");
        // Frontline (10) minus council (9) was the police officer: not both are published.
        assert!(council.is_none() || frontline.is_none(), "council {council:?}, frontline {frontline:?}");
        // Nor can anyone be had from any two published columns of either view: no published
        // group contains another with 1..4 more people (the groups' members are known here).
        let members = |label: &str| -> Vec<(&str, u64)> {
            match label {
                "All responses" => vec![("C", 9), ("P", 1), ("V", 6), ("H", 1), ("E", 1)],
                "Council" => vec![("C", 9)],
                "Police" => vec![("P", 1)],
                "Voluntary" => vec![("V", 6)],
                "Health" => vec![("H", 1)],
                "Education" => vec![("E", 1)],
                "Frontline" => vec![("C", 9), ("P", 1)],
                "Manager" => vec![("V", 6), ("H", 1), ("E", 1)],
                other => panic!("unknown column {other}"),
            }
        };
        let mut published: Vec<(String, u64)> = Vec::new();
        for view in [&by_agency, &by_role] {
            for (label, n) in sizes(view) {
                if let Some(n) = n {
                    published.push((label, n));
                }
            }
        }
        for (a, na) in &published {
            for (b, nb) in &published {
                let (ma, mb) = (members(a), members(b));
                let nested = mb.iter().all(|kind| ma.contains(kind));
                if nested && na > nb {
                    assert!(na - nb >= 5, "{a} ({na}) minus {b} ({nb}) is {} people", na - nb);
                }
            }
        }
        // The page says the same, and says why.
        let page = admin.get(&format!("/admin/surveys/{slug}/results?breakdown=agency"));
        assert!(page.body.contains("<th scope=\"col\">Council (suppressed)</th>"), "{}", page.body);
        assert!(page.body.contains("would let a hidden group be worked out"));
        // So do the JSON answer and the CSV download.
        assert!(by_role["notes"][0].as_str().unwrap().contains("would let a hidden group be worked out"));
        let csv = admin.download(&format!("/api/v1/surveys/{slug}/results.csv?breakdown=role"), &[("Authorization", &format!("Bearer {token}"))]);
        assert!(csv.text().contains("would let a hidden group be worked out"));
    };

    attack_2_no_count_of_people_below_k => |backend: Backend| {
        let (app, slug, admin, token) = start(backend);
        fill(&app, &slug);
        for breakdown in [None, Some("agency"), Some("role")] {
            let results = api_results(&admin, &token, &slug, breakdown);
            for key in ["agency", "role"] {
                let counts = people_counts(&results, key);
                assert!(counts.iter().all(|&n| n == 0 || n >= 5), "{key} by {breakdown:?}: {counts:?}");
            }
        }
        // The overall distribution: police, health and education (1 each) hidden, and the
        // total minus the rest gives back no fewer than 5.
        let overall = api_results(&admin, &token, &slug, None);
        let agency = &question(&overall, "agency")["cells"][0]["options"];
        let hidden: Vec<&str> = agency.as_array().unwrap().iter().filter(|o| o["count"].is_null()).map(|o| o["value"].as_str().unwrap()).collect();
        for value in ["police", "health", "education"] {
            assert!(hidden.contains(&value), "{hidden:?}");
        }
        let shown: u64 = agency.as_array().unwrap().iter().filter_map(|o| o["count"].as_u64()).sum();
        let residual = 18 - shown;
        assert!(residual >= 5, "the hidden organisations hold {residual}");
        // The police-only question is not published for a police force of one.
        assert_eq!(question(&overall, "joint-visits")["cells"][0], json!({"suppressed": true}));
    };

    attack_3_response_rates_hide_one_of_five => |backend: Backend| {
        let (app, slug, admin, _token) = start(backend);
        let mut csv = String::from("email,group\n");
        for i in 0..20 {
            csv.push_str(&format!("c{i}@council.test,council\n"));
        }
        csv.push_str("officer@police.test,police\n");
        app.import_invitees(&slug, &csv);
        // Ten council staff and the police officer respond.
        let mut conn = app.db.connect();
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE invitations SET completed = TRUE WHERE email = 'officer@police.test' OR email IN ('c0@council.test','c1@council.test','c2@council.test','c3@council.test','c4@council.test','c5@council.test','c6@council.test','c7@council.test','c8@council.test','c9@council.test')")
            .execute(&mut conn)
            .unwrap();
        // The admin adds four never-mailed invitees to the police group.
        app.import_invitees(&slug, "email,group\nx1@police.test,police\nx2@police.test,police\nx3@police.test,police\nx4@police.test,police\n");
        let page = admin.get(&format!("/admin/surveys/{slug}"));
        let police = page.body.split("<tr>").find(|row| row.contains(">police<")).expect("a police row");
        assert!(police.contains("Hidden"), "{police}");
        assert!(!police.contains("20%"), "{police}");
        let status = stdout(&app.cli(&["survey", "status", &slug]));
        assert!(status.contains("group police: invited 5, other figures hidden"), "{status}");
        assert!(!status.contains("invited 5, completed 1"), "{status}");
        // Council (10 of 20) would pass alone, but the total minus council would give the
        // police group back: hidden as well, on the page and in the CLI alike.
        assert!(status.contains("group council: invited 20, other figures hidden"), "{status}");
        let council = page.body.split("<tr>").find(|row| row.contains(">council<")).expect("a council row");
        assert!(council.contains("Hidden"), "{council}");
    };

    attack_4_rows_do_not_give_a_suppressed_organisation_back => |backend: Backend| {
        let (app, slug, admin, token) = start(backend);
        fill(&app, &slug);
        let csv = admin.download(&format!("/api/v1/surveys/{slug}/responses.csv"), &[("Authorization", &format!("Bearer {token}"))]);
        assert_eq!(csv.status, 200, "{}", csv.text());
        let mut reader = csv::Reader::from_reader(csv.bytes.as_slice());
        let mut rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let keys = rows.remove(0);
        let agency = keys.iter().position(|h| h == "agency").unwrap();
        let visits = keys.iter().position(|h| h == "joint-visits").unwrap();
        assert_eq!(rows.len(), 18);
        assert!(rows.iter().all(|r| &r[agency] != "Police"), "the officer's organisation is suppressed");
        assert!(rows.iter().all(|r| r[visits].is_empty()), "a police-only answer would give the officer's row back");
        // The XLSX file says so in its notes; the CLI gives the same file, audit-logged.
        let xlsx = app.db.dir().join("rows.xlsx");
        app.cli_ok(&["export", &slug, "--what", "responses", "--format", "xlsx", "-o", xlsx.to_str().unwrap()]);
        use calamine::{open_workbook, Reader, Xlsx};
        let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
        let about = book.worksheet_range("About").unwrap();
        let notes: Vec<String> = about.rows().map(|r| r[0].to_string()).collect();
        assert!(notes.iter().any(|n| n.contains("joint-visits")), "{notes:?}");
        assert!(app.audit_entries().iter().any(|(who, action, detail)| who == "command line" && action == "responses.downloaded" && detail.contains("by command line")));
    };

    attack_5_small_bases_publish_no_percentages => |backend: Backend| {
        let (app, slug, admin, token) = start(backend);
        // Three substantive answers, the rest "don't know"; exactly five caseloads.
        for i in 0..12 {
            let statement = if i < 3 { "agree" } else { "dont-know" };
            let mut answers = json!({"agency": "council", "role": "frontline", "statement": statement});
            if i < 5 {
                answers["caseload"] = json!(10 + i);
            }
            submit(&app, &slug, answers);
        }
        app.release_all(&slug);
        let results = api_results(&admin, &token, &slug, None);
        let statement = &question(&results, "statement")["cells"][0];
        assert!(statement["agree_percent"].is_null() && statement["score"].is_null(), "{statement}");
        assert_eq!(statement["too_few_answers"], true);
        let caseload = &question(&results, "caseload")["cells"][0]["numbers"];
        assert_eq!(caseload["count"], 5);
        assert!(caseload["median"].is_null() && caseload["lower_quartile"].is_null() && caseload["upper_quartile"].is_null(), "{caseload}");
        let page = admin.get(&format!("/admin/surveys/{slug}/results"));
        assert!(page.body.contains("too few answers"), "{}", page.body);
    };

    attack_6_open_link_responses_are_counted_and_the_shipped_survey_is_invitation_only => |backend: Backend| {
        let (app, slug, admin, token) = start(backend);
        fill(&app, &slug);
        let results = api_results(&admin, &token, &slug, None);
        assert_eq!(results["channels"], json!({"invitations": 0, "open_link": 18}));
        let page = admin.get(&format!("/admin/surveys/{slug}/results"));
        assert!(page.body.contains("Through the open link: 18."), "{}", page.body);
        // The shipped questionnaire accepts no response without an invitation.
        let shipped = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/questionnaires/safeguarding-frontline.toml")).unwrap();
        let shipped_slug = app.import_and_open(&shipped);
        let open = json!({"answers": {"agency": "council", "role-group": "frontline", "length-of-service": "3-to-5"}});
        assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{shipped_slug}/responses"), &open).status, 409);
    };
}
