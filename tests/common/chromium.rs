//! Debian's Chromium driven through its WebDriver (`chromedriver`), for the journeys people
//! take: one browser per test binary run, pages checked with axe-core at 320 px and 1280 px,
//! a screenshot of each page under `target/browser-screenshots/`.
//!
//! Without Chromium the browser tests print that they were skipped and how to install it;
//! under CI (`CI=true`) a missing browser fails the run instead.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const AXE: &str = include_str!("../browser/axe-core/axe.min.js");

/// The widths every page is checked at: a small phone and a desktop.
pub const PHONE: u32 = 320;
pub const DESKTOP: u32 = 1280;

/// Whether the browser tests can run here. Under CI a missing browser is a failure.
pub fn available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|path| !Path::new(path).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let message = format!(
        "browser tests skipped: {} not found; install Debian's packages with \
         `apt-get install chromium chromium-driver` (.ci/run does this)",
        missing.join(" and ")
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("{message}");
    false
}

/// What kind of page session to open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scripts {
    On,
    /// JavaScript disabled in the browser's content settings: the no-JavaScript journey.
    Off,
}

/// One Chromium session and the chromedriver that runs it.
pub struct Chromium {
    runtime: tokio::runtime::Runtime,
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
    pub downloads: tempfile::TempDir,
    /// Screenshots go here, named after the journey and the page.
    shots: PathBuf,
    /// Pages already checked (by name), so a page visited twice is checked once.
    checked: std::cell::RefCell<Vec<String>>,
    pub label: String,
    pub scripts: Scripts,
}

