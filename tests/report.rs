//! Results and downloads through the CLI over a real database: hand-computed tables,
//! suppression, formula injection, strict CSV and XLSX read back, tallies = recomputation.

mod common;

use std::collections::HashSet;

use calamine::{open_workbook, Data, Reader, Xlsx};
use candour::db::tallies;
use candour::report::tally;
use candour::survey::Catalog;
use common::{stderr, stdout, submit, Backend, TestApp, SMALL_QUESTIONNAIRE};
use serde_json::{json, Value};

/// 10 council, 4 police, 6 health: hand-computed figures below.
fn fill(app: &TestApp, slug: &str) {
    let council_thresholds = [
        "strongly-agree",
        "strongly-agree",
        "agree",
        "agree",
        "agree",
        "agree",
        "neither",
        "disagree",
        "strongly-disagree",
        "dont-know",
    ];
    let caseloads = [8, 10, 10, 12, 12, 12, 15, 20, 25, 30];
    for i in 0..10 {
        let mut answers = json!({
            "agency": "council",
            "thresholds": council_thresholds[i],
            "caseload": caseloads[i],
        });
        if i < 5 {
            answers["training"] = json!(["Neglect"]);
        } else if i < 8 {
            answers["training"] = json!(["Neglect", "Exploitation"]);
        }
        if i == 0 {
            answers["comment"] = json!("=HYPERLINK(\"http://evil.example\")");
        }
        if i == 1 {
            answers["comment"] = json!("Fine, thanks");
        }
        submit(app, slug, answers);
    }
    for i in 0..4 {
        let visits = if i < 3 { "Yes" } else { "No" };
        submit(
            app,
            slug,
            json!({"agency": "police", "thresholds": "agree", "joint-visits": visits}),
        );
    }
    for _ in 0..6 {
        submit(
            app,
            slug,
            json!({"agency": "Health", "thresholds": "neither"}),
        );
    }
    app.release_all(slug);
}

