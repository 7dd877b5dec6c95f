//! A real headless Chromium for end-to-end tests of the web app, driven over WebDriver
//! (Debian's `chromium` + `chromedriver`, the `fantoccini` client), with axe-core for
//! accessibility checks. Behind the `browser` feature.
//!
//! ```no_run
//! # async fn example() {
//! let browser = kindred_testkit::Browser::start().await;
//! browser.goto("http://127.0.0.1:8080/").await;
//! browser.set_window_width(320).await;
//! browser.assert_no_axe_violations("home page at 320 px").await;
//! # }
//! ```
//!
//! Every method panics with a message that says what failed, so tests read as a list of
//! steps. One browser at a time runs per test process: [`Browser::start`] waits for the
//! previous one to be dropped (two Chromiums on two shared cores only slow each other down),
//! so one test must not hold two at once.

mod axe;
mod driver;
mod page;

use std::path::Path;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Map, Value};

pub use axe::{report as axe_report, Violation, ViolationNode, WCAG_22_AA_TAGS};
pub use driver::{CHROMEDRIVER_ENV, CHROMIUM_ENV};
pub use fantoccini::key::Key;
pub use page::{BrowserCookie, FocusedElement};

/// The window size a session starts with.
pub const DEFAULT_WINDOW: (u32, u32) = (1280, 900);

static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// One headless Chromium session. Dropping it ends the session and kills chromedriver and
/// Chromium (see [`driver`]); the throw-away profile directory is deleted.
pub struct Browser {
    client: Client,
    axe_source: &'static str,
    // Field order is drop order: the session ends before the profile directory goes.
    _driver: driver::Driver,
    _profile: tempfile::TempDir,
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium, or panics saying what is missing and
    /// the exact command that installs it (`apt-get install chromium chromium-driver`,
    /// `npm ci --prefix tests/browser`).
    pub async fn start() -> Browser {
        match Self::try_start().await {
            Ok(browser) => browser,
            Err(e) => panic!("{e}"),
        }
    }

