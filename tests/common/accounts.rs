//! Review-team accounts: made through the CLI, second factor enrolled through the pages.

use super::{cli_with, hidden_field, stderr, Browser, TestApp};

/// A password that meets the rules, for test accounts.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// A review-team account made through the CLI, with its second factor set up through the
/// pages; `totp` computes its codes.
pub struct TestAccount {
    pub email: String,
    pub password: String,
    pub totp: totp_rs::TOTP,
    pub recovery_codes: Vec<String>,
}

impl TestAccount {
    /// The current code by the server's clock, after moving the clock past the step of
    /// any code used before (a code is accepted once only).
    pub fn code(&self, app: &TestApp) -> String {
        app.clock.advance(chrono::Duration::seconds(30));
        let now = app.clock.now().and_utc().timestamp() as u64;
        self.totp.generate(now)
    }
}

impl TestApp {
    /// Adds an account through `candour user add`.
    pub fn add_user(&self, email: &str, role: &str) {
        let output = cli_with(
            &self.db,
            &["user", "add", "--email", email, "--role", role],
            Some(&format!("{TEST_PASSWORD}\n")),
        );
        assert!(output.status.success(), "user add: {}", stderr(&output));
    }

    /// Adds an account and signs in for the first time (enrolling the second factor);
    /// returns the signed-in browser and the account.
    pub fn enrolled(&self, email: &str, role: &str) -> (Browser, TestAccount) {
        self.add_user(email, role);
        let browser = self.browser();
        let reply = browser.post_form(
            "/admin/signin",
            &[("email", email), ("password", TEST_PASSWORD)],
        );
        assert_eq!(reply.status, 303, "{}", reply.body);
        assert_eq!(reply.location(), "/admin/2fa/enrol");
        let page = browser.get("/admin/2fa/enrol");
        assert_eq!(page.status, 200, "{}", page.body);
        let secret = page
            .body
            .split("<code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .expect("the secret in text")
            .split_whitespace()
            .collect::<String>();
        let totp = totp_rs::TOTP::new(
            totp_rs::Algorithm::SHA1,
            6,
            1,
            30,
            totp_rs::Secret::Encoded(secret)
                .to_bytes()
                .expect("base32 secret"),
            Some("Candour".to_owned()),
            email.to_owned(),
        )
        .expect("a TOTP");
        let mut account = TestAccount {
            email: email.to_owned(),
            password: TEST_PASSWORD.to_owned(),
            totp,
            recovery_codes: Vec::new(),
        };
        let csrf = hidden_field(&page.body, "_csrf");
        let code = account.code(self);
        let done = browser.post_form("/admin/2fa/enrol", &[("_csrf", &csrf), ("code", &code)]);
        assert_eq!(done.status, 200, "{}", done.body);
        account.recovery_codes = done
            .body
            .split("<li><code>")
            .skip(1)
            .filter_map(|s| s.split("</code>").next())
            .map(str::to_owned)
            .collect();
        assert_eq!(account.recovery_codes.len(), 10);
        (browser, account)
    }

    /// Signs an enrolled account in with password and app code in a fresh browser.
    pub fn sign_in(&self, account: &TestAccount) -> Browser {
        let browser = self.browser();
        let reply = browser.post_form(
            "/admin/signin",
            &[("email", &account.email), ("password", &account.password)],
        );
        assert_eq!(reply.location(), "/admin/2fa", "{}", reply.body);
        let page = browser.get("/admin/2fa");
        let csrf = hidden_field(&page.body, "_csrf");
        let code = account.code(self);
        let reply = browser.post_form("/admin/2fa", &[("_csrf", &csrf), ("code", &code)]);
        assert_eq!(reply.status, 303, "{}", reply.body);
        browser
    }
}