fn export(app: &TestApp, args: &[&str]) -> String {
    let output = app.cli(args);
    assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    stdout(&output)
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

fn option(cell: &Value, value: &str) -> (u64, f64) {
    let o = cell["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["value"] == value)
        .unwrap_or_else(|| panic!("no option {value} in {cell}"));
    (o["count"].as_u64().unwrap(), o["percent"].as_f64().unwrap())
}

fn hidden_option(cell: &Value, value: &str) -> bool {
    let o = cell["options"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["value"] == value)
        .unwrap_or_else(|| panic!("no option {value} in {cell}"));
    o["count"].is_null() && o["percent"].is_null()
}

fn suppressed(cell: &Value) -> bool {
    cell == &json!({"suppressed": true})
}

on_both_backends! {
    overall_results_match_hand_computed_figures => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        fill(&app, &slug);
        let results: Value = serde_json::from_str(&export(&app, &["export", &slug, "--what", "results", "--format", "json"])).unwrap();
        assert_eq!(results["responses"], 20);
        assert_eq!(results["suppressed"], false);
        assert_eq!(results["comments_allowed"], true);
        // A breakdown question's own distribution shows no count of people below 5: police
        // (4) is hidden, and Health (6) with it, or 20 − 10 − 6 would give police back.
        let agency = &question(&results, "agency")["cells"][0];
        assert_eq!(option(agency, "council"), (10, 50.0));
        assert!(hidden_option(agency, "police") && hidden_option(agency, "Health"), "{agency}");

        let thresholds = &question(&results, "thresholds")["cells"][0];
        assert_eq!(thresholds["answered"], 20);
        assert_eq!(option(thresholds, "strongly-disagree"), (1, 5.0));
        assert_eq!(option(thresholds, "neither"), (7, 35.0));
        assert_eq!(option(thresholds, "agree"), (8, 40.0));
        assert_eq!(option(thresholds, "strongly-agree"), (2, 10.0));
        assert_eq!(thresholds["dont_know"]["count"], 1);
        assert_eq!(thresholds["dont_know"]["percent"], 5.0);
        assert_eq!(thresholds["agree_percent"], 52.6, "10 of the 19 on the scale");
        assert_eq!(thresholds["score"], 61.8, "1175 / 19");

        let training = &question(&results, "training")["cells"][0];
        assert_eq!(training["answered"], 8);
        assert_eq!(training["not_answered"], 12);
        assert_eq!(option(training, "Neglect"), (8, 100.0));
        assert_eq!(option(training, "Exploitation"), (3, 37.5));
        assert_eq!(option(training, "Domestic abuse"), (0, 0.0));

        let caseload = &question(&results, "caseload")["cells"][0];
        assert_eq!(caseload["numbers"], json!({"count": 10, "mean": 15.4, "median": 12.0, "lower_quartile": 10.5, "upper_quartile": 18.75}));
        assert_eq!(caseload["not_answered"], 10);

        // Only 4 answered: below the threshold even for the whole survey.
        assert!(suppressed(&question(&results, "joint-visits")["cells"][0]));
        let work = results["sections"].as_array().unwrap().iter().find(|s| s["key"] == "work").unwrap();
        assert_eq!(work["themes"][0], json!({"score": 61.8, "items": 1}));

        // The tallies, once every stored response is folded in (the server does it a few
        // times a second; the figures above were exact either way), equal a recomputation.
        let mut conn = app.db.connect();
        // The server's own folding may hold some of them (skipped, not waited for): retry.
        for _ in 0..100 {
            tally::fold_all(&mut conn).unwrap();
            if common::count_rows(&mut conn, "untallied") == 0 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(common::count_rows(&mut conn, "untallied"), 0);
        let live = Catalog::new().live(&mut conn, &slug).unwrap().unwrap();
        let recomputed = tally::recompute(&mut conn, live.id, &live.questionnaire).unwrap();
        let stored: Vec<(String, String, String, String, i64)> = tallies::all(&mut conn, live.id)
            .unwrap()
            .into_iter()
            .map(|r| (r.by_question, r.by_value, r.question_key, r.value, r.count))
            .collect();
        let expected: Vec<(String, String, String, String, i64)> = recomputed
            .into_iter()
            .map(|(k, n)| (k.by_question, k.by_value, k.question_key, k.value, n))
            .collect();
        assert_eq!(stored, expected);
        tally::rebuild(&mut conn, live.id, &live.questionnaire).unwrap();
        assert_eq!(tallies::all(&mut conn, live.id).unwrap().len(), expected.len());
    };

    a_group_of_four_takes_the_next_smallest_with_it => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        fill(&app, &slug);
        let results: Value = serde_json::from_str(&export(&app, &["export", &slug, "--what", "results", "--format", "json", "--breakdown", "agency"])).unwrap();
        let labels: Vec<&str> = results["columns"].as_array().unwrap().iter().map(|c| c["label"].as_str().unwrap()).collect();
        // Agency is required: nobody did not answer it, so there is no such column.
        assert_eq!(labels, ["All responses", "Council", "Police", "Health"]);
        let sizes: Vec<&Value> = results["columns"].as_array().unwrap().iter().map(|c| &c["responses"]).collect();
        // Police (4) is below 5; the total minus council minus Health would give it back, so
        // Health (6, smaller than council) goes too.
        assert_eq!(sizes, [&json!(20), &json!(10), &Value::Null, &Value::Null]);
        let thresholds = &question(&results, "thresholds")["cells"];
        assert!(suppressed(&thresholds[2]) && suppressed(&thresholds[3]));
        let council = &thresholds[1];
        assert_eq!(option(council, "agree"), (4, 40.0));
        assert_eq!(option(council, "strongly-agree"), (2, 20.0));
        assert_eq!(council["agree_percent"], 66.7);
        assert_eq!(council["score"], 63.9, "575 / 9");
        // Training: 8 answered, all council. Counts of answers to ordinary questions stay
        // visible in a published group: that nobody of the other 10 answered is about 10.
        let training = &question(&results, "training")["cells"];
        assert_eq!(training[0]["answered"], 8);
        assert_eq!(training[1]["answered"], 8);
        assert!(training.as_array().unwrap()[2..].iter().all(suppressed));
        // The results JSON never carries free text.
        let text = serde_json::to_string(&results).unwrap();
        assert!(!text.contains("HYPERLINK") && !text.contains("Fine, thanks"));

        let unknown = app.cli(&["export", &slug, "--what", "results", "--format", "json", "--breakdown", "thresholds"]);
        assert!(!unknown.status.success());
        assert!(stderr(&unknown).contains("not a question results can be broken down by"));
    };

    a_survey_below_the_threshold_publishes_nothing => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        for _ in 0..4 {
            submit(&app, &slug, json!({"agency": "council", "thresholds": "agree", "comment": "Hello"}));
        }
        app.release_all(&slug);
        let results: Value = serde_json::from_str(&export(&app, &["export", &slug, "--what", "results", "--format", "json", "--breakdown", "agency"])).unwrap();
        assert_eq!(results["suppressed"], true);
        assert_eq!(results["comments_allowed"], false);
        assert!(results["columns"].as_array().unwrap().iter().all(|c| c["responses"].is_null()));
        for section in results["sections"].as_array().unwrap() {
            assert!(section["themes"].as_array().unwrap().iter().all(Value::is_null));
            for question in section["questions"].as_array().unwrap() {
                assert!(question["cells"].as_array().unwrap().iter().all(suppressed), "{question}");
            }
        }
        let file = app.db.dir().join("rows.csv");
        let refused = app.cli(&["export", &slug, "--what", "responses", "--format", "csv", "-o", file.to_str().unwrap()]);
        assert!(!refused.status.success());
        assert!(stderr(&refused).contains("fewer than 5 responses"), "{}", stderr(&refused));
        assert!(!file.exists(), "a refused export writes nothing");
    };

    responses_csv_is_k_anonymous_strict_and_neutralised => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        fill(&app, &slug);
        let file = app.db.dir().join("rows.csv");
        export(&app, &["export", &slug, "--what", "responses", "--format", "csv", "--with-text", "-o", file.to_str().unwrap()]);
        assert!(std::fs::read(&file).unwrap().starts_with(b"\xEF\xBB\xBF"), "a byte-order mark, for Excel");
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_path(&file).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
        assert_eq!(header, ["Which organisation do you work for?", "I understand the thresholds.",
            "Which training have you attended?", "How many children are allocated to you?",
            "Anything else?", "Do you do joint visits?"], "headers a person can read");
        let mut rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let keys = rows.remove(0);
        assert_eq!(keys.iter().collect::<Vec<_>>(), ["agency", "thresholds", "training", "caseload", "comment", "joint-visits"],
            "the keys in the second header row");
        assert_eq!(rows.len(), 20);
        let count = |value: &str| rows.iter().filter(|r| &r[0] == value).count();
        // Police (4) is too small alone; with Health (6) it makes a suppressed 10.
        assert_eq!((count("Council"), count("suppressed"), count("Police"), count("Health")), (10, 10, 0, 0));
        assert!(rows.iter().any(|r| &r[4] == "'=HYPERLINK(\"http://evil.example\")"));
        assert!(rows.iter().any(|r| &r[2] == "Neglect; Exploitation"));
        assert!(rows.iter().any(|r| &r[3] == "30"));

        let plain = export(&app, &["export", &slug, "--what", "responses", "--format", "csv"]);
        assert!(!plain.contains("HYPERLINK") && !plain.contains("Fine, thanks"), "free text only when asked for");
        assert!(plain.lines().nth(1).unwrap().split(',').all(|h| h != "comment"));
        assert!(!plain.contains("Anything else?"));

        // The results CSV is strict too, one row shape throughout.
        let results_csv = export(&app, &["export", &slug, "--what", "results", "--format", "csv", "--breakdown", "agency"]);
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(results_csv.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        let agree = records.iter().find(|r| &r[1] == "thresholds" && &r[3] == "Agree").unwrap();
        assert_eq!(agree.iter().skip(4).collect::<Vec<_>>(), ["8", "40", "4", "40", "suppressed", "suppressed", "suppressed", "suppressed"]);
    };

    xlsx_downloads_open_in_a_reader => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        fill(&app, &slug);
        let file = app.db.dir().join("results.xlsx");
        export(&app, &["export", &slug, "--what", "results", "--format", "xlsx", "-o", file.to_str().unwrap()]);
        let mut book: Xlsx<_> = open_workbook(&file).unwrap();
        assert_eq!(book.sheet_names(), ["About", "1 about-you", "2 work", "3 police"]);
        let work = book.worksheet_range("2 work").unwrap();
        let row = work.rows().find(|r| r[0] == Data::String("thresholds".into()) && r[2] == Data::String("Agree".into())).unwrap();
        assert_eq!(row[3], Data::Float(8.0));
        assert_eq!(row[4], Data::Float(40.0));
        let about = book.worksheet_range("About").unwrap();
        assert_eq!(about.get_value((2, 1)), Some(&Data::Float(20.0)));

        let rows_file = app.db.dir().join("rows.xlsx");
        export(&app, &["export", &slug, "--what", "responses", "--format", "xlsx", "--with-text", "-o", rows_file.to_str().unwrap()]);
        let mut book: Xlsx<_> = open_workbook(&rows_file).unwrap();
        let sheet = book.worksheet_range("Responses").unwrap();
        assert_eq!(sheet.height(), 22, "two header rows and 20 responses");
        assert_eq!(sheet.get_value((0, 0)), Some(&Data::String("Which organisation do you work for?".into())));
        assert_eq!(sheet.get_value((1, 0)), Some(&Data::String("agency".into())));
        let about = book.worksheet_range("About").unwrap();
        assert!(about.rows().any(|r| r[0].to_string().contains("second row gives its key")));
        let cells: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
        assert!(cells.contains(&"'=HYPERLINK(\"http://evil.example\")".to_owned()));
        assert_eq!(cells.iter().filter(|c| *c == "suppressed").count(), 10);
        assert_eq!(cells.iter().filter(|c| *c == "Police").count(), 0);
    };
}