    /// [`Browser::start`] returning the failure instead of panicking.
    pub async fn try_start() -> Result<Browser, String> {
        let tools = driver::Tools::find()?;
        let axe_source = axe::source(&tools.axe)?;
        let turn = ONE_AT_A_TIME.lock().await;
        let profile = tempfile::Builder::new()
            .prefix("kindred-chromium-")
            .tempdir()
            .map_err(|e| format!("cannot create a Chromium profile directory: {e}"))?;
        let log = profile.path().join("chromedriver.log");
        let chromedriver = tools.chromedriver.clone();
        let mut driver =
            tokio::task::spawn_blocking(move || driver::Driver::start(&chromedriver, log))
                .await
                .map_err(|e| format!("starting chromedriver panicked: {e}"))??;
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities(&tools.chromium, profile.path()))
            .connect(&driver.url())
            .await
            .map_err(|e| {
                format!(
                    "chromedriver could not start Chromium ({e}). chromedriver and Chromium must \
                     be the same version (Debian's `{}` installs both). chromedriver's log:\n{}",
                    driver::APT_HELP,
                    driver.log_tail()
                )
            })?;
        driver.session = client
            .session_id()
            .await
            .map_err(|e| format!("no WebDriver session id: {e}"))?;
        let browser = Browser {
            client,
            axe_source,
            _driver: driver,
            _profile: profile,
            _turn: turn,
        };
        let (width, height) = DEFAULT_WINDOW;
        browser
            .client
            .set_window_size(width, height)
            .await
            .map_err(|e| format!("cannot size the window: {e}"))?;
        Ok(browser)
    }

    /// The fantoccini client, for anything the helpers here do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the session now (drop does the same, without waiting for Chromium to quit).
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// Runs axe-core (WCAG 2.2 A + AA, see [`WCAG_22_AA_TAGS`]) on the current page and
    /// returns its violations. axe.min.js is injected through WebDriver "execute script", so
    /// a strict Content-Security-Policy (no inline or foreign script) does not stop it.
    pub async fn axe(&self) -> Vec<Violation> {
        let version = self
            .client
            .execute(&axe::inject_script(self.axe_source), vec![])
            .await
            .unwrap_or_else(|e| panic!("injecting axe-core failed: {e}"));
        assert!(
            version.is_string(),
            "axe-core did not load in the page at {} (got {version})",
            self.url().await
        );
        if let Some(locked) = axe::locked_version() {
            assert_eq!(
                version.as_str(),
                Some(locked.as_str()),
                "tests/browser/node_modules holds another axe-core than package-lock.json pins: run `{}`",
                driver::NPM_HELP
            );
        }
        let result = self
            .client
            .execute_async(axe::RUN_SCRIPT, axe::run_args())
            .await
            .unwrap_or_else(|e| panic!("axe.run failed: {e}"));
        axe::parse(result).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Fails with every violation (rule, impact, help, each element and what to fix) unless
    /// axe finds none on the current page. `label` names the page/state in the message.
    pub async fn assert_no_axe_violations(&self, label: &str) {
        if let Err(message) = self.check_axe(label).await {
            panic!("{message}");
        }
    }

    /// [`Browser::assert_no_axe_violations`] returning the failure message instead.
    pub async fn check_axe(&self, label: &str) -> Result<(), String> {
        let violations = self.axe().await;
        if violations.is_empty() {
            return Ok(());
        }
        Err(format!(
            "axe-core (WCAG 2.2 AA) found {} violation(s) on {label} ({}):\n{}",
            violations.len(),
            self.url().await,
            axe::report(&violations)
        ))
    }

    /// Writes a PNG of the viewport to `path` (parent directories are created).
    pub async fn screenshot_png(&self, path: impl AsRef<Path>) {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot failed: {e}"));
        write_png(path.as_ref(), &png);
    }

    /// Writes a PNG of the whole page at the current width: the window is made as tall as
    /// the document for the shot, then restored.
    pub async fn screenshot_full_page_png(&self, path: impl AsRef<Path>) {
        let (width, height) = self
            .client
            .get_window_size()
            .await
            .unwrap_or_else(|e| panic!("cannot read the window size: {e}"));
        let doc_height = self
            .eval("return Math.ceil(document.documentElement.scrollHeight);")
            .await
            .as_u64()
            .unwrap_or(height);
        let chrome = height.saturating_sub(self.viewport().await.1);
        self.resize(width, doc_height + chrome).await;
        let png = self.client.screenshot().await;
        self.resize(width, height).await;
        write_png(
            path.as_ref(),
            &png.unwrap_or_else(|e| panic!("screenshot failed: {e}")),
        );
    }

    /// Runs `script` (a function body; `return` a value) in the page.
    pub async fn eval(&self, script: &str) -> Value {
        self.eval_with(script, vec![]).await
    }

    /// [`Browser::eval`] with `arguments`.
    pub async fn eval_with(&self, script: &str, args: Vec<Value>) -> Value {
        self.client
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\nscript: {script}"))
    }

    async fn resize(&self, width: u64, height: u64) {
        let (w, h) = (clamp_u32(width), clamp_u32(height));
        self.client
            .set_window_size(w, h)
            .await
            .unwrap_or_else(|e| panic!("cannot resize the window to {w}x{h}: {e}"));
    }
}

fn clamp_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn write_png(path: &Path, png: &[u8]) {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "the screenshot is not a PNG"
    );
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    }
    std::fs::write(path, png).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// Headless Chromium with a throw-away profile; English UI, scale 1, no first-run noise.
fn capabilities(chromium: &Path, profile: &Path) -> Map<String, Value> {
    let args = vec![
        "--headless=new".to_string(),
        "--no-sandbox".to_string(),
        "--disable-gpu".to_string(),
        "--disable-dev-shm-usage".to_string(),
        format!("--user-data-dir={}", profile.join("profile").display()),
        format!("--window-size={},{}", DEFAULT_WINDOW.0, DEFAULT_WINDOW.1),
        "--force-device-scale-factor=1".to_string(),
        "--hide-scrollbars".to_string(),
        "--lang=en-GB".to_string(),
        "--no-first-run".to_string(),
        "--no-default-browser-check".to_string(),
        "--disable-extensions".to_string(),
        "--disable-background-networking".to_string(),
        "--disable-component-update".to_string(),
        "--disable-sync".to_string(),
        // (Not `--disable-crashpad-for-testing`: it crash-loops the network service.)
        "--disable-crash-reporter".to_string(),
        "--disable-features=Translate,MediaRouter,OptimizationHints".to_string(),
    ];
    let mut caps = Map::new();
    caps.insert("browserName".into(), json!("chrome"));
    caps.insert(
        "goog:chromeOptions".into(),
        json!({ "binary": chromium.display().to_string(), "args": args }),
    );
    caps.insert("pageLoadStrategy".into(), json!("normal"));
    // Fail within half a minute rather than chromedriver's five-minute default.
    caps.insert(
        "timeouts".into(),
        json!({ "pageLoad": 30_000, "script": 30_000, "implicit": 0 }),
    );
    caps.insert(
        "unhandledPromptBehavior".into(),
        json!("dismiss and notify"),
    );
    caps
}
