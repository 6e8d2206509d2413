//! The shipped questionnaire with about 400 realistic responses across six organisations:
//! the Word report has a Heading 1 per theme, a picture per chart, the summary of every
//! agreement statement, and (with CANDOUR_TEST_LIBREOFFICE=1 and LibreOffice installed) it
//! converts to PDF with `soffice --headless --convert-to pdf`. The report is left at
//! `target/tmp/shipped-report.docx` to look at.

mod common;
#[path = "support/docx_reader.rs"]
mod docx_reader;

use candour::questionnaire::{parse_questionnaire, QuestionKind, Questionnaire};
use common::{submit, Backend, TestApp};
use serde_json::{json, Map, Value};

fn shipped_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/questionnaires/safeguarding-frontline.toml"
    ))
    .expect("the shipped questionnaire")
}

/// A small deterministic generator: the same responses on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, weighted: &[(&'a str, f64)]) -> &'a str {
        let total: f64 = weighted.iter().map(|(_, w)| w).sum();
        let mut x = self.next() * total;
        for (value, w) in weighted {
            if x < *w {
                return value;
            }
            x -= w;
        }
        weighted[weighted.len() - 1].0
    }
}

const COMMENTS: [&str; 8] = [
    "Thresholds are applied differently depending on who picks up the call.",
    "The MASH is responsive but feedback on referrals is rare.",
    "Supervision is regularly cancelled because of court work.",
    "Caseloads have gone up since the restructure and it is hard to keep up.",
    "Managers are supportive and available when I need them.",
    "Strategy discussions often happen without health being invited.",
    "We need more time for direct work with children.",
    "Escalation works but takes too long.",
];

/// One response: organisation, role and length of service as staff surveys skew them;
/// agreement leaning positive for the council and mixed for partners.
fn response(q: &Questionnaire, rng: &mut Lcg) -> Value {
    let agency = rng.pick(&[
        ("council", 210.0),
        ("police", 45.0),
        ("health", 60.0),
        ("education", 50.0),
        ("voluntary", 25.0),
        ("other", 12.0),
    ]);
    let lean = match agency {
        "council" => 0.85,
        "police" => 0.6,
        "health" => 0.5,
        _ => 0.7,
    };
    let mut answers = Map::new();
    answers.insert("agency".into(), json!(agency));
    for question in q.questions().filter(|question| question.key != "agency") {
        if let Some(show_if) = &question.show_if {
            let given = answers.get(&show_if.question).and_then(Value::as_str);
            if !given.is_some_and(|v| show_if.any_of.iter().any(|a| a == v)) {
                continue;
            }
        }
        if !question.required && rng.next() < 0.06 {
            continue;
        }
        let value = match &question.kind {
            QuestionKind::Single { options } => {
                let i = ((rng.next().powf(1.6)) * options.len() as f64) as usize;
                json!(options[i.min(options.len() - 1)].value)
            }
            QuestionKind::Multi {
                options,
                max_choices,
            } => {
                let most = max_choices.unwrap_or(2).max(1) as usize;
                let mut chosen: Vec<&str> = Vec::new();
                while chosen.len() < most {
                    let o = &options[(rng.next() * options.len() as f64) as usize % options.len()];
                    if !chosen.contains(&o.value.as_str()) {
                        chosen.push(&o.value);
                    }
                    if rng.next() < 0.4 {
                        break;
                    }
                }
                json!(chosen)
            }
            QuestionKind::Likert { scale } => {
                let dont_know = scale.dont_know.as_ref().filter(|_| rng.next() < 0.07);
                if let Some(dont_know) = dont_know {
                    json!(dont_know.value)
                } else {
                    let lean = if question.reverse { 1.0 - lean } else { lean };
                    let x = (rng.next() + rng.next() + lean * 1.4) / 3.4;
                    let n = scale.points.len();
                    let i = ((x * n as f64) as usize).min(n - 1);
                    json!(scale.points[i].value)
                }
            }
            QuestionKind::Number { min, max, .. } => {
                let low = min.unwrap_or(0.0);
                let high = max.unwrap_or(100.0).min(low + 30.0);
                json!((low + rng.next() * (high - low)).round() as i64)
            }
            QuestionKind::Text { max_length, .. } => {
                if rng.next() < 0.85 {
                    continue;
                }
                let text = COMMENTS[(rng.next() * COMMENTS.len() as f64) as usize % COMMENTS.len()];
                json!(text.chars().take(*max_length as usize).collect::<String>())
            }
        };
        answers.insert(question.key.clone(), value);
    }
    Value::Object(answers)
}

#[test]
fn the_shipped_questionnaire_gives_a_finished_report() {
    let text = shipped_text().replace("open_link = false", "open_link = true");
    let q = parse_questionnaire(&text).expect("the shipped questionnaire");
    let app = TestApp::builder(Backend::Sqlite).start();
    let slug = app.import_and_open(&text);
    let mut rng = Lcg(2026);
    for _ in 0..400 {
        submit(&app, &slug, response(&q, &mut rng));
    }
    app.release_all(&slug);
    let (viewer, _) = app.enrolled("vic@example.org", "viewer");
    let reply = viewer.download(
        &format!("/admin/surveys/{slug}/results.docx?breakdown=agency"),
        &[],
    );
    assert_eq!(reply.status, 200);
    let doc = docx_reader::open(&reply.bytes);
    let blocks = docx_reader::blocks(&doc.document);
    let mut expected = vec!["How the survey was run", "Summary of statements"];
    expected.extend(q.sections.iter().map(|s| s.title.as_str()));
    assert_eq!(docx_reader::styled(&blocks, "Heading1"), expected);
    let summary = docx_reader::table_after(&blocks, "Agreement with each statement");
    let statements = q
        .questions()
        .filter(|question| {
            matches!(&question.kind, QuestionKind::Likert { scale } if scale.name == "agreement")
        })
        .count();
    let themes = summary.iter().filter(|row| row.len() == 1).count();
    assert_eq!(summary.len(), 1 + themes + statements);
    assert!(doc.media.len() > 30, "{} charts", doc.media.len());
    assert_eq!(docx_reader::alt_texts(&doc.document).len(), doc.media.len());

    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("shipped-report.docx");
    std::fs::write(&path, &reply.bytes).expect("write the report");
    if std::env::var_os("CANDOUR_TEST_LIBREOFFICE").is_some() {
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .arg(&path)
            .status()
            .expect("LibreOffice (soffice) on PATH");
        assert!(status.success());
        let pdf = std::fs::read(dir.join("shipped-report.pdf")).expect("the PDF");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
