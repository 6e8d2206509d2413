//! Invitations end to end, against a real SMTP server on loopback: import, send, links,
//! resuming, one response per invitation, opt-out, reminders, retries, bounces, several
//! senders, header injection.

mod common;

use std::collections::HashSet;

use candour::clock::Clock;
use candour::config::Settings;
use candour::mail::{Sender, Transport};
use common::{
    count_rows, stderr, stdout, Backend, SmtpMode, SmtpSink, TestApp, TestDb, SMALL_QUESTIONNAIRE,
};
use diesel::connection::SimpleConnection;
use figment::providers::Serialized;

/// The small questionnaire, invitation-only, with a reminder policy of at most `max`.
fn invitation_only(max: u32) -> String {
    SMALL_QUESTIONNAIRE.replace(
        "min_group_size = 5\n",
        &format!(
            "min_group_size = 5\nopen_link = false\n[reminders]\nfirst_after_days = 3\nevery_days = 2\nmax = {max}\n"
        ),
    )
}

fn answer_everything(browser: &common::Browser, slug: &str) {
    let reply = browser.post_form(&format!("/s/{slug}/page/1"), &[("agency", "police")]);
    assert_eq!(reply.status, 303, "{}", reply.body);
    let reply = browser.post_form(
        &format!("/s/{slug}/page/2"),
        &[("thresholds", "agree"), ("comment", "distinctive words")],
    );
    assert_eq!(reply.status, 303, "{}", reply.body);
    let reply = browser.post_form(&format!("/s/{slug}/page/3"), &[("joint-visits", "Yes")]);
    assert_eq!(reply.status, 303, "{}", reply.body);
}

/// One invitee, invited by mail, who has answered the first page on their phone through the
/// invitation's link: (sink, app, survey slug, that link, the phone).
fn draft_started_by_link(
    backend: Backend,
    extra: &[(&str, &str)],
) -> (SmtpSink, TestApp, String, String, common::Browser) {
    let sink = SmtpSink::start();
    let app = TestApp::builder(backend)
        .smtp(&sink)
        .settings(extra)
        .start();
    let slug = app.import_and_open(&invitation_only(2));
    app.import_invitees(&slug, "email\nann@example.org\n");
    app.cli_ok(&["invite", "send", &slug]);
    let first = sink.wait_for(1, 20)[0].link("i");
    let phone = app.browser();
    assert_eq!(phone.get(&first).status, 303);
    assert_eq!(
        phone
            .post_form(&format!("/s/{slug}/page/1"), &[("agency", "police")])
            .status,
        303
    );
    (sink, app, slug, first, phone)
}

fn outbox_status(app: &TestApp) -> Vec<(String, i32, bool)> {
    use candour::db::schema::outbox;
    use diesel::prelude::*;
    let mut conn = app.db.connect();
    outbox::table
        .select((
            outbox::status,
            outbox::attempts,
            outbox::body_text.is_null(),
        ))
        .load(&mut conn)
        .expect("read the outbox")
}