/// A migrated database holding the small questionnaire, with no responses yet: (the database,
/// a connection, the questionnaire, the survey's id, now).
fn small_survey_in_storage(
    backend: Backend,
) -> (
    common::TestDb,
    candour::db::DbConnection,
    candour::questionnaire::Questionnaire,
    candour::db::SurveyId,
    chrono::NaiveDateTime,
) {
    let db = common::TestDb::new(backend);
    let mut conn = db.connect();
    candour::db::migrations::run_pending(&mut conn).unwrap();
    let now = chrono::Utc::now().naive_utc();
    let (q, _) = candour::survey::import(&mut conn, SMALL_QUESTIONNAIRE, now).unwrap();
    let survey = candour::db::surveys::find_by_slug(&mut conn, &q.slug)
        .unwrap()
        .unwrap();
    (db, conn, q, survey.id, now)
}

fn page(app: &TestApp, slug: &str, breakdown: Option<&str>) -> String {
    use askama::Template;
    let mut conn = app.db.connect();
    let live = Catalog::new().live(&mut conn, slug).unwrap().unwrap();
    let q = &live.questionnaire;
    let results = candour::report::results(&mut conn, live.id, q, breakdown).unwrap();
    let comments = candour::report::comments(&mut conn, live.id, q, &results).unwrap();
    candour::report::page::results_page(
        q,
        &results,
        comments,
        format!("/admin/surveys/{slug}/results"),
    )
    .render()
    .unwrap()
}

