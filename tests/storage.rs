//! Storage: migrations both ways, per-connection settings, and what a stored response holds.

mod common;

use candour::db::migrations;
use common::{count_rows, Backend, TestApp, TestDb, SMALL_QUESTIONNAIRE};
use diesel::sql_types::Text;
use diesel::RunQueryDsl;
use std::collections::BTreeSet;

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

fn tables(db: &TestDb) -> Vec<String> {
    let sql = match db.backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        Backend::Postgres => "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    };
    diesel::sql_query(sql)
        .load::<Name>(&mut db.connect())
        .expect("list tables")
        .into_iter()
        .map(|n| n.name)
        .collect()
}

fn columns(db: &TestDb, table: &str) -> Vec<String> {
    let sql = match db.backend {
        Backend::Sqlite => format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
        Backend::Postgres => format!(
            "SELECT column_name AS name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position"
        ),
    };
    diesel::sql_query(sql)
        .load::<Name>(&mut db.connect())
        .expect("list columns")
        .into_iter()
        .map(|n| n.name)
        .collect()
}

on_both_backends! {
    migrations_run_up_down_and_up_again => |backend: Backend| {
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        assert!(migrations::run_pending(&mut conn).unwrap() >= 1);
        assert_eq!(migrations::run_pending(&mut conn).unwrap(), 0, "idempotent");
        let all = tables(&db);
        for table in ["surveys", "responses", "drafts"] {
            assert!(all.contains(&table.to_owned()), "{table} in {all:?}");
        }
        assert!(migrations::revert_all(&mut conn).unwrap() >= 1);
        let left: Vec<_> = tables(&db).into_iter().filter(|t| t != "__diesel_schema_migrations").collect();
        assert!(left.is_empty(), "down removes everything: {left:?}");
        assert!(migrations::run_pending(&mut conn).unwrap() >= 1);
    };

    stored_responses_hold_nothing_that_identifies_or_orders => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        for agency in ["council", "police", "Health"] {
            let reply = browser.post_json(
                &format!("/api/v1/surveys/{slug}/responses"),
                &serde_json::json!({"answers": {"agency": agency, "thresholds": "agree"}}),
            );
            assert_eq!(reply.status, 201);
        }
        assert_eq!(columns(&app.db, "waiting_responses"), ["id", "survey_id", "sealed"]);
        app.release_all(&slug);
        assert_eq!(columns(&app.db, "responses"), ["id", "survey_id", "submitted_on", "answers"]);

        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = Text)]
            id: String,
            #[diesel(sql_type = Text)]
            day: String,
        }
        let rows: Vec<Row> = diesel::sql_query("SELECT id, CAST(submitted_on AS TEXT) AS day FROM responses")
            .load(&mut app.db.connect())
            .unwrap();
        assert_eq!(rows.len(), 3);
        let today = app.clock.now().date().to_string();
        for row in &rows {
            assert_eq!(row.id.len(), 32, "128 random bits");
            assert!(row.id.chars().all(|c| c.is_ascii_hexdigit()));
            assert_eq!(row.day, today, "the release day only, no time");
        }
        if backend == Backend::Sqlite {
            // WITHOUT ROWID: a plain scan returns rows in random-id order, not arrival order.
            let mut sorted: Vec<_> = rows.iter().map(|r| r.id.clone()).collect();
            sorted.sort();
            assert_eq!(rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(), sorted);
        }
        assert_eq!(count_rows(&mut app.db.connect(), "drafts"), 0);
    };
}

#[test]
fn sqlite_connections_are_durable_and_strict() {
    let db = TestDb::new(Backend::Sqlite);
    let mut conn = db.connect();
    #[derive(diesel::QueryableByName)]
    struct Value {
        #[diesel(sql_type = Text)]
        v: String,
    }
    let pragma = |conn: &mut candour::db::DbConnection, name: &str| -> String {
        let column = if name == "busy_timeout" {
            "timeout"
        } else {
            name
        };
        diesel::sql_query(format!(
            "SELECT CAST({column} AS TEXT) AS v FROM pragma_{name}"
        ))
        .get_result::<Value>(conn)
        .unwrap()
        .v
    };
    assert_eq!(pragma(&mut conn, "journal_mode"), "wal");
    assert_eq!(pragma(&mut conn, "synchronous"), "2", "FULL");
    assert_eq!(pragma(&mut conn, "foreign_keys"), "1");
    assert_eq!(
        pragma(&mut conn, "secure_delete"),
        "1",
        "deleted rows are zeroed"
    );
    assert_eq!(pragma(&mut conn, "busy_timeout"), "5000");
    assert_eq!(
        pragma(&mut conn, "cache_size"),
        "-256",
        "a small page cache per pooled connection (KiB)"
    );
    assert!(
        db.dir().join("data").is_dir(),
        "the SQLite file's folder is created"
    );
}

