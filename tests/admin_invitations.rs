//! Invitations from the survey page, through HTTP on both backends: uploading invitee
//! lists, sending invitations and reminders into a real SMTP server on loopback, and
//! response rates per group without identities.

mod common;

use common::{Backend, Browser, Reply, SmtpSink, TestApp, SMALL_QUESTIONNAIRE};

const BOUNDARY: &str = "candourtestboundary";

fn upload_csv(browser: &Browser, slug: &str, csrf: Option<&str>, csv: &str) -> Reply {
    let mut body = String::new();
    if let Some(csrf) = csrf {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n"
        ));
    }
    body.push_str(&format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"people.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{csv}\r\n--{BOUNDARY}--\r\n"
    ));
    browser.post_raw(
        &format!("/admin/surveys/{slug}/invitees"),
        &format!("multipart/form-data; boundary={BOUNDARY}"),
        body.as_bytes(),
    )
}

/// A form that worked redirects back to the survey page, which then says what was done.
fn followed(browser: &common::Browser, reply: common::Reply) -> common::Reply {
    assert_eq!(reply.status, 303, "{}", reply.body);
    let location = reply.location().to_owned();
    assert!(
        location.starts_with("/admin/surveys/") && location.contains("?done="),
        "{location}"
    );
    browser.get(&location)
}

/// The text of each cell of the table row headed `label`, tags and spaces stripped.
fn row_cells(body: &str, label: &str) -> Vec<String> {
    let row = body
        .split("<tr>")
        .find(|row| row.contains(&format!("<th scope=\"row\">{label}</th>")))
        .unwrap_or_else(|| panic!("no row {label} in:\n{body}"));
    let row = row.split("</tr>").next().unwrap_or_default();
    row.split("</t")
        .filter_map(|segment| {
            let start = segment.rfind("<td").max(segment.rfind("<th"))?;
            let mut text = String::new();
            let mut in_tag = false;
            for c in segment[start..].chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    _ if !in_tag => text.push(c),
                    _ => {}
                }
            }
            Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
        })
        .collect()
}

fn audit_details(app: &TestApp, action: &str) -> Vec<String> {
    candour::db::audit_log::recent(&mut app.db.connect(), 1000)
        .expect("read the audit log")
        .into_iter()
        .filter(|r| r.action == action)
        .map(|r| r.detail)
        .collect()
}

fn undeliverable(app: &TestApp) -> i64 {
    use candour::db::schema::invitations;
    use diesel::prelude::*;
    invitations::table
        .filter(invitations::undeliverable.eq(true))
        .count()
        .get_result(&mut app.db.connect())
        .expect("count undeliverable invitations")
}

fn answer_by_token(app: &TestApp, slug: &str, link: &str) {
    let body = serde_json::json!({"token": &link[3..], "answers": {"agency": "council", "thresholds": "agree"}});
    let reply = app
        .browser()
        .post_json(&format!("/api/v1/surveys/{slug}/responses"), &body);
    assert_eq!(reply.status, 201, "{}", reply.body);
}

const GOOD_LIST: &str = "group,email,name\n\
    police,p1@agency.test,Pat\n\
    council,c1@agency.test,\ncouncil,c2@agency.test,\ncouncil,c3@agency.test,\n\
    health,h1@agency.test,\nhealth,h2@agency.test,\nhealth,h3@agency.test,\nhealth,h4@agency.test,\n\
    education,e1@agency.test,\neducation,e2@agency.test,\neducation,e3@agency.test,\neducation,e4@agency.test,\n\
    health,H1@Agency.test,Again\n";

