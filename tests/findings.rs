//! The findings: the summary of statements on the results page and its printable view, and
//! the Word report (`results.docx`) over the web, the API and the CLI. Every figure is
//! checked against the JSON results, the same figures disclosure control publishes.

mod common;
#[path = "support/docx_reader.rs"]
mod docx_reader;

use common::{submit, Backend, Browser, TestApp};
use docx_reader::Block;
use serde_json::{json, Value};

/// Two themes with agreement statements (one reverse-worded), a frequency item that is not
/// a statement, and comment boxes.
const FINDINGS_QUESTIONNAIRE: &str = include_str!("fixtures/questionnaires/findings.toml");

const AGREE: [&str; 5] = [
    "strongly-disagree",
    "disagree",
    "neither",
    "agree",
    "strongly-agree",
];

/// Council 8, health 7, education 6, police 2: police is hidden, and education with it
/// (total minus the others would give police back), so council and health are shown.
fn fill(app: &TestApp, slug: &str) {
    let groups = [
        ("council", 8),
        ("health", 7),
        ("education", 6),
        ("police", 2),
    ];
    let mut n = 0;
    for (agency, count) in groups {
        for i in 0..count {
            n += 1;
            let mut answers = json!({
                "agency": agency,
                "thresholds-understood": AGREE[(i + n) % 5],
                "feel-valued": AGREE[if agency == "council" { 3 + i % 2 } else { i % 3 }],
                "thinking-of-leaving": if i % 4 == 0 { "dont-know" } else { AGREE[(i * 3) % 5] },
                "supervision-cancelled": "sometimes",
            });
            if i % 3 == 0 {
                answers["thresholds-comment"] = json!(format!("Comment {n} from {agency}"));
            }
            submit(app, slug, answers);
        }
    }
    // Responses join the results in released batches (issue 10).
    app.release_all(slug);
}

fn setup(backend: Backend) -> (TestApp, String, Browser) {
    let app = TestApp::builder(backend).start();
    let slug = app.import_and_open(FINDINGS_QUESTIONNAIRE);
    fill(&app, &slug);
    let (viewer, _) = app.enrolled("vic@example.org", "viewer");
    (app, slug, viewer)
}