on_both_backends! {
    results_page_shows_charts_tables_notes_and_comments => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        fill(&app, &slug);
        let html = page(&app, &slug, Some("agency"));
        assert!(html.contains("<div class=\"chart chart-labelled\" aria-hidden=\"true\">"));
        assert!(html.contains("<th scope=\"col\">Council (10)</th>"));
        assert!(html.contains("<th scope=\"col\">Police (suppressed)</th>"));
        assert!(html.contains("<th scope=\"row\">Agree</th><td>8 (40%)</td><td>4 (40%)</td><td>suppressed</td>"), "{html}");
        assert!(html.contains("means hidden: the figure is about fewer than 5 people, or it would let a hidden group be worked out"), "{html}");
        assert!(html.contains("<option value=\"agency\" selected>"));
        // Comments: whole survey only, escaped.
        assert!(html.contains("<li>Fine, thanks</li>"));
        assert!(html.contains("=HYPERLINK(&#34;http://evil.example&#34;)") || html.contains("=HYPERLINK(&quot;http://evil.example&quot;)"), "escaped");
        assert!(!html.contains("style="), "no inline style (CSP)");
    };

    comments_wait_for_the_comments_threshold => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        for i in 0..9 {
            submit(&app, &slug, json!({"agency": "council", "thresholds": "agree", "comment": format!("Comment {i}")}));
        }
        app.release_all(&slug);
        let html = page(&app, &slug, None);
        assert!(!html.contains("Comment 3"), "9 responses, threshold 10");
        assert!(html.contains("Comments are listed once at least 10 people have responded"));
        assert!(html.contains("<th scope=\"row\">Agree</th><td>9 (100%)</td>"));
        submit(&app, &slug, json!({"agency": "council", "thresholds": "agree", "comment": "Comment 9"}));
        app.release_all(&slug);
        let html = page(&app, &slug, None);
        for i in 0..10 {
            assert!(html.contains(&format!("<li>Comment {i}</li>")));
        }
    };
}

