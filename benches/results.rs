//! Results and export benchmark (see BENCHMARKS.md, "Results and downloads").
//!
//! Fills a fresh database with RESPONSES (default 100,000) random responses to the shipped
//! questionnaire through the storage layer (`respond::writer::store_batch`: the writer's
//! batch transaction, tallies included, 128 responses per batch), then measures: results
//! computation + comments + page rendering with and without a breakdown (p50 over 50 runs, at 10% and at
//! 100% of the responses), CSV export of all responses (time, peak RSS growth), XLSX export
//! of all responses and of the results.
//!
//! BENCH_DATABASE_URL picks the database (default: a SQLite file in a temporary folder; a
//! PostgreSQL URL must name an empty database). SEED (default 1) makes the data repeatable.
//! RELEASE_ONLY=1 measures only the waiting room (sealing RESPONSES, releasing them all).

use std::io::Write;
use std::time::{Duration, Instant};

use askama::Template;
use candour::db::{DatabaseUrl, DbConnection};
use candour::questionnaire::{visible, AnswerValue, Answers, QuestionKind, Questionnaire};
use candour::report::export::{responses::ResponsesExport, Format};
use candour::respond::submission::response_row;
use candour::respond::writer::store_batch;
use candour::survey::Catalog;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const SHIPPED: &str = include_str!("../config/questionnaires/safeguarding-frontline.toml");
const WORDS: &[&str] = &[
    "caseload",
    "supervision",
    "the",
    "team",
    "referrals",
    "partners",
    "training",
    "is",
    "good",
    "slow",
    "improving",
];

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A random but valid response: required questions always answered, optional ones with
/// probability 0.9 (free text 0.2), questions hidden by `show_if` left out.
fn random_answers(q: &Questionnaire, rng: &mut StdRng) -> Answers {
    let mut answers = Answers::new();
    for question in q.questions() {
        if !visible(q, question, &answers) {
            continue;
        }
        let chance = if matches!(question.kind, QuestionKind::Text { .. }) {
            0.2
        } else {
            0.9
        };
        if !question.required && !rng.random_bool(chance) {
            continue;
        }
        let value = match &question.kind {
            QuestionKind::Single { options } => {
                AnswerValue::Choice(options[rng.random_range(0..options.len())].value.clone())
            }
            QuestionKind::Likert { scale } => {
                let choices: Vec<_> = scale.choices().collect();
                AnswerValue::Choice(choices[rng.random_range(0..choices.len())].value.clone())
            }
            QuestionKind::Multi {
                options,
                max_choices,
            } => {
                let max = max_choices
                    .map_or(options.len(), |m| m as usize)
                    .min(options.len());
                let n = rng.random_range(1..=max);
                let mut chosen: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
                while chosen.len() > n {
                    chosen.remove(rng.random_range(0..chosen.len()));
                }
                AnswerValue::Choices(chosen)
            }
            QuestionKind::Number { min, max, .. } => {
                let (low, high) = (min.unwrap_or(0.0) as i64, max.unwrap_or(100.0) as i64);
                AnswerValue::Number(rng.random_range(low..=high) as f64)
            }
            QuestionKind::Text { .. } => {
                let n = rng.random_range(3..20);
                AnswerValue::Text(
                    (0..n)
                        .map(|_| WORDS[rng.random_range(0..WORDS.len())])
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            }
        };
        answers.insert(question.key.clone(), value);
    }
    answers
}

fn p50(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn measure_results(
    conn: &mut DbConnection,
    id: candour::db::SurveyId,
    q: &Questionnaire,
    breakdown: Option<&str>,
) -> Duration {
    let times = (0..50)
        .map(|_| {
            let start = Instant::now();
            let results = candour::report::results(conn, id, q, breakdown).expect("results");
            let comments = candour::report::comments(conn, id, q, &results).expect("comments");
            let html = candour::report::page::results_page(q, &results, comments, String::new())
                .render()
                .expect("render");
            assert!(html.len() > 1000);
            start.elapsed()
        })
        .collect();
    p50(times)
}

/// p50 of the disclosure plan alone (part of every results page), from the stored tallies.
fn measure_plan(conn: &mut DbConnection, id: candour::db::SurveyId, q: &Questionnaire) -> Duration {
    let rows = candour::db::tallies::load(conn, id, None).expect("tallies");
    let combinations = candour::report::tally::combinations(q, &rows);
    let times = (0..50)
        .map(|_| {
            let start = Instant::now();
            let plan = candour::report::disclosure::Plan::new(q, &combinations);
            assert!(!plan.groups().is_empty());
            start.elapsed()
        })
        .collect();
    p50(times)
}

fn export_responses(
    conn: &mut DbConnection,
    survey_id: candour::db::SurveyId,
    q: &Questionnaire,
    format: Format,
    path: &std::path::Path,
    name: &str,
) {
    let mut rows = 0;
    let (elapsed, grew) = timed_with_memory(|| {
        let file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
        let export = ResponsesExport {
            survey_id,
            questionnaire: q,
            with_text: false,
        };
        rows = export.write(conn, format, file).expect("export");
    });
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    println!(
        "responses export {name}: {rows} rows, {:.2} s, {:.1} MB file, peak RSS +{:.1} MB",
        elapsed.as_secs_f64(),
        size as f64 / 1e6,
        grew as f64 / 1024.0
    );
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs `work`, returning its time and how far the peak RSS rose above the RSS before it.
fn timed_with_memory(work: impl FnOnce()) -> (Duration, u64) {
    let _ = std::fs::write("/proc/self/clear_refs", "5"); // resets VmHWM to the current RSS
    let before = status_kb("VmRSS:");
    let start = Instant::now();
    work();
    let elapsed = start.elapsed();
    (elapsed, status_kb("VmHWM:").saturating_sub(before))
}

fn main() {
    let total: usize = env_or("RESPONSES", 100_000);
    let seed: u64 = env_or("SEED", 1);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("bench.sqlite3").display()));
    let mut conn = DbConnection::open(&DatabaseUrl::parse(&url).expect("a database URL"), 5000)
        .expect("connect");
    candour::db::migrations::run_pending(&mut conn).expect("migrate");
    let now = chrono::Utc::now().naive_utc();
    let (q, _) = candour::survey::import(&mut conn, SHIPPED, now).expect("import");
    candour::survey::open(&mut conn, &q.slug, now).expect("open");
    let live = Catalog::new()
        .live(&mut conn, &q.slug)
        .expect("survey")
        .expect("survey");
    let q = live.questionnaire.clone();
    let breakdown = candour::report::tally::breakdown_keys(&q)
        .into_iter()
        .next();
    let today = chrono::Utc::now().date_naive();
    let mut rng = StdRng::seed_from_u64(seed);
    println!(
        "# Results and downloads benchmark\n\nbackend: {:?}, responses: {total}, seed: {seed}\n",
        conn.backend()
    );
    if env_or("RELEASE_ONLY", 0) == 1 {
        measure_release(&mut conn, total, &mut rng, today, now);
        return;
    }

    let mut stored = 0;
    let mut storing = Duration::ZERO;
    for checkpoint in [total / 10, total] {
        while stored < checkpoint {
            let n = 128.min(checkpoint - stored);
            let batch: Vec<_> = (0..n)
                .map(|_| response_row(live.id, &random_answers(&q, &mut rng), today))
                .collect();
            let start = Instant::now();
            store_batch(&mut conn, &batch).expect("store");
            storing += start.elapsed();
            stored += n;
        }
        // What the server's folding task does a few times a second.
        let start = Instant::now();
        candour::report::tally::fold_all(&mut conn).expect("fold the tallies");
        storing += start.elapsed();
        let plain = measure_results(&mut conn, live.id, &q, None);
        let split = measure_results(&mut conn, live.id, &q, breakdown.as_deref());
        println!(
            "at {stored} responses: results page (compute + render) p50 {:.2} ms without breakdown, {:.2} ms by {}",
            plain.as_secs_f64() * 1000.0,
            split.as_secs_f64() * 1000.0,
            breakdown.as_deref().unwrap_or("-")
        );
        println!(
            "at {stored} responses: of which the disclosure plan p50 {:.2} ms",
            measure_plan(&mut conn, live.id, &q).as_secs_f64() * 1000.0
        );
    }
    println!(
        "storage: {stored} responses in {:.1} s through the writer's batch path with tallies: {:.0} responses/s",
        storing.as_secs_f64(),
        stored as f64 / storing.as_secs_f64()
    );

    for (format, name) in [(Format::Csv, "csv"), (Format::Xlsx, "xlsx")] {
        export_responses(
            &mut conn,
            live.id,
            &q,
            format,
            &dir.path().join(format!("responses.{name}")),
            name,
        );
    }
    let (elapsed, grew) = timed_with_memory(|| {
        let results = candour::report::results(&mut conn, live.id, &q, breakdown.as_deref())
            .expect("results");
        let mut out = Vec::new();
        candour::report::export::write_results(&results, Format::Xlsx, &mut out).expect("xlsx");
        std::io::sink().write_all(&out).expect("sink");
    });
    println!(
        "results export xlsx (by breakdown): {:.3} s, peak RSS +{:.1} MB",
        elapsed.as_secs_f64(),
        grew as f64 / 1024.0
    );

    // What the summary of statements adds to the results page: response rates, the summary
    // from the published results, and its view (p50 over 50 runs).
    let results =
        candour::report::results(&mut conn, live.id, &q, breakdown.as_deref()).expect("results");
    let times = (0..50)
        .map(|_| {
            let start = Instant::now();
            let rates = candour::report::response_rates::response_rates(
                &mut conn,
                live.id,
                q.min_group_size,
            )
            .expect("rates");
            let summary = candour::report::summary::summarise(&q, &results);
            let overview = candour::report::overview::overview(&q, &results, &rates);
            let view = candour::report::summary_view::summary_view(
                &summary,
                overview,
                candour::report::summary::Sort::Gap,
                "/admin/surveys/x",
                "results",
                breakdown.as_deref(),
            );
            assert!(!view.empty);
            start.elapsed()
        })
        .collect();
    println!(
        "summary of statements (rates + summary + view, by breakdown): p50 {:.2} ms",
        p50(times).as_secs_f64() * 1000.0
    );
    let mut size = 0;
    let (elapsed, grew) = timed_with_memory(|| {
        let bytes = candour::report::report_docx(&mut conn, live.id, &q, breakdown.as_deref())
            .expect("docx");
        size = bytes.len();
    });
    println!(
        "report docx (by breakdown): {:.3} s, {:.1} MB file, peak RSS +{:.1} MB",
        elapsed.as_secs_f64(),
        size as f64 / 1e6,
        grew as f64 / 1024.0
    );

    measure_release(&mut conn, total, &mut rng, today, now);
}

/// Sealing `total` responses into the waiting room of a second survey, then releasing them
/// all at once (what closing a survey does), then folding their tallies.
fn measure_release(
    conn: &mut DbConnection,
    total: usize,
    rng: &mut StdRng,
    today: chrono::NaiveDate,
    now: chrono::NaiveDateTime,
) {
    let twin = SHIPPED.replace(
        "slug = \"safeguarding-frontline\"",
        "slug = \"release-bench\"",
    );
    let (q, _) = candour::survey::import(conn, &twin, now).expect("import the twin");
    candour::survey::open(conn, &q.slug, now).expect("open the twin");
    let live = Catalog::new()
        .live(conn, &q.slug)
        .expect("survey")
        .expect("survey");
    let key = candour::secrets::SecretKey::parse(&"ab".repeat(32)).expect("a key");
    let seal = candour::release::ResponseSeal::new(&key);
    let mut sealing = Duration::ZERO;
    let mut sealed = 0;
    while sealed < total {
        let n = 1000.min(total - sealed);
        let rows: Vec<_> = (0..n)
            .map(|_| {
                candour::respond::submission::sealed_row(&seal, live.id, &random_answers(&q, rng))
            })
            .collect();
        let start = Instant::now();
        candour::db::write_transaction(conn, |conn| candour::db::waiting::insert_all(conn, &rows))
            .expect("seal");
        sealing += start.elapsed();
        sealed += n;
    }
    let start = Instant::now();
    let released = candour::release::release_all(conn, &seal, live.id, today).expect("release all");
    let releasing = start.elapsed();
    assert_eq!(released, total, "every waiting response released");
    let start = Instant::now();
    candour::report::tally::fold_all(conn).expect("fold the tallies");
    let folding = start.elapsed();
    println!(
        "waiting room: {total} sealed responses inserted in {:.1} s; released all at once in {:.2} s; their tallies folded in {:.2} s",
        sealing.as_secs_f64(),
        releasing.as_secs_f64(),
        folding.as_secs_f64()
    );
}