fn results_json(viewer: &Browser, slug: &str, breakdown: Option<&str>) -> Value {
    let by = breakdown
        .map(|b| format!("?breakdown={b}"))
        .unwrap_or_default();
    let reply = viewer.download(&format!("/admin/surveys/{slug}/results.json{by}"), &[]);
    assert_eq!(reply.status, 200);
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

/// The figures a summary cell must show for a JSON cell: "N% agree" and
/// "M% disagree, A answered", or None when the cell is suppressed or has no "% agree".
fn expected_cell(cell: &Value) -> Option<(String, String)> {
    let agree = cell["agree_percent"].as_f64()?;
    let options = cell["options"].as_array()?;
    let counts: Vec<u64> = options
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .collect();
    let base: u64 = counts.iter().sum();
    let disagree = ((counts[0] + counts[1]) as f64 * 1000.0 / base as f64).round() / 10.0;
    Some((
        format!("{agree}% agree"),
        format!("{disagree}% disagree, {} answered", cell["answered"]),
    ))
}

on_both_backends! {
    the_summary_shows_the_published_figures_by_theme => |backend: Backend| {
        let (app, slug, viewer) = setup(backend);
        let results = results_json(&viewer, &slug, Some("agency"));
        let page = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown=agency"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        let summary_at = html.find("id=\"summary\"").expect("the summary");
        let first_chart = html.find("class=\"results-question\"").expect("the questions");
        assert!(summary_at < first_chart, "the summary comes first");
        let summary = &html[summary_at..first_chart];
        assert!(summary.contains("<li>23 responses</li>"), "{summary}");
        assert!(summary.contains("No opening or closing date set"), "{summary}");
        // Themes in questionnaire order; "About you" has no statement.
        let thresholds = summary.find(">Thresholds</th>").expect("the thresholds theme");
        let morale = summary.find(">Morale</th>").expect("the morale theme");
        assert!(thresholds < morale);
        assert!(!summary.contains(">About you</th>"));
        assert!(!summary.contains("How often is supervision cancelled?"), "frequency items are not statements");
        assert!(summary.contains("I am thinking about leaving. <span class=\"summary-reverse\">(Reverse-worded: agreeing is unfavourable)</span>"), "{summary}");
        // Each cell equals the JSON results; hidden columns say so and carry no figure.
        let labels = ["All responses (23)", "Council (8)", "Health (7)", "Education (suppressed)", "Police (suppressed)"];
        for label in labels {
            assert!(summary.contains(&format!("<th scope=\"col\">{label}</th>")), "{label}: {summary}");
        }
        for key in ["thresholds-understood", "feel-valued", "thinking-of-leaving"] {
            let cells = question(&results, key)["cells"].as_array().unwrap();
            let text = question(&results, key)["text"].as_str().unwrap();
            let at = summary.find(text).expect("the statement's row");
            let row = &summary[at..at + summary[at..].find("</tr>").unwrap()];
            let shown: Vec<&str> = row.split("<td class=\"").skip(1).collect();
            assert_eq!(shown.len(), cells.len(), "{row}");
            for (cell, td) in cells.iter().zip(shown) {
                match expected_cell(cell) {
                    Some((main, detail)) => {
                        assert!(td.starts_with("summary-band-"), "{td}");
                        assert!(td.contains(&format!("<span class=\"summary-main\">{main}</span>")), "{key}: {td}");
                        assert!(td.contains(&format!("<span class=\"summary-detail\">{detail}</span>")), "{key}: {td}");
                    }
                    None => {
                        assert_eq!(cell["suppressed"], true, "{key}: {cell}");
                        assert!(td.starts_with("summary-none\"><span class=\"summary-main\">suppressed</span></td>"), "{td}");
                    }
                }
            }
        }
        // Council agree with feeling valued (all agree or strongly agree): the top band.
        let valued = &summary[summary.find("I feel valued.").unwrap()..];
        assert!(valued.contains("<td class=\"summary-band-4\"><span class=\"summary-main\">100% agree</span>"), "{valued}");
        // Sorting without JavaScript: links, and the sorted view lists every statement.
        assert!(summary.contains(&format!("href=\"/admin/surveys/{slug}/results?breakdown=agency&amp;sort=agree#summary\""))
            || summary.contains(&format!("href=\"/admin/surveys/{slug}/results?breakdown=agency&#38;sort=agree#summary\"")), "{summary}");
        let by_gap = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown=agency&sort=gap"));
        assert_eq!(by_gap.status, 200);
        let sorted = &by_gap.body[by_gap.body.find("id=\"summary\"").unwrap()..];
        assert!(sorted.contains("<span aria-current=\"true\">Widest gap between groups first</span>"));
        // Feeling valued splits council (100%) from health: the widest gap comes first.
        let first_row = &sorted[sorted.find("<th scope=\"row\">").unwrap()..];
        assert!(first_row.starts_with("<th scope=\"row\">I feel valued."), "{first_row}");
        // The printable view: the same table on its own, audited like the page.
        let printable = viewer.get(&format!("/admin/surveys/{slug}/summary?breakdown=agency"));
        assert_eq!(printable.status, 200);
        assert!(printable.body.contains("<h2 id=\"summary-heading\">Summary</h2>"));
        assert!(printable.body.contains("<th scope=\"col\">Council (8)</th>"));
        assert!(!printable.body.contains("class=\"results-question\""));
        assert!(!printable.body.contains("style="));
        assert!(app.audit_entries().iter().any(|(who, action, detail)| who == "vic@example.org"
            && action == "results.viewed" && detail == &format!("{slug}: summary page, by agency, by web")));
        assert_eq!(viewer.get("/admin/surveys/nope/summary").status, 404);
    };

    the_report_holds_the_published_figures_accessibly => |backend: Backend| {
        let (app, slug, viewer) = setup(backend);
        let results = results_json(&viewer, &slug, Some("agency"));
        let reply = viewer.download(&format!("/admin/surveys/{slug}/results.docx?breakdown=agency"), &[]);
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("content-type"),
            Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document"));
        assert_eq!(reply.header("content-disposition"),
            Some(format!("attachment; filename=\"{slug}-report-by-agency.docx\"").as_str()));
        let doc = docx_reader::open(&reply.bytes);
        let blocks = docx_reader::blocks(&doc.document);

        // The document's language, and real styles for title and headings.
        assert!(doc.styles.contains("<w:lang w:val=\"en-GB\""), "{}", doc.styles);
        assert!(doc.core.contains("<dc:language>en-GB</dc:language>"));
        assert!(doc.styles.contains("w:styleId=\"Heading1\""));
        assert_eq!(docx_reader::styled(&blocks, "Title"), ["Findings survey"]);
        // One Heading 1 per theme, in questionnaire order, after the method and summary.
        assert_eq!(docx_reader::styled(&blocks, "Heading1"),
            ["How the survey was run", "Summary of statements", "About you", "Thresholds", "Morale"]);
        let questions = docx_reader::styled(&blocks, "Heading2");
        assert!(questions.contains(&"I feel valued.".to_owned()), "{questions:?}");

        // The summary table equals the JSON results; hidden cells say so and hold no number.
        let summary = docx_reader::table_after(&blocks, "Agreement with each statement");
        assert_eq!(summary[0], ["Statement", "All responses (23)", "Council (8)", "Health (7)",
            "Education (suppressed)", "Police (suppressed)"]);
        assert_eq!(summary[1], ["Thresholds"], "a theme row");
        for key in ["thresholds-understood", "feel-valued", "thinking-of-leaving"] {
            let q = question(&results, key);
            let text = q["text"].as_str().unwrap();
            let row = summary.iter().find(|r| r[0].starts_with(text)).expect("the statement's row");
            for (cell, shown) in q["cells"].as_array().unwrap().iter().zip(&row[1..]) {
                match expected_cell(cell) {
                    Some((main, detail)) => assert_eq!(shown, &format!("{main} {}", detail.replace(", ", " ")), "{key}"),
                    None => {
                        assert_eq!(shown, "suppressed", "{key}");
                        assert!(!shown.chars().any(|c| c.is_ascii_digit()));
                    }
                }
            }
        }
        let leaving = summary.iter().find(|r| r[0].starts_with("I am thinking about leaving.")).unwrap();
        assert!(leaving[0].ends_with("Reverse-worded: agreeing is unfavourable"), "{leaving:?}");
        // No police or education figure anywhere in the document.
        for block in &blocks {
            if let Block::Table(rows) = block {
                let header = &rows[0];
                for (i, label) in header.iter().enumerate() {
                    if label.starts_with("Police") || label.starts_with("Education") {
                        for row in &rows[1..] {
                            if let Some(cell) = row.get(i) {
                                assert!(cell == "suppressed" || cell.is_empty(), "{row:?}");
                            }
                        }
                    }
                }
            }
        }

        // A chart per question with figures: PNG pictures with alternative text stating them.
        let alt = docx_reader::alt_texts(&doc.document);
        let charted = ["agency", "thresholds-understood", "feel-valued", "thinking-of-leaving", "supervision-cancelled"];
        assert_eq!(alt.len(), charted.len(), "{alt:#?}");
        assert_eq!(doc.media.len(), charted.len());
        let council = question(&results, "feel-valued")["cells"][1]["options"][3]["percent"].as_f64().unwrap();
        let valued = alt.iter().find(|a| a.contains("\"I feel valued.\"")).expect("the chart's text");
        assert!(valued.contains("Agree: All responses (23)"), "{valued}");
        assert!(valued.contains(&format!("Council (8) {} ({council}%)",
            question(&results, "feel-valued")["cells"][1]["options"][3]["count"])), "{valued}");
        assert!(valued.contains("Police (suppressed) suppressed"), "{valued}");
        // Every table's first row is a header row that repeats.
        let tables = doc.document.matches("<w:tbl>").count();
        assert_eq!(tables, 2 + charted.len(), "the title page's facts, the summary and a table per charted question");
        assert_eq!(doc.document.matches("<w:tblHeader />").count(), tables);

        // Comments (23 responses, threshold 10): whole survey only, under their theme.
        let comments = docx_reader::styled(&blocks, "Quote");
        assert_eq!(comments.len(), 9, "{comments:?}");
        assert!(comments.contains(&"Comment 1 from council".to_owned()));
        assert!(docx_reader::styled(&blocks, "Heading2")
            .contains(&"Comments: Anything to add about thresholds?".to_owned()));

        // Audited like the other downloads.
        assert!(app.audit_entries().iter().any(|(who, action, detail)| who == "vic@example.org"
            && action == "report.downloaded" && detail == &format!("{slug}: report as docx, by agency, by web")));
        // The summary links to it.
        let page = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown=agency"));
        assert!(page.body.contains(&format!("href=\"/admin/surveys/{slug}/results.docx?breakdown=agency\"")));
    };

    the_report_over_the_api_and_the_cli_and_without_comments => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(&FINDINGS_QUESTIONNAIRE.replace("comments_threshold = 10", "comments_threshold = 50"));
        fill(&app, &slug);
        let (_viewer, _) = app.enrolled("vic@example.org", "viewer");
        let token = app.api_token("vic@example.org");
        let auth = format!("Bearer {token}");
        let reply = app.browser().download(&format!("/api/v1/surveys/{slug}/results.docx"), &[("Authorization", auth.as_str())]);
        assert_eq!(reply.status, 200);
        let doc = docx_reader::open(&reply.bytes);
        let blocks = docx_reader::blocks(&doc.document);
        // 23 responses under a threshold of 50: no comment anywhere.
        assert!(docx_reader::styled(&blocks, "Quote").is_empty());
        assert!(!doc.document.contains("Comment 1 from"));
        assert!(doc.document.contains("Comments are listed once at least 50 people have responded"));
        // Without a breakdown, one column.
        let summary = docx_reader::table_after(&blocks, "Agreement with each statement");
        assert_eq!(summary[0], ["Statement", "All responses (23)"]);
        assert_eq!(app.browser().download(&format!("/api/v1/surveys/{slug}/results.docx"), &[]).status, 401);
        assert_eq!(app.browser().download(&format!("/api/v1/surveys/{slug}/responses.docx"), &[("Authorization", auth.as_str())]).status, 403);

        // The command line writes the same report.
        let out = app.db.dir().join("report.docx");
        app.cli_ok(&["export", &slug, "--what", "report", "--format", "docx", "--breakdown", "agency", "-o", out.to_str().unwrap()]);
        let doc = docx_reader::open(&std::fs::read(&out).unwrap());
        let blocks = docx_reader::blocks(&doc.document);
        let summary = docx_reader::table_after(&blocks, "Agreement with each statement");
        assert_eq!(summary[0][2], "Council (8)");
        let refused = app.cli(&["export", &slug, "--what", "report", "--format", "csv"]);
        assert!(!refused.status.success());
        assert!(common::stderr(&refused).contains("the report can be exported as docx only"));
        let actions: Vec<(String, String)> = app.audit_entries().into_iter()
            .filter(|(_, action, _)| action == "report.downloaded")
            .map(|(who, _, detail)| (who, detail))
            .collect();
        assert_eq!(actions, [
            ("vic@example.org".to_owned(), format!("{slug}: report as docx, by API")),
            ("command line".to_owned(), format!("{slug}: report as docx, by agency, by command line")),
        ]);
    };
}