on_both_backends! {
    invitations_arrive_with_working_links_and_one_response_each => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&invitation_only(2));

        // A bad file imports nothing and names every bad line.
        let bad = common::write_file(app.db.dir(), "bad.csv", "name,email\nAnn,ann@example.org\nBob,not-an-address\n,\nEve,\n");
        let output = app.cli(&["invite", "import", &slug, bad.to_str().unwrap()]);
        assert!(!output.status.success());
        let err = stderr(&output);
        assert!(err.contains("line 3") && err.contains("line 5") && !err.contains("line 2"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert_eq!(app.count("invitations"), 0);

        let out = app.import_invitees(&slug, "group,email,name\npolice,Ann@Example.org,Ann\nhealth,bob@example.org,Bob\npolice,ANN@example.org,Ann again\n");
        assert!(out.contains("imported 2") && out.contains("1 already"), "{out}");
        let out = app.import_invitees(&slug, "email\nbob@EXAMPLE.org\ncara@example.org\n");
        assert!(out.contains("imported 1") && out.contains("1 already"), "{out}");

        assert!(app.cli_ok(&["invite", "send", &slug]).contains("queued 3"));
        assert!(app.cli_ok(&["invite", "send", &slug]).contains("queued 0"));
        let mail = sink.wait_for(3, 20);
        let to_ann = mail.iter().find(|m| m.recipients == ["Ann@Example.org"]).expect("Ann's invitation");
        assert!(to_ann.header("Subject")[0].contains("Test survey"), "{:?}", to_ann.header("Subject"));
        assert!(to_ann.data.contains("Dear Ann,"));
        assert!(to_ann.data.contains("anonymous"));
        let link = to_ann.link("i");
        let opt_out = to_ann.link("o");
        assert!(!opt_out.contains(&link[3..]), "the opt-out link does not carry the answer token");
        // The opt-out link cannot answer: as an answer link it is not valid.
        assert_eq!(app.browser().get(&format!("/i/{}", &opt_out[3..])).status, 404);
        // A forged tag opts no one out.
        let forged = format!("{}0", &opt_out[..opt_out.len() - 1]);
        let forged = if forged == opt_out { format!("{}1", &opt_out[..opt_out.len() - 1]) } else { forged };
        assert_eq!(app.browser().get(&forged).status, 404);

        // Accepted mail keeps no body (the link is gone from the database).
        std::thread::sleep(std::time::Duration::from_millis(300));
        assert!(outbox_status(&app).iter().all(|(status, attempts, no_body)| status == "sent" && *attempts == 1 && *no_body));

        // The open link is off: without an invitation nobody may answer.
        let stranger = app.browser();
        let reply = stranger.get(&format!("/s/{slug}"));
        assert!(reply.body.contains("personal invitation"), "{}", reply.body);

        // The link is exchanged for a cookie and a redirect.
        let phone = app.browser();
        let reply = phone.get(&link);
        assert_eq!(reply.status, 303);
        assert_eq!(reply.location(), format!("/s/{slug}"));
        let cookie = reply.header("set-cookie").expect("a cookie");
        assert!(cookie.contains("candour_invite=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains(&format!("Path=/s/{slug}")), "{cookie}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        let reply = phone.get(&format!("/s/{slug}"));
        assert!(reply.body.contains("Start now"), "{}", reply.body);
        let reply = phone.post_form(&format!("/s/{slug}/page/1"), &[("agency", "police")]);
        assert_eq!(reply.status, 303);

        // The draft is sealed: nothing readable is stored.
        let mut conn = app.db.connect();
        assert_eq!(count_rows(&mut conn, "invitation_drafts"), 1);
        assert_eq!(count_rows(&mut conn, "drafts"), 0);

        // Later, on another device through the same link: carry on where they left off.
        let desktop = app.browser();
        assert_eq!(desktop.get(&link).status, 303);
        let reply = desktop.get(&format!("/s/{slug}"));
        assert!(reply.body.contains("Continue where you left off"), "{}", reply.body);
        let reply = desktop.get(&format!("/s/{slug}/page/1"));
        assert!(reply.body.contains("value=\"police\" checked"), "{}", reply.body);
        answer_everything(&desktop, &slug);
        let reply = desktop.post_form(&format!("/s/{slug}/submit"), &[]);
        assert_eq!(reply.status, 303, "{}", reply.body);
        assert_eq!(app.count("responses") + app.waiting(), 1);
        assert_eq!(app.count("invitation_drafts"), 0);

        // Every link of the invitation now says so and accepts nothing.
        let reply = app.browser().get(&link);
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains("already responded"));
        let reply = phone.post_form(&format!("/s/{slug}/page/1"), &[("agency", "council")]);
        assert!(reply.body.contains("already responded"), "{}", reply.body);
        let token = &link[3..];
        let reply = app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &serde_json::json!({"token": token, "answers": {"agency": "police", "thresholds": "agree"}}));
        assert_eq!(reply.status, 409, "{}", reply.body);
        assert_eq!(app.count("responses") + app.waiting(), 1);

        // JSON with another invitation's token works once; unknown tokens are 404.
        let bob = mail.iter().find(|m| m.recipients == ["bob@example.org"]).unwrap().link("i");
        let body = serde_json::json!({"token": &bob[3..], "answers": {"agency": "council", "thresholds": "disagree"}});
        assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &body).status, 201);
        assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &body).status, 409);
        let unknown = serde_json::json!({"token": "0".repeat(64), "answers": {"agency": "council", "thresholds": "agree"}});
        assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &unknown).status, 404);
        let reply = app.browser().get(&format!("/i/{}", "a".repeat(64)));
        assert_eq!(reply.status, 404);
        assert!(reply.body.contains("not valid"));
        // Without a token the JSON endpoint respects open_link = false.
        let open = serde_json::json!({"answers": {"agency": "council", "thresholds": "agree"}});
        assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &open).status, 409);

        // Opting out: a confirmation page, then a POST.
        let cara = mail.iter().find(|m| m.recipients == ["cara@example.org"]).unwrap().link("o");
        let reply = app.browser().get(&cara);
        assert_eq!(reply.status, 200);
        assert!(reply.body.contains("method=\"post\""));
        assert_eq!(app.count("invitations"), 3);
        let reply = app.browser().post_form(&cara, &[]);
        assert!(reply.body.contains("no more emails"), "{}", reply.body);

        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("invitations: invited 3, completed 2, opted out 1, undeliverable 0"), "{status}");
        assert!(status.contains("group police: invited 1, other figures hidden"), "{status}");
        assert!(!status.contains("example.org"), "{status}");
    };

    reminders_go_only_to_the_right_invitations_within_the_maximum => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).setting("scheduler.interval_seconds", "1").start();
        let slug = app.import_and_open(&invitation_only(2));
        app.import_invitees(&slug, "email\na@example.org\nb@example.org\nc@example.org\nd@example.org\n");
        sink.reject("d@example.org");
        app.cli_ok(&["invite", "send", &slug]);
        let mail = sink.wait_for(3, 20);
        let link = |who: &str, kind: &str| mail.iter().find(|m| m.recipients == [who]).unwrap().link(kind);
        // a responds, b opts out, d bounced: only c is reminded.
        let token = link("a@example.org", "i");
        let body = serde_json::json!({"token": &token[3..], "answers": {"agency": "council", "thresholds": "agree"}});
        assert_eq!(app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &body).status, 201);
        app.browser().post_form(&link("b@example.org", "o"), &[]);
        std::thread::sleep(std::time::Duration::from_millis(500));

        // Not due yet: the scheduler (running every second) queues nothing.
        std::thread::sleep(std::time::Duration::from_millis(1500));
        assert_eq!(sink.messages().len(), 3);

        // Without --yes: the count, a one-line reason, a failure exit, and nothing queued.
        let outbox_before = app.count("outbox");
        let asked = app.cli(&["remind", &slug]);
        assert!(!asked.status.success());
        let reason = stderr(&asked);
        assert_eq!(reason.trim().lines().count(), 1, "{reason}");
        assert!(reason.contains("1 person would be reminded now") && reason.contains("--yes"), "{reason}");
        assert_eq!(app.count("outbox"), outbox_before, "nothing queued without --yes");

        let out = app.cli_ok(&["remind", &slug, "--yes"]);
        assert!(out.contains("queued 1"), "{out} {}", app.cli_ok(&["survey", "status", &slug]));
        let mail = sink.wait_for(4, 20);
        let reminder = &mail[3];
        assert_eq!(reminder.recipients, ["c@example.org"]);
        assert!(reminder.header("Subject")[0].starts_with("Reminder"));
        // The reminder's fresh link and the invitation's first link both work.
        let fresh = reminder.link("i");
        assert_ne!(fresh, link("c@example.org", "i"));
        assert_eq!(app.browser().get(&fresh).status, 303);
        assert_eq!(app.browser().get(&link("c@example.org", "i")).status, 303);

        // When a reminder falls due the scheduler sends it; then the maximum (2) is reached.
        app.db.connect().batch_execute("UPDATE invitations SET next_reminder_on = '2000-01-01'").unwrap();
        let mail = sink.wait_for(5, 20);
        assert_eq!(mail[4].recipients, ["c@example.org"]);
        app.db.connect().batch_execute("UPDATE invitations SET next_reminder_on = '2000-01-01'").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2500));
        assert!(app.cli_ok(&["remind", &slug, "--yes"]).contains("queued 0"));
        assert_eq!(sink.messages().len(), 5);
        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("invited 4, completed 1, opted out 1, undeliverable 1"), "{status}");

        // Never after the survey closes.
        app.cli_ok(&["survey", "close", &slug]);
        let output = app.cli(&["remind", &slug, "--yes"]);
        assert!(!output.status.success());
        assert!(stderr(&output).contains("not open"), "{}", stderr(&output));
    };

    smtp_down_then_back_delivers_everything_once => |backend: Backend| {
        let sink = SmtpSink::start();
        sink.set_mode(SmtpMode::Down);
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&invitation_only(1));
        let csv: String = std::iter::once("email".to_owned()).chain((0..20).map(|i| format!("p{i}@example.org"))).collect::<Vec<_>>().join("\n");
        app.import_invitees(&slug, &csv);
        app.cli_ok(&["invite", "send", &slug]);
        std::thread::sleep(std::time::Duration::from_millis(1500));
        sink.set_mode(SmtpMode::Temporary);
        std::thread::sleep(std::time::Duration::from_millis(1500));
        assert!(sink.messages().is_empty());
        let retried = outbox_status(&app);
        assert!(retried.iter().all(|(status, attempts, no_body)| status == "pending" && *attempts >= 1 && !no_body), "{retried:?}");
        sink.set_mode(SmtpMode::Accept);
        let mail = sink.wait_for(20, 60);
        std::thread::sleep(std::time::Duration::from_secs(3));
        let mail_after = sink.messages();
        assert_eq!(mail_after.len(), 20, "no duplicates");
        let recipients: HashSet<&str> = mail.iter().map(|m| m.recipients[0].as_str()).collect();
        assert_eq!(recipients.len(), 20);
        assert!(outbox_status(&app).iter().all(|(status, _, no_body)| status == "sent" && *no_body));
    };

    a_permanent_refusal_marks_undeliverable_without_retry => |backend: Backend| {
        let sink = SmtpSink::start();
        sink.reject("gone@example.org");
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&invitation_only(1));
        app.import_invitees(&slug, "email\ngone@example.org\nhere@example.org\n");
        app.cli_ok(&["invite", "send", &slug]);
        sink.wait_for(1, 20);
        std::thread::sleep(std::time::Duration::from_secs(3));
        assert_eq!(sink.rejected(), 1, "a 550 is not retried");
        assert_eq!(sink.messages().len(), 1);
        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("undeliverable 1"), "{status}");
        use diesel::prelude::*;
        use candour::db::schema::invitations as inv;
        let errors: Vec<Option<String>> = inv::table.filter(inv::undeliverable.eq(true)).select(inv::last_error).load(&mut app.db.connect()).unwrap();
        assert!(errors[0].as_deref().unwrap_or_default().contains("no such mailbox"), "{errors:?}");
    };

    a_header_injection_attempt_in_a_name_yields_one_clean_header => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&invitation_only(1));
        app.import_invitees(&slug, "email,name\nvictim@example.org,\"Mallory <mallory@evil.example>, Bcc: x@evil.example\"\n");
        // CR and LF are refused by the import; a name stored with them by other means is
        // still flattened before it reaches a header.
        app.db.connect().batch_execute("INSERT INTO invitations (id, survey_id, email, email_key, name, sent, completed, opted_out, undeliverable, reminders_sent) SELECT 'injected', id, 'other@example.org', 'other@example.org', 'Eve' || char(13) || char(10) || 'Bcc: spy@evil.example', FALSE, FALSE, FALSE, FALSE, 0 FROM surveys WHERE slug = 'test-survey'".replace("char(", if backend == Backend::Postgres { "chr(" } else { "char(" }).as_str()).unwrap();
        app.cli_ok(&["invite", "send", &slug]);
        let mail = sink.wait_for(2, 20);
        for message in &mail {
            assert_eq!(message.recipients.len(), 1, "{:?}", message.recipients);
            assert_eq!(message.header("To").len(), 1);
            assert!(message.header("Bcc").is_empty(), "{}", message.data);
            assert_eq!(message.header("Subject").len(), 1);
            assert!(message.recipients[0].ends_with("@example.org"));
        }
    };

    two_senders_on_one_database_send_each_message_once => |backend: Backend| {
        let sink = SmtpSink::start();
        let db = TestDb::new(backend);
        let owned = sink.settings();
        let mut figment = Settings::defaults().merge(Serialized::default("database.url", &db.url));
        for (key, value) in &owned {
            figment = common::merge_setting(figment, key, value);
        }
        let settings = Settings::from_figment(figment.merge(Serialized::default("mail.rate_per_second", 50))).unwrap();
        let database = candour::server::open_database(&settings).unwrap();
        let output = common::cli_with(&db, &["survey", "import", common::write_file(db.dir(), "q.toml", &invitation_only(1)).to_str().unwrap()], None);
        let slug = stdout(&output).trim().to_owned();
        assert!(common::cli_with(&db, &["survey", "open", &slug], None).status.success());
        let csv: String = std::iter::once("email".to_owned()).chain((0..300).map(|i| format!("p{i}@example.org"))).collect::<Vec<_>>().join("\n");
        let file = common::write_file(db.dir(), "list.csv", &csv);
        assert!(common::cli_with(&db, &["invite", "import", &slug, file.to_str().unwrap()], None).status.success());
        assert!(common::cli_with(&db, &["invite", "send", &slug], None).status.success());
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        runtime.block_on(async {
            let one = Sender::new(database.clone(), Transport::from_settings(&settings.mail).unwrap(), settings.mail.clone(), Clock::system()).unwrap();
            let two = Sender::new(database.clone(), Transport::from_settings(&settings.mail).unwrap(), settings.mail.clone(), Clock::system()).unwrap();
            let a = tokio::spawn(one.run());
            let b = tokio::spawn(two.run());
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
            while sink.messages().len() < 300 && std::time::Instant::now() < deadline {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            a.abort();
            b.abort();
        });
        let mail = sink.messages();
        assert_eq!(mail.len(), 300);
        let distinct: HashSet<&str> = mail.iter().map(|m| m.recipients[0].as_str()).collect();
        assert_eq!(distinct.len(), 300);
    };

    a_reminder_link_continues_a_draft_started_through_an_earlier_link => |backend: Backend| {
        let key = "5e".repeat(32);
        let (sink, app, slug, first, phone) = draft_started_by_link(backend, &[("security.secret_key", key.as_str())]);
        let stored = common::text_lines(&mut app.db.connect(), "SELECT sealed || ' ' || COALESCE(server_sealed_key, 'none') AS line FROM invitation_drafts");
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains("police") && !stored[0].contains("none"), "{stored:?}");

        // A reminder mints a new link; on another device it opens the same draft.
        assert!(app.cli_ok(&["remind", &slug, "--yes"]).contains("queued 1"));
        let fresh = sink.wait_for(2, 20)[1].link("i");
        assert_ne!(fresh, first);
        let desktop = app.browser();
        assert_eq!(desktop.get(&fresh).status, 303);
        let reply = desktop.get(&format!("/s/{slug}"));
        assert!(reply.body.contains("Continue where you left off"), "{}", reply.body);
        let reply = desktop.get(&format!("/s/{slug}/page/1"));
        assert!(reply.body.contains("value=\"police\" checked"), "{}", reply.body);
        assert_eq!(desktop.post_form(&format!("/s/{slug}/page/1"), &[("agency", "council")]).status, 303);

        // The first link still works and sees the answer changed on the desktop.
        let reply = phone.get(&format!("/s/{slug}/page/1"));
        assert!(reply.body.contains("value=\"council\" checked"), "{}", reply.body);
        answer_everything(&phone, &slug);
        assert_eq!(phone.post_form(&format!("/s/{slug}/submit"), &[]).status, 303);
        assert_eq!(app.count("responses") + app.waiting(), 1);
        assert_eq!(app.count("invitation_drafts"), 0);
        assert!(app.browser().get(&fresh).body.contains("already responded"));
    };

    without_a_configured_key_the_generated_key_file_lets_a_reminder_link_continue => |backend: Backend| {
        let (sink, app, slug, _first, _phone) = draft_started_by_link(backend, &[]);
        let stored = common::text_lines(&mut app.db.connect(), "SELECT sealed || ' ' || COALESCE(server_sealed_key, 'none') AS line FROM invitation_drafts");
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].contains("police") && !stored[0].contains("none"), "{stored:?}");
        let key_file = app.db.key_file();
        let key = std::fs::read_to_string(&key_file).expect("the generated key file");
        assert_eq!(key.trim().len(), 64);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the service's user reads the key");
        }

        assert!(app.cli_ok(&["remind", &slug, "--yes"]).contains("queued 1"));
        let fresh = sink.wait_for(2, 20)[1].link("i");
        let desktop = app.browser();
        assert_eq!(desktop.get(&fresh).status, 303);
        let reply = desktop.get(&format!("/s/{slug}/page/1"));
        assert!(reply.body.contains("value=\"police\" checked"), "{}", reply.body);
    };
}