on_both_backends! {
    invitee_lists_invitations_reminders_and_rates_from_the_survey_page => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let questionnaire = SMALL_QUESTIONNAIRE.replace(
            "min_group_size = 5\n",
            "min_group_size = 2\nopen_link = false\n[reminders]\nfirst_after_days = 3\nevery_days = 2\nmax = 2\n",
        );
        let file = common::write_file(app.db.dir(), "q.toml", &questionnaire);
        let slug = common::stdout(&app.cli(&["survey", "import", file.to_str().unwrap()])).trim().to_owned();
        assert_eq!(slug, "test-survey");
        let page_path = format!("/admin/surveys/{slug}");
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let csrf = admin.csrf();
        let page = admin.get(&page_path);
        assert!(page.body.contains("No one has been invited yet"), "{}", page.body);
        assert!(page.body.contains("can be sent once the survey is open"));

        // Nothing can be sent while the survey is a draft.
        let refused = admin.post_form(&format!("{page_path}/invitations/send"), &[("_csrf", &csrf)]);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("Nothing was sent: the survey is not open"), "{}", refused.body);

        // A list with bad rows: every one reported by line, nothing imported.
        let bad = "name,email,group\nAnn,ann@agency.test,police\nBob,not-an-address,police\n,,council\nEve,eve@agency.test,\"x\r\ny\"\nDan,dan@agency.test,health\n";
        let reply = upload_csv(&admin, &slug, Some(&csrf), bad);
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert!(reply.body.contains("The invitee list was not imported"));
        assert!(reply.body.contains("3 rows have problems"), "{}", reply.body);
        for expected in ["Line 3: ", "not-an-address", "is not a valid email address",
            "Line 4: the email address is missing", "Line 5: the group contains a line break"] {
            assert!(reply.body.contains(expected), "{expected}: {}", reply.body);
        }
        assert!(!reply.body.contains("Line 2") && !reply.body.contains("Line 7"), "{}", reply.body);
        assert!(reply.body.contains("<title>Error: "));
        assert_eq!(app.count("invitations"), 0);
        let missing = upload_csv(&admin, &slug, Some(&csrf), "");
        assert_eq!(missing.status, 422);
        assert!(missing.body.contains("Choose an invitee list"));

        // Without or with a wrong CSRF token: refused, nothing imported.
        assert_eq!(upload_csv(&admin, &slug, None, GOOD_LIST).status, 403);
        assert_eq!(upload_csv(&admin, &slug, Some("wrong"), GOOD_LIST).status, 403);
        assert_eq!(app.count("invitations"), 0);

        // A good list; the repeated address is skipped.
        let reply = followed(&admin, upload_csv(&admin, &slug, Some(&csrf), GOOD_LIST));
        assert!(reply.body.contains("Imported 12 invitees; 1 address was already on the list and was skipped."), "{}", reply.body);
        assert_eq!(app.count("invitations"), 12);

        let opened = admin.post_form(&format!("{page_path}/open"), &[("_csrf", &csrf)]);
        assert_eq!(opened.status, 303);
        let page = admin.get(&page_path);
        assert!(page.body.contains("12 people on the list have not been sent an invitation yet"), "{}", page.body);

        // A viewer sees the rates but cannot upload or send.
        let (viewer, _) = app.enrolled("vic@example.org", "viewer");
        let viewer_csrf = viewer.csrf();
        let seen = viewer.get(&page_path);
        assert_eq!(seen.status, 200);
        assert!(seen.body.contains("Response rates") && seen.body.contains("Invitations by group"));
        assert!(!seen.body.contains("/invitees\"") && !seen.body.contains("Send invitations"));
        assert_eq!(upload_csv(&viewer, &slug, Some(&viewer_csrf), "email\nx@agency.test\n").status, 403);
        for action in ["invitations", "reminders"] {
            let reply = viewer.post_form(&format!("{page_path}/{action}/send"), &[("_csrf", &viewer_csrf)]);
            assert_eq!(reply.status, 403, "{action}");
        }
        assert_eq!(app.count("invitations"), 12);

        // Send invitations: refused without CSRF; then every invitation arrives once.
        sink.reject("h3@agency.test");
        let reply = admin.post_form(&format!("{page_path}/invitations/send"), &[]);
        assert_eq!(reply.status, 403);
        assert_eq!(app.count("outbox"), 0);
        let reply = followed(&admin, admin.post_form(&format!("{page_path}/invitations/send"), &[("_csrf", &csrf)]));
        assert!(reply.body.contains("12 invitations are on their way."), "{}", reply.body);
        // Reloading the page it redirected to queues nothing more.
        assert_eq!(admin.get(&format!("{page_path}?done=invitations&count=12")).status, 200);
        assert_eq!(app.count("outbox"), 12);
        let again = followed(&admin, admin.post_form(&format!("{page_path}/invitations/send"), &[("_csrf", &csrf)]));
        assert!(again.body.contains("nothing new was queued"), "{}", again.body);
        let mail = sink.wait_for(11, 30);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while undeliverable(&app) == 0 {
            assert!(std::time::Instant::now() < deadline, "the bounce is recorded");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let link = |who: &str, kind: &str| {
            mail.iter().find(|m| m.recipients == [who]).unwrap_or_else(|| panic!("mail to {who}")).link(kind)
        };

        // Some invited people respond, one opts out.
        for who in ["h1@agency.test", "h2@agency.test", "e1@agency.test"] {
            answer_by_token(&app, &slug, &link(who, "i"));
        }
        let reply = app.browser().post_form(&link("e2@agency.test", "o"), &[]);
        assert_eq!(reply.status, 200, "{}", reply.body);

        // Reminders now: only to those who have not responded, opted out or bounced; the
        // button leads to a page with the count, and nothing goes without confirming.
        let page = admin.get(&page_path);
        assert!(page.body.contains(&format!("href=\"{page_path}/reminders/confirm\"")), "{}", page.body);
        let outbox_before = app.count("outbox");
        let unconfirmed = admin.post_form(&format!("{page_path}/reminders/send"), &[("_csrf", &csrf)]);
        assert_eq!(unconfirmed.location(), format!("{page_path}/reminders/confirm"));
        assert_eq!(app.count("outbox"), outbox_before, "nothing queued without confirming");
        let confirm = admin.get(&format!("{page_path}/reminders/confirm"));
        assert_eq!(confirm.status, 200);
        assert!(confirm.body.contains("Send reminders to 7 people?"), "{}", confirm.body);
        assert!(confirm.body.contains("name=\"confirm\" value=\"yes\""));
        assert_eq!(app.count("outbox"), outbox_before, "the count changes nothing");
        assert_eq!(viewer.get(&format!("{page_path}/reminders/confirm")).status, 403, "admins only");
        let reply = followed(&admin, admin.post_form(&format!("{page_path}/reminders/send"), &[("_csrf", &csrf), ("confirm", "yes")]));
        assert!(reply.body.contains("7 reminders are on their way."), "{}", reply.body);
        let all = sink.wait_for(18, 30);
        let reminded: std::collections::HashSet<String> = all[11..].iter().map(|m| m.recipients[0].clone()).collect();
        assert_eq!(reminded.len(), 7);
        for who in ["h1@agency.test", "h2@agency.test", "e1@agency.test", "e2@agency.test", "h3@agency.test"] {
            assert!(!reminded.contains(who), "{who} is not reminded");
        }

        // Response rates per group: counts only. A group shows its completed count only when
        // at least 2 (k) completed and 2 did not: health (2 of 4) would; education (1 of 4),
        // police (1 of 1) and council (0 of 3) do not, and together they hold only one
        // completed invitation, so health is hidden too (the total would give them back).
        let rates = viewer.get(&page_path);
        assert_eq!(rates.status, 200);
        assert_eq!(row_cells(&rates.body, "health"), ["health", "4", "Hidden to protect a small group"]);
        assert_eq!(row_cells(&rates.body, "education"), ["education", "4", "Hidden to protect a small group"]);
        assert_eq!(row_cells(&rates.body, "police"), ["police", "1", "Hidden to protect a small group"]);
        assert_eq!(row_cells(&rates.body, "council"), ["council", "3", "Hidden to protect a small group"]);
        assert_eq!(row_cells(&rates.body, "All invitations"), ["All invitations", "12", "3", "1", "1", "25%"]);
        assert!(rates.body.contains("<svg class=\"bar\"") && rates.body.contains("aria-hidden=\"true\""));
        let today = chrono::Utc::now().date_naive().format("%Y-%m-%d").to_string();
        assert_eq!(row_cells(&rates.body, &today), [today.as_str(), "3"]);
        assert!(!rates.body.contains("agency.test"), "never who: {}", rates.body);

        // Every change is in the audit log, with counts and never an invitee's address.
        assert_eq!(audit_details(&app, "invitees.imported"), ["test-survey: 12 added, 1 already on the list"]);
        assert_eq!(audit_details(&app, "invitations.queued").len(), 2);
        assert_eq!(audit_details(&app, "reminders.queued"), ["test-survey: 7 queued"]);
        let everything = candour::db::audit_log::recent(&mut app.db.connect(), 1000).expect("the audit log");
        assert!(everything.iter().all(|r| !r.detail.contains("agency.test")));

        // Once closed, reminders are refused and nothing more is queued.
        let outbox_before = app.count("outbox");
        assert_eq!(admin.post_form(&format!("{page_path}/close"), &[("_csrf", &csrf)]).status, 303);
        let refused = admin.post_form(&format!("{page_path}/reminders/send"), &[("_csrf", &csrf), ("confirm", "yes")]);
        assert!(admin.get(&format!("{page_path}/reminders/confirm")).body.contains("Reminders cannot be sent"));
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Nothing was sent: the survey is not open"));
        assert_eq!(app.count("outbox"), outbox_before);
    };

    invitee_lists_have_their_own_size_limit => |backend: Backend| {
        let app = TestApp::builder(backend).settings(&[("server.max_body_bytes", "1024"), ("invitations.max_upload_bytes", "4096")]).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let csrf = admin.csrf();
        let list = |rows: usize| {
            let mut csv = "email\n".to_owned();
            for n in 0..rows {
                csv.push_str(&format!("person{n:04}@agency.test\n"));
            }
            csv
        };
        // Larger than other forms may be, within the list limit: imported.
        let reply = followed(&admin, upload_csv(&admin, &slug, Some(&csrf), &list(100)));
        assert!(reply.body.contains("Imported 100 invitees."), "{}", reply.body);
        // Over the list limit: refused, nothing more imported.
        let reply = upload_csv(&admin, &slug, Some(&csrf), &list(300));
        assert_eq!(reply.status, 413);
        assert_eq!(app.count("invitations"), 100);
    };
}