/// A migrated database with the small questionnaire imported, and a seal under a fixed key.
fn migrated_with_a_survey(
    backend: Backend,
) -> (
    TestDb,
    candour::db::DbConnection,
    candour::db::SurveyId,
    candour::release::ResponseSeal,
) {
    let db = TestDb::new(backend);
    let mut conn = db.connect();
    migrations::run_pending(&mut conn).unwrap();
    let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
    let (q, _) = candour::survey::import(&mut conn, SMALL_QUESTIONNAIRE, now).expect("import");
    let survey_id = candour::db::surveys::find_by_slug(&mut conn, &q.slug)
        .unwrap()
        .unwrap()
        .id;
    let key = candour::secrets::SecretKey::parse(&"ab".repeat(32)).unwrap();
    (
        db,
        conn,
        survey_id,
        candour::release::ResponseSeal::new(&key),
    )
}

fn store_waiting(
    conn: &mut candour::db::DbConnection,
    rows: &[candour::db::waiting::WaitingResponse],
) {
    candour::db::write_transaction(conn, |conn| candour::db::waiting::insert_all(conn, rows))
        .unwrap();
}

on_both_backends! {
    waiting_responses_survive_the_change_from_hex_to_bytes => |backend: Backend| {
        use candour::db::waiting;
        let (_db, mut conn, survey_id, seal) = migrated_with_a_survey(backend);
        let row = seal.seal(survey_id, r#"{"agency":"police"}"#);
        store_waiting(&mut conn, std::slice::from_ref(&row));
        // Back to hex text, then forward again: the row still opens, with the same answers.
        assert!(migrations::revert_newer_than(&mut conn, "2026-12-04-000011").unwrap() >= 1);
        let hex_length = common::text_lines(&mut conn, "SELECT CAST(LENGTH(sealed) AS TEXT) AS line FROM waiting_responses");
        assert_eq!(hex_length, [(2 * row.sealed.len()).to_string()], "stored as hex before");
        assert!(migrations::run_pending(&mut conn).unwrap() >= 1);
        let rows = waiting::random_batch(&mut conn, survey_id, 10).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].sealed, row.sealed);
        assert_eq!(seal.open(&rows[0]).as_deref(), Some(r#"{"agency":"police"}"#));
    };

    waiting_responses_keep_their_answers_when_their_ids_become_numbers => |backend: Backend| {
        use candour::db::waiting;
        let (_db, mut conn, survey_id, seal) = migrated_with_a_survey(backend);
        let answers: BTreeSet<String> = ["police", "health", "council"]
            .iter()
            .map(|agency| format!(r#"{{"agency":"{agency}"}}"#))
            .collect();
        let rows: Vec<_> = answers.iter().map(|a| seal.seal(survey_id, a)).collect();
        store_waiting(&mut conn, &rows);
        // Back to random text ids, then forward to random numbers: every row still opens.
        assert_eq!(migrations::revert_newer_than(&mut conn, "2026-12-04-000013").unwrap(), 1);
        let text_ids = common::text_lines(&mut conn, "SELECT id AS line FROM waiting_responses");
        assert_eq!(text_ids.len(), 3);
        assert!(text_ids.iter().all(|id| id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())), "{text_ids:?}");
        assert_eq!(migrations::run_pending(&mut conn).unwrap(), 1);
        let back = waiting::random_batch(&mut conn, survey_id, 10).unwrap();
        let ids: BTreeSet<i64> = back.iter().map(|row| row.id).collect();
        assert_eq!(ids.len(), 3, "distinct ids");
        let opened: BTreeSet<String> = back.iter().map(|row| seal.open(row).expect("opens")).collect();
        assert_eq!(opened, answers);
    };

    abandoned_drafts_are_deleted_after_their_days => |backend: Backend| {
        use candour::db::drafts::{self, DraftRow};
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        migrations::run_pending(&mut conn).unwrap();
        let (questionnaire, _) = candour::survey::import(&mut conn, SMALL_QUESTIONNAIRE, chrono::Utc::now().naive_utc()).unwrap();
        let survey = candour::db::surveys::find_by_slug(&mut conn, &questionnaire.slug).unwrap().unwrap();
        let today = chrono::Utc::now().date_naive();
        for (hash, age) in [("old", 20u64), ("recent", 2)] {
            drafts::insert(&mut conn, &DraftRow {
                id_hash: hash.into(),
                survey_id: survey.id,
                answers: "{}".into(),
                updated_on: today - chrono::Days::new(age),
            }).unwrap();
        }
        let deleted = drafts::delete_older_than(&mut conn, today - chrono::Days::new(14)).unwrap();
        assert_eq!(deleted, 1);
        assert!(drafts::survey_with_draft(&mut conn, &questionnaire.slug, Some("recent")).unwrap().unwrap().1.is_some());
        assert!(drafts::survey_with_draft(&mut conn, &questionnaire.slug, Some("old")).unwrap().unwrap().1.is_none());

        // Invited respondents' sealed drafts expire the same way.
        use candour::db::invitations;
        candour::invite::import(&mut conn, &questionnaire.slug, b"email\nold@example.org\nnew@example.org\n").unwrap();
        let ids: Vec<candour::db::InvitationId> = {
            use candour::db::schema::invitations as inv;
            use diesel::prelude::*;
            inv::table.order(inv::email.asc()).select(inv::id).load(&mut conn).unwrap()
        };
        let sealed = invitations::SealedDraft { sealed: "sealed".into(), server_sealed_key: None };
        invitations::save_draft(&mut conn, &ids[1], survey.id, &sealed, today - chrono::Days::new(20)).unwrap();
        invitations::save_draft(&mut conn, &ids[0], survey.id, &sealed, today).unwrap();
        assert_eq!(invitations::delete_drafts_older_than(&mut conn, today - chrono::Days::new(14)).unwrap(), 1);
        assert!(invitations::find_draft(&mut conn, &ids[1]).unwrap().is_none(), "old@ draft expired");
        assert!(invitations::find_draft(&mut conn, &ids[0]).unwrap().is_some(), "new@ draft kept");
    };

    survey_pages_read_each_response_once_in_id_order => |backend: Backend| {
        use candour::db::responses::{insert_all, NewResponse, SurveyPages};
        let db = TestDb::new(backend);
        let mut conn = db.connect();
        migrations::run_pending(&mut conn).unwrap();
        let now = chrono::Utc::now().naive_utc();
        let other = SMALL_QUESTIONNAIRE.replace("slug = \"test-survey\"", "slug = \"other-survey\"");
        assert_ne!(other, SMALL_QUESTIONNAIRE);
        let (big, _) = candour::survey::import(&mut conn, SMALL_QUESTIONNAIRE, now).unwrap();
        let (small, _) = candour::survey::import(&mut conn, &other, now).unwrap();
        let id_of = |conn: &mut candour::db::DbConnection, slug: &str| {
            candour::db::surveys::find_by_slug(conn, slug).unwrap().unwrap().id
        };
        let (big, small) = (id_of(&mut conn, &big.slug), id_of(&mut conn, &small.slug));
        // 40 responses and 2: on SQLite the first survey is read by walking the table, the
        // second (under a sixteenth of the table) through the index.
        let mut rows = Vec::new();
        for (survey_id, n) in [(big, 40), (small, 2)] {
            for _ in 0..n {
                rows.push(NewResponse {
                    id: candour::db::ResponseId(candour::secrets::random_id()),
                    survey_id,
                    submitted_on: now.date(),
                    answers: "{}".to_owned(),
                });
            }
        }
        insert_all(&mut conn, &rows).unwrap();
        for survey_id in [big, small] {
            let mut expected: Vec<candour::db::ResponseId> = rows
                .iter()
                .filter(|r| r.survey_id == survey_id)
                .map(|r| r.id.clone())
                .collect();
            expected.sort_unstable();
            let pages = SurveyPages::new(&mut conn, survey_id).unwrap();
            let mut read = Vec::new();
            let mut after: Option<candour::db::ResponseId> = None;
            loop {
                let page = pages.after(&mut conn, after.as_ref(), 3).unwrap();
                assert!(page.len() <= 3);
                let Some(last) = page.last() else { break };
                after = Some(last.id.clone());
                read.extend(page.into_iter().map(|r| r.id));
            }
            assert_eq!(read, expected, "survey {survey_id}");
        }
    };
}