on_both_backends! {
    one_invitation_answers_once_even_when_its_token_arrives_many_times_at_once => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&invitation_only(2));
        app.import_invitees(&slug, "email\nann@example.org\nbob@example.org\n");
        app.cli_ok(&["invite", "send", &slug]);
        let mail = sink.wait_for(2, 20);
        let tokens: Vec<String> = mail.iter().map(|m| m.link("i")[3..].to_owned()).collect();
        // Eight copies of each invitation's response, sent together, land in the writer's
        // batches together: each invitation is stored once, every other copy is refused.
        let statuses: Vec<u16> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..16)
                .map(|i| {
                    let (app, slug, token) = (&app, &slug, &tokens[i % 2]);
                    scope.spawn(move || {
                        let body = serde_json::json!({"token": token, "answers": {"agency": "council", "thresholds": "agree"}});
                        app.browser().post_json(&format!("/api/v1/surveys/{slug}/responses"), &body).status
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(statuses.iter().filter(|&&s| s == 201).count(), 2, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|&&s| s == 409).count(), 14, "{statuses:?}");
        assert_eq!(app.count("responses") + app.waiting(), 2);
        let status = app.cli_ok(&["survey", "status", &slug]);
        assert!(status.contains("invited 2, completed 2"), "{status}");
    };
}
