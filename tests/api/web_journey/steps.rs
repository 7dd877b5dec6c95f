//! What the journey does on every page: check it with axe-core (WCAG 2.2
//! AA), that it fits 320 px, and that it never shows the canary; fill and
//! send forms by mouse or by keyboard alone; read the codes the app emails.

use std::path::PathBuf;
use std::time::Duration;

use kindred_testkit::Browser;
use kindred_tests::TestApp;

/// A private, sensitive tag both people choose: its label and slug must
/// never reach a page the other person can open.
pub const CANARY_SLUG: &str = "lighthouse-canary";
pub const CANARY_LABEL: &str = "Lighthouse Canary";

pub struct Journey<'a> {
    pub app: &'a TestApp,
    pub browser: &'a Browser,
    /// Where screenshots go (`docs/screenshots` when
    /// `KINDRED_WRITE_SCREENSHOTS=1`, else a throw-away folder).
    pub shots: Option<PathBuf>,
    /// Pages checked so far, for the test's own summary.
    pub checked: Vec<String>,
}

impl<'a> Journey<'a> {
    pub fn new(app: &'a TestApp, browser: &'a Browser, shots: Option<PathBuf>) -> Journey<'a> {
        Journey {
            app,
            browser,
            shots,
            checked: Vec::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.app.base)
    }

    pub async fn goto(&self, path: &str) {
        self.browser.goto(&self.url(path)).await;
    }

    /// The path (and query) the browser is on.
    pub async fn path(&self) -> String {
        let url = self.browser.url().await;
        url.strip_prefix(&self.app.base).unwrap_or(&url).to_string()
    }

    /// axe-core finds nothing, the page has no sideways scroll at 320 px,
    /// and (unless `may_show_canary`) the canary is nowhere in it.
    pub async fn check(&mut self, label: &str, may_show_canary: bool) {
        self.browser.assert_no_axe_violations(label).await;
        let source = self.browser.source().await;
        assert!(
            source.contains("<main id=\"main\""),
            "{label}: not one of our pages:\n{source}"
        );
        if !may_show_canary {
            self.assert_no_canary(label, &source);
        }
        self.browser.set_window_width(320).await;
        let overflow = self.browser.horizontal_overflow().await;
        assert_eq!(
            overflow, 0,
            "{label}: {overflow} px of sideways scroll at 320 px"
        );
        self.browser
            .assert_no_axe_violations(&format!("{label} at 320 px"))
            .await;
        self.browser.set_window_width(1280).await;
        self.checked.push(label.to_string());
    }

    pub fn assert_no_canary(&self, label: &str, source: &str) {
        assert!(
            !source.contains(CANARY_LABEL) && !source.contains(CANARY_SLUG),
            "{label}: the canary private tag is on a page the other person can open"
        );
    }

    /// A screenshot for docs/web.md.
    pub async fn shot(&self, name: &str) {
        if let Some(dir) = &self.shots {
            self.browser
                .screenshot_full_page_png(dir.join(format!("{name}.png")))
                .await;
        }
    }

    /// Switches the language with the switcher's link (if not already).
    pub async fn use_language(&self, lang: &str) {
        let html_lang = self
            .browser
            .eval("return document.documentElement.lang;")
            .await;
        if html_lang.as_str() != Some(lang) {
            self.browser
                .find(&format!("a[hreflang=\"{lang}\"]"))
                .await
                .click()
                .await
                .unwrap_or_else(|e| panic!("cannot click the {lang} switcher: {e}"));
            self.wait_until_lang(lang).await;
        }
    }

    async fn wait_until_lang(&self, lang: &str) {
        for _ in 0..100 {
            let now = self
                .browser
                .eval("return document.documentElement.lang;")
                .await;
            if now.as_str() == Some(lang) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page did not switch to {lang}");
    }

    /// Clicks the submit button with this id and waits for the next page.
    pub async fn click_submit(&self, id: &str) {
        let before = self.page_token().await;
        self.browser.click_id(id).await;
        self.wait_for_new_page(before).await;
    }

    /// Clicks the button `css` finds and waits for the next page.
    pub async fn submit_main_form_at(&self, css: &str) {
        let before = self.page_token().await;
        let button = self.browser.find(css).await;
        button
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
        self.wait_for_new_page(before).await;
    }

    /// Clicks the (only) submit button of the page's main form.
    pub async fn submit_main_form(&self) {
        self.submit_main_form_at("main form button[type=submit]")
            .await;
    }

    /// Logs in with the mouse on the login page in `lang`; returns the
    /// path it lands on.
    pub async fn log_in(&self, email: &str, password: &str, lang: &str) -> String {
        self.goto("/login").await;
        self.use_language(lang).await;
        self.browser.fill_id("email", email).await;
        self.browser.fill_id("password", password).await;
        self.submit_main_form().await;
        self.path().await
    }

    /// Marks the current document, so a new page load can be told apart
    /// from the old one (the same URL after an error, for instance).
    async fn page_token(&self) -> String {
        let token = format!("{:x}", rand_token());
        self.browser
            .eval_with(
                "window.__kindredPage = arguments[0]; return true;",
                vec![serde_json::json!(token)],
            )
            .await;
        token
    }

    async fn wait_for_new_page(&self, before: String) {
        for _ in 0..200 {
            let now = self
                .browser
                .eval("return [window.__kindredPage || null, document.readyState];")
                .await;
            if now[0].as_str() != Some(before.as_str()) && now[1] == "complete" {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no new page after submitting ({})",
            self.browser.url().await
        );
    }

    // ---- keyboard alone ------------------------------------------------

    /// Presses Tab until the element with `id` has focus (never more than
    /// `limit` times) and checks that focus is visible there.
    pub async fn tab_to(&self, id: &str) {
        for _ in 0..400 {
            let focused = self.browser.focused_element().await;
            if focused.id.as_deref() == Some(id) {
                assert!(
                    focused.focus_visible,
                    "#{id} has focus but no visible focus indicator"
                );
                return;
            }
            self.browser.press_tab().await;
        }
        panic!(
            "#{id} cannot be reached with Tab on {}",
            self.browser.url().await
        );
    }

    /// Starts keyboard travel at the top of the page (as after a load).
    pub async fn keyboard_from_top(&self) {
        self.browser
            .eval("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); return true;")
            .await;
    }

    /// Tabs to a text field and types into it.
    pub async fn key_type(&self, id: &str, text: &str) {
        self.tab_to(id).await;
        self.browser.type_text(text).await;
    }

    /// Tabs to a checkbox or radio and presses Space.
    pub async fn key_toggle(&self, id: &str) {
        self.tab_to(id).await;
        self.browser.press_space().await;
    }

    /// Chooses a radio button as a keyboard user does: Tab into its group
    /// (focus lands on the checked one), then arrow keys (which select).
    pub async fn key_radio(&self, name: &str, id: &str) {
        for _ in 0..400 {
            let focused = self.browser.focused_element().await;
            if focused.name.as_deref() == Some(name) {
                break;
            }
            self.browser.press_tab().await;
        }
        for _ in 0..10 {
            let focused = self.browser.focused_element().await;
            assert_eq!(focused.name.as_deref(), Some(name), "left the radio group");
            if focused.id.as_deref() == Some(id) {
                return;
            }
            self.browser
                .press(kindred_testkit::browser::Key::Down)
                .await;
        }
        panic!("#{id} is not in the radio group {name}");
    }

    /// Tabs to a button and presses Enter, then waits for the next page.
    pub async fn key_submit(&self, id: &str) {
        let before = self.page_token().await;
        self.tab_to(id).await;
        self.browser.press_enter().await;
        self.wait_for_new_page(before).await;
    }

    /// Gives the page's main submit button an id, so keyboard travel can
    /// aim at it (only a test hook: it changes nothing the user sees).
    pub async fn name_main_submit(&self, id: &str) {
        self.browser
            .eval_with(
                "const b = document.querySelector('main form button[type=submit]'); b.id = b.id || arguments[0]; return b.id;",
                vec![serde_json::json!(id)],
            )
            .await;
    }
}

fn rand_token() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The 6-digit code in the newest email to `to` after `before` emails,
/// in whatever language the email is written in.
pub async fn emailed_code(app: &TestApp, to: &str, before: usize) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let found = app
            .sink
            .messages_to(to)
            .into_iter()
            .skip(before)
            .find_map(|m| m.text_body.as_deref().and_then(six_digits));
        if let Some(code) = found {
            return code;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no email with a code to {to}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn six_digits(text: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (_, value) = line.rsplit_once(": ")?;
        let value = value.trim();
        (value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit())).then(|| value.to_string())
    })
}
