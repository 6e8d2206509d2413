//! Whoever holds a copy of the database cannot link a response to its invitation: no shared
//! value, no time finer than a day, and responses stored in an order unrelated to submission.
//! Checked on a plain dump of every table (`SELECT *`-like, no ORDER BY), on both backends.
//! (Batches, transaction ids and copies over time: tests/anonymity_attacks.rs.)

mod common;

use std::collections::{BTreeMap, HashSet};

use candour::db::DbConnection;
use common::{Backend, SmtpSink, TestApp, SMALL_QUESTIONNAIRE};

const INVITEES: usize = 30;

use common::text_lines as lines;

/// Every table, every row as JSON text, in the order the database returns them.
fn dump(conn: &mut DbConnection) -> BTreeMap<String, Vec<String>> {
    let postgres = matches!(conn, DbConnection::Postgres(_));
    let tables = if postgres {
        lines(conn, "SELECT table_name::text AS line FROM information_schema.tables WHERE table_schema = 'public'")
    } else {
        lines(conn, "SELECT name AS line FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    };
    let mut out = BTreeMap::new();
    for table in tables {
        let sql = if postgres {
            format!("SELECT row_to_json(t)::text AS line FROM {table} t")
        } else {
            let columns = lines(
                conn,
                &format!("SELECT name AS line FROM pragma_table_info('{table}')"),
            );
            let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
            format!(
                "SELECT json_object({}) AS line FROM \"{table}\"",
                pairs.join(", ")
            )
        };
        out.insert(table.clone(), lines(conn, &sql));
    }
    out
}

/// Kendall's tau between two orders of the same items: 1 when identical, about 0 when unrelated.
fn kendall_tau(positions: &[usize]) -> f64 {
    let n = positions.len();
    let mut score = 0i64;
    for i in 0..n {
        for j in i + 1..n {
            score += if positions[i] < positions[j] { 1 } else { -1 };
        }
    }
    score as f64 / (n * (n - 1) / 2) as f64
}

/// For each completed invitation in completion order, the place its row has in a dump.
fn dump_positions(rows: &[String], ids_in_completion_order: &[String]) -> Vec<usize> {
    ids_in_completion_order
        .iter()
        .map(|id| {
            rows.iter()
                .position(|row| row.contains(&format!("\"{id}\"")))
                .expect("the invitation is in the dump")
        })
        .collect()
}

fn has_clock_time(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.windows(5).any(|w| {
        w[0].is_ascii_digit()
            && w[1].is_ascii_digit()
            && w[2] == b':'
            && w[3].is_ascii_digit()
            && w[4].is_ascii_digit()
    })
}

const RESPONSE_TABLES: [&str; 1] = ["responses"];
const INVITATION_TABLES: [&str; 4] = [
    "invitations",
    "invitation_tokens",
    "invitation_drafts",
    "outbox",
];

on_both_backends! {
    a_database_copy_cannot_link_responses_to_invitations => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&SMALL_QUESTIONNAIRE.replace("min_group_size = 5\n", "min_group_size = 5\nopen_link = false\n"));
        let csv: String = std::iter::once("email,name,group".to_owned())
            .chain((0..INVITEES).map(|i| format!("person{i}@example.org,Person {i},{}", if i % 2 == 0 { "police" } else { "health" })))
            .collect::<Vec<_>>()
            .join("\n");
        app.import_invitees(&slug, &csv);
        app.cli_ok(&["invite", "send", &slug]);
        let mut mail = sink.wait_for(INVITEES, 30);
        // An order unrelated to invitation ids and to the order mail was sent: by token.
        mail.sort_by_key(|m| m.link("i"));
        std::thread::sleep(std::time::Duration::from_millis(500));

        let mut conn = app.db.connect();
        let before = dump(&mut conn);

        // Complete in a known order,
        // each with a distinctive answer, half through the pages and half through JSON.
        let mut completion_order = Vec::new();
        let id_of = |email: &str, conn: &mut DbConnection| -> String {
            use candour::db::schema::invitations as inv;
            use diesel::prelude::*;
            inv::table.filter(inv::email.eq(email)).select(inv::id).first(conn).unwrap()
        };
        for (i, message) in mail.iter().enumerate() {
            let link = message.link("i");
            let words = format!("distinctive-answer-{i:03}");
            if i % 2 == 0 {
                let browser = app.browser();
                assert_eq!(browser.get(&link).status, 303);
                assert_eq!(browser.post_form(&format!("/s/{slug}/page/1"), &[("agency", "council")]).status, 303);
                assert_eq!(browser.post_form(&format!("/s/{slug}/page/2"), &[("thresholds", "agree"), ("comment", &words), ("caseload", &i.to_string())]).status, 303);
                assert_eq!(browser.post_form(&format!("/s/{slug}/submit"), &[]).status, 303);
            } else {
                let body = serde_json::json!({"token": &link[3..], "answers": {"agency": "council", "thresholds": "agree", "comment": words, "caseload": i}});
                assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &body).status, 201);
            }
            completion_order.push(id_of(&message.recipients[0], &mut conn));
        }
        assert_eq!(app.count("responses") + app.waiting(), INVITEES as i64);
        app.release_all(&slug);
        assert_eq!(app.count("responses"), INVITEES as i64);
        let after = dump(&mut conn);

        // Completing wrote nothing to the outbox (its rows and their order are unchanged).
        assert_eq!(before["outbox"], after["outbox"]);

        // No shared value: no response id, answer or comment appears on the invitation side,
        // and no invitation id, address, name or token hash on the response side.
        let invitation_side: String = INVITATION_TABLES.iter().map(|t| after[*t].join("\n")).collect();
        let response_side: String = RESPONSE_TABLES.iter().map(|t| after[*t].join("\n")).collect();
        for row in &after["responses"] {
            let value: serde_json::Value = serde_json::from_str(row).unwrap();
            let id = value["id"].as_str().unwrap();
            assert!(!invitation_side.contains(id), "response id {id} on the invitation side");
        }
        assert!(!invitation_side.contains("distinctive-answer"));
        for row in after["invitations"].iter().chain(&after["invitation_tokens"]) {
            let value: serde_json::Value = serde_json::from_str(row).unwrap();
            for field in ["id", "email", "name", "token_hash", "invitation_id"] {
                if let Some(text) = value.get(field).and_then(|v| v.as_str()) {
                    assert!(!response_side.contains(text), "{field} {text} on the response side");
                }
            }
        }
        // No time finer than a day anywhere near an invitation or a response.
        for table in RESPONSE_TABLES.iter().chain(&["invitations", "invitation_tokens", "invitation_drafts"]) {
            for row in &after[*table] {
                assert!(!has_clock_time(row), "{table}: {row}");
            }
        }
        // Nothing left of the drafts.
        assert!(after["invitation_drafts"].is_empty());
        assert!(after["drafts"].is_empty());

        // Responses, released in one batch in random order, come back in an order unrelated
        // to submission.
        let comments: Vec<String> = (0..INVITEES).map(|i| format!("distinctive-answer-{i:03}")).collect();
        let tau = kendall_tau(&dump_positions_by_text(&after["responses"], &comments));
        assert!(tau.abs() < 0.5, "comments come back in submission order (tau {tau})");
        if backend == Backend::Sqlite {
            // WITHOUT ROWID tables updated in place: invitations stay in random-id order. (On
            // PostgreSQL an update appends a row version, so a copy may show the order of
            // completions, as transaction ids do; no response is linked by it, since responses
            // join only in mixed batches of at least k.)
            let tau = kendall_tau(&dump_positions(&after["invitations"], &completion_order));
            assert!(tau.abs() < 0.5, "invitations come back in completion order (tau {tau})");
            let tokens_tau = kendall_tau(&dump_positions(&after["invitation_tokens"], &completion_order));
            assert!(tokens_tau.abs() < 0.5, "tokens come back in completion order (tau {tokens_tau})");
        }
        let ids: HashSet<&String> = completion_order.iter().collect();
        assert_eq!(ids.len(), INVITEES);
    };
}

fn dump_positions_by_text(rows: &[String], texts: &[String]) -> Vec<usize> {
    texts
        .iter()
        .map(|t| {
            rows.iter()
                .position(|row| row.contains(t.as_str()))
                .expect("the comment is in the dump")
        })
        .collect()
}