impl Chromium {
    /// Starts chromedriver and a headless Chromium; `label` prefixes screenshot names.
    pub fn start(label: &str, scripts: Scripts) -> Self {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the WebDriver client");
        let profile = tempfile::tempdir().expect("a profile folder");
        let downloads = tempfile::tempdir().expect("a downloads folder");
        let mut prefs = json!({
            "download.default_directory": downloads.path().display().to_string(),
            "download.prompt_for_download": false,
            "download.directory_upgrade": true,
            "safebrowsing.enabled": false,
        });
        if scripts == Scripts::Off {
            prefs["profile.managed_default_content_settings.javascript"] = json!(2);
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--no-first-run",
                    "--disable-default-apps", "--disable-extensions",
                    "--force-device-scale-factor=1", "--lang=en-GB",
                    format!("--window-size={DESKTOP},900"),
                    format!("--user-data-dir={}", profile.path().display()),
                ],
                "prefs": prefs,
            }
        });
        let capabilities = match capabilities {
            Value::Object(map) => map,
            _ => unreachable!("capabilities are an object"),
        };
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        let client = loop {
            let attempt = runtime.block_on(
                ClientBuilder::native()
                    .capabilities(capabilities.clone())
                    .connect(&url),
            );
            match attempt {
                Ok(client) => break client,
                Err(error) if Instant::now() < deadline => {
                    let _ = error;
                    std::thread::sleep(Duration::from_millis(100));
                }
                Err(error) => panic!("no WebDriver session: {error}"),
            }
        };
        let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("browser-screenshots");
        std::fs::create_dir_all(&shots).expect("the screenshot folder");
        let chromium = Self {
            runtime,
            client,
            driver,
            _profile: profile,
            downloads,
            shots,
            checked: Default::default(),
            label: label.to_owned(),
            scripts,
        };
        chromium.set_width(DESKTOP);
        chromium
    }

    fn block<T>(&self, future: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    pub fn goto(&self, url: &str) {
        self.block(self.client.goto(url))
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The address the browser shows now.
    pub fn url(&self) -> String {
        self.block(self.client.current_url())
            .expect("the current address")
            .to_string()
    }

    pub fn path(&self) -> String {
        let url = self.block(self.client.current_url()).expect("the address");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    pub fn find(&self, css: &str) -> Element {
        self.block(self.client.find(Locator::Css(css)))
            .unwrap_or_else(|e| panic!("no element {css} on {}: {e}", self.path()))
    }

    pub fn find_all(&self, css: &str) -> Vec<Element> {
        self.block(self.client.find_all(Locator::Css(css)))
            .unwrap_or_else(|e| panic!("find {css}: {e}"))
    }

    pub fn exists(&self, css: &str) -> bool {
        !self.find_all(css).is_empty()
    }

    /// Clicks the element (a button or link), as a mouse user would.
    pub fn click(&self, css: &str) {
        let element = self.find(css);
        self.block(element.click())
            .unwrap_or_else(|e| panic!("click {css} on {}: {e}", self.path()));
    }

    /// Clicks a link or button by its visible text, and waits for the next page.
    pub fn click_text(&self, text: &str) {
        let element = self
            .block(self.client.find(Locator::XPath(&format!(
                "//a[normalize-space(.)={text:?}] | //button[normalize-space(.)={text:?}]"
            ))))
            .unwrap_or_else(|e| panic!("no link or button {text:?} on {}: {e}", self.path()));
        self.navigating(|| {
            self.block(element.click())
                .unwrap_or_else(|e| panic!("click {text:?}: {e}"))
        });
    }

    /// Clicks a button or link that leads to another page, and waits for that page.
    pub fn submit(&self, css: &str) {
        self.navigating(|| self.click(css));
    }

    /// Presses Enter on the focused button or link, and waits for the next page.
    pub fn press_enter(&self) {
        self.navigating(|| self.press(keys::ENTER));
    }

    /// Runs `act` and waits until the browser shows a new document: the old one is marked,
    /// and the mark is gone once the next page has loaded.
    fn navigating(&self, act: impl FnOnce()) {
        self.script("window.__candourOldPage = true; return null;", vec![]);
        act();
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let still_old = self
                .block(self.client.execute(
                    "return window.__candourOldPage === true && document.readyState;",
                    vec![],
                ))
                .unwrap_or(Value::Bool(false));
            if still_old == Value::Bool(false) {
                let ready = self.script("return document.readyState;", vec![]);
                if ready == "complete" {
                    return;
                }
            }
            assert!(
                Instant::now() < deadline,
                "no new page after the action on {}",
                self.path()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn click_element(&self, element: &Element) {
        self.block(element.clone().click())
            .unwrap_or_else(|e| panic!("click on {}: {e}", self.path()));
    }

    pub fn element_text(&self, element: &Element) -> String {
        self.block(element.text()).expect("an element's text")
    }

    /// Chooses a file in a file input, as the file picker would.
    pub fn upload(&self, css: &str, file: &Path) {
        let element = self.find(css);
        self.block(element.send_keys(&file.display().to_string()))
            .unwrap_or_else(|e| panic!("choose {} in {css}: {e}", file.display()));
    }

    /// Types into a field after clearing it.
    pub fn fill(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.block(element.clear()).expect("clear a field");
        self.block(element.send_keys(text))
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.block(element.text()).expect("an element's text")
    }

    /// The page's visible text.
    pub fn body_text(&self) -> String {
        self.text("body")
    }

    pub fn source(&self) -> String {
        self.block(self.client.source()).expect("the page source")
    }

    /// Runs a script in the page; its `return` value comes back as JSON.
    pub fn script(&self, script: &str, args: Vec<Value>) -> Value {
        self.block(self.client.execute(script, args))
            .unwrap_or_else(|e| panic!("script on {}: {e}", self.path()))
    }

    /// Presses keys on whatever has focus (WebDriver key codes: `keys::TAB` and friends).
    pub fn press(&self, keys: &str) {
        let active = self
            .block(self.client.active_element())
            .expect("a focused element");
        self.block(active.send_keys(keys)).expect("keys pressed");
    }

    /// What has focus: its tag, id, name, type, value and text, for keyboard tests.
    pub fn focused(&self) -> Focused {
        let value = self.script(
            "const e = document.activeElement; const s = getComputedStyle(e);
             return {tag: e.tagName.toLowerCase(), id: e.id || '', name: e.getAttribute('name') || '',
                     type: e.getAttribute('type') || '', value: e.value || '',
                     text: (e.innerText || '').trim(),
                     outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                     shadow: s.boxShadow !== 'none'};",
            vec![],
        );
        serde_json::from_value(value).expect("the focused element")
    }

    /// Presses Tab until `wanted` holds for the focused element (at most 80 presses), and
    /// checks that every element reached on the way shows where the focus is.
    pub fn tab_to(&self, wanted: impl Fn(&Focused) -> bool, what: &str) -> Focused {
        for _ in 0..80 {
            self.press(keys::TAB);
            let focused = self.focused();
            if focused.tag != "body" {
                assert!(
                    focused.outline || focused.shadow,
                    "{}: focus on {focused:?} is not visible",
                    self.path()
                );
            }
            if wanted(&focused) {
                return focused;
            }
        }
        panic!("{}: Tab never reached {what}", self.path());
    }

    /// Chooses a radio option by keyboard: Tab into the group, arrow keys to the option
    /// (as in every browser, a radio group is one Tab stop), Space to be sure it is chosen.
    pub fn choose_by_keyboard(&self, name: &str, value: &str) {
        self.tab_to(|f| f.name == name, name);
        for _ in 0..20 {
            if self.focused().value == value {
                self.press(keys::SPACE);
                return;
            }
            self.press(keys::DOWN);
        }
        panic!(
            "{}: the arrow keys never reached {name}={value}",
            self.path()
        );
    }

    pub fn set_width(&self, width: u32) {
        self.block(self.client.set_window_size(width, 900))
            .expect("resize the window");
        let inner = self.script("return window.innerWidth;", vec![]);
        assert_eq!(
            inner.as_u64(),
            Some(u64::from(width)),
            "the viewport is {width} px wide"
        );
    }

    /// The checks every page passes: axe-core's WCAG 2.2 A/AA rules at 320 px and 1280 px,
    /// no sideways scrolling at 320 px, and a screenshot at each width. A page (by `name`)
    /// is checked once per browser. With scripts off only the width and screenshots.
    pub fn check_page(&self, name: &str) {
        if self.checked.borrow().iter().any(|n| n == name) {
            return;
        }
        self.checked.borrow_mut().push(name.to_owned());
        for width in [PHONE, DESKTOP] {
            self.set_width(width);
            self.screenshot(&format!("{name}-{width}"));
            let overflow = self.script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            );
            if width == PHONE && overflow.as_i64().unwrap_or(0) > 0 {
                let culprits = self.script(
                    "const w = document.documentElement.clientWidth; const out = [];
                     for (const e of document.querySelectorAll('body *')) {
                       let clipped = false;
                       for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                         const o = getComputedStyle(a).overflowX;
                         if ((o === 'auto' || o === 'scroll') && getComputedStyle(e).position !== 'absolute') { clipped = true; break; }
                       }
                       const r = e.getBoundingClientRect();
                       const spills = e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'
                         && r.right + (e.scrollWidth - e.clientWidth) > w + 1;
                       if (!clipped && (r.right > w + 1 || spills) && out.length < 8) out.push(e.tagName.toLowerCase() +
                         (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '') +
                         ' right=' + Math.round(r.right) + ' ' + (e.textContent || '').trim().slice(0, 40));
                     }
                     return out;",
                    vec![],
                );
                panic!(
                    "{name} ({}): the page scrolls sideways at {width} px by {overflow} px: {culprits}",
                    self.path()
                );
            }
            if self.scripts == Scripts::Off {
                // axe-core needs the page's JavaScript; the same pages are checked with it on.
                continue;
            }
            let violations = self.axe();
            assert!(
                violations.is_empty(),
                "{name} ({}) at {width} px: axe-core found\n{}",
                self.path(),
                violations.join("\n")
            );
        }
        self.set_width(DESKTOP);
    }

    /// axe-core's violations of the WCAG 2.0/2.1/2.2 A and AA rules on the current page.
    pub fn axe(&self) -> Vec<String> {
        let script = format!(
            "{AXE}\nconst done = arguments[arguments.length - 1];
             axe.run(document, {{runOnly: {{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']}},
                                resultTypes: ['violations']}})
               .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
                     v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | '))))
               .catch(e => done(['axe failed: ' + e]));"
        );
        let result = self
            .block(self.client.execute_async(&script, vec![]))
            .unwrap_or_else(|e| panic!("axe-core on {}: {e}", self.path()));
        serde_json::from_value(result).expect("a list of violations")
    }

    pub fn screenshot(&self, name: &str) {
        let png = self.block(self.client.screenshot()).expect("a screenshot");
        let file = self.shots.join(format!("{}-{name}.png", self.label));
        std::fs::write(&file, png).expect("write the screenshot");
    }

    /// A full-page screenshot at the current width (for the README).
    pub fn full_page_screenshot(&self, name: &str) {
        let height = self
            .script("return document.documentElement.scrollHeight;", vec![])
            .as_u64()
            .unwrap_or(900)
            .min(4000) as u32;
        let width = self
            .script("return window.innerWidth;", vec![])
            .as_u64()
            .unwrap_or(1280) as u32;
        self.block(self.client.set_window_size(width, height))
            .expect("resize");
        self.screenshot(name);
        self.block(self.client.set_window_size(width, 900))
            .expect("resize");
    }

    /// Waits for a file whose name ends with `suffix` to finish downloading.
    pub fn downloaded(&self, suffix: &str) -> Vec<u8> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let done = std::fs::read_dir(self.downloads.path())
                .expect("the downloads folder")
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .find(|path| path.to_string_lossy().ends_with(suffix));
            if let Some(path) = done {
                let bytes = std::fs::read(&path).expect("the downloaded file");
                std::fs::remove_file(&path).expect("remove the download");
                return bytes;
            }
            assert!(Instant::now() < deadline, "no download ending {suffix}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Forgets every cookie (a new visitor in the same browser).
    pub fn forget_cookies(&self) {
        self.block(self.client.delete_all_cookies())
            .expect("delete cookies");
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        let client = self.client.clone();
        let _ = self.runtime.block_on(client.close());
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Focused {
    pub tag: String,
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub text: String,
    pub outline: bool,
    pub shadow: bool,
}

/// WebDriver key codes.
pub mod keys {
    pub const TAB: &str = "\u{E004}";
    pub const ENTER: &str = "\u{E007}";
    pub const SPACE: &str = " ";
    pub const DOWN: &str = "\u{E015}";
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free port")
}
