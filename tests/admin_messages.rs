//! Messages that must not mislead: the authenticator key is grouped in fours, signing out
//! says so, and re-uploading a list says addresses were already on it (not "invited").

mod common;

use common::{Backend, TestApp, SMALL_QUESTIONNAIRE, TEST_PASSWORD};

on_both_backends! {
    the_key_is_in_fours_and_signing_out_is_said => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        app.add_user("ann@example.org", "admin");
        let browser = app.browser();
        browser.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        let page = browser.get("/admin/2fa/enrol");
        let key = page.body.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).expect("the key");
        let groups: Vec<&str> = key.split(' ').collect();
        assert!(groups.len() >= 8, "{key}");
        assert!(groups[..groups.len() - 1].iter().all(|g| g.len() == 4), "{key}");

        let (admin, _) = app.enrolled("bob@example.org", "admin");
        let out = admin.post_form("/admin/signout", &[("_csrf", &admin.csrf())]);
        let page = admin.get(out.location());
        assert!(page.body.contains("You have signed out."), "{}", page.body);
        assert!(!app.browser().get("/admin/signin").body.contains("You have signed out."));

        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        app.import_invitees(&slug, "email\na@example.org\n");
        let again = app.cli(&["invite", "import", &slug,
            common::write_file(app.db.dir(), "again.csv", "email\na@example.org\nb@example.org\n").to_str().expect("a path")]);
        let said = common::stdout(&again);
        assert!(said.contains("1 already on the list"), "{said}");
        assert!(!said.contains("invited"), "{said}");
    };
}