on_both_backends! {
    results_are_exact_before_and_after_folding => |backend: Backend| {
        use candour::respond::submission::response_row;
        use candour::respond::writer::store_batch;
        let (_db, mut conn, q, survey_id, now) = small_survey_in_storage(backend);
        let answers = |agency: &str, thresholds: &str| {
            let json = json!({"agency": agency, "thresholds": thresholds});
            candour::questionnaire::validate_json_response(&q, json.as_object().unwrap()).unwrap()
        };
        let batch: Vec<_> = (0..12)
            .map(|i| {
                let agency = if i % 2 == 0 { "council" } else { "police" };
                let thresholds = ["agree", "disagree", "dont-know"][i % 3];
                response_row(survey_id, &answers(agency, thresholds), now.date())
            })
            .collect();
        store_batch(&mut conn, &batch[..7]).unwrap();
        tally::fold_all(&mut conn).unwrap();
        store_batch(&mut conn, &batch[7..]).unwrap();
        assert_eq!(common::count_rows(&mut conn, "untallied"), 5, "the last five are pending");

        let pending = candour::report::results(&mut conn, survey_id, &q, Some("agency")).unwrap();
        tally::fold_all(&mut conn).unwrap();
        assert_eq!(common::count_rows(&mut conn, "untallied"), 0);
        let folded = candour::report::results(&mut conn, survey_id, &q, Some("agency")).unwrap();
        assert_eq!(serde_json::to_value(&pending).unwrap(), serde_json::to_value(&folded).unwrap());
        assert_eq!(serde_json::to_value(&folded).unwrap()["responses"], 12);

        // The migration to tally sheets (and back) marks every response untallied again, so
        // the counts are rebuilt from the responses: the same results before and after.
        let reverted = candour::db::migrations::revert_newer_than(&mut conn, "2026-11-25-000006").unwrap();
        assert_eq!(common::count_rows(&mut conn, "untallied"), 12);
        assert_eq!(candour::db::migrations::run_pending(&mut conn).unwrap(), reverted);
        assert_eq!(common::count_rows(&mut conn, "untallied"), 12);
        let migrated = candour::report::results(&mut conn, survey_id, &q, Some("agency")).unwrap();
        assert_eq!(serde_json::to_value(&migrated).unwrap(), serde_json::to_value(&folded).unwrap());
        tally::fold_all(&mut conn).unwrap();
        let refolded = candour::report::results(&mut conn, survey_id, &q, Some("agency")).unwrap();
        assert_eq!(serde_json::to_value(&refolded).unwrap(), serde_json::to_value(&folded).unwrap());
        assert_eq!(common::count_rows(&mut conn, "tally_sheets"), 2, "the whole survey and by agency");
    };

    a_large_survey_shows_a_random_hundred_comments_per_question => |backend: Backend| {
        use candour::report::comments::COMMENTS_SHOWN;
        use candour::respond::submission::response_row;
        use candour::respond::writer::store_batch;
        let (_db, mut conn, q, survey_id, now) = small_survey_in_storage(backend);
        // 1,200 responses; every second one leaves a comment.
        let batch: Vec<_> = (0..1200)
            .map(|i| {
                let mut json = json!({"agency": "council", "thresholds": "agree"});
                if i % 2 == 0 {
                    json["comment"] = json!(format!("Comment {i}"));
                }
                let answers = candour::questionnaire::validate_json_response(&q, json.as_object().unwrap()).unwrap();
                response_row(survey_id, &answers, now.date())
            })
            .collect();
        store_batch(&mut conn, &batch).unwrap();
        let results = candour::report::results(&mut conn, survey_id, &q, None).unwrap();
        let sample = |conn: &mut candour::db::DbConnection| {
            let lists = candour::report::comments(conn, survey_id, &q, &results).unwrap().expect("allowed");
            let list = lists.into_iter().find(|l| l.question == "comment").expect("the comment question");
            assert_eq!(list.total, Some(600));
            list.bodies
        };
        let first = sample(&mut conn);
        assert_eq!(first.len(), COMMENTS_SHOWN);
        let distinct: HashSet<&String> = first.iter().collect();
        assert_eq!(distinct.len(), COMMENTS_SHOWN, "no comment twice");
        assert!(first.iter().all(|body| body.strip_prefix("Comment ").and_then(|n| n.parse::<u32>().ok()).is_some_and(|n| n % 2 == 0 && n < 1200)));
        // Another view picks another sample (the chance of the same hundred is nil).
        let second: HashSet<String> = sample(&mut conn).into_iter().collect();
        assert_ne!(second, first.into_iter().collect::<HashSet<String>>());
        // The page says that it shows only some of them, and where the rest are.
        use askama::Template;
        let comments = candour::report::comments(&mut conn, survey_id, &q, &results).unwrap();
        let html = candour::report::page::results_page(&q, &results, comments, String::new()).render().unwrap();
        assert!(html.contains("100 of 600 comments, chosen at random"), "{html}");
        assert_eq!(html.matches("<li>Comment ").count(), 100);
    };
}
