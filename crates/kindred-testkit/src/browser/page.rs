//! What a test does with a page: navigate, find and fill fields by label or id, click,
//! type and Tab through it, size the window, read and delete cookies.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::Locator;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Browser;

/// The element that has keyboard focus, as a test wants to see it.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct FocusedElement {
    /// Lower-case tag name (`body` when nothing has focus).
    pub tag: String,
    pub id: Option<String>,
    pub name: Option<String>,
    /// `type` of an `<input>` or `<button>`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `href` of a link.
    pub href: Option<String>,
    /// Visible text, whitespace collapsed.
    pub text: String,
    /// The text of its first `<label>` (form fields), whitespace collapsed.
    pub label: Option<String>,
    /// `aria-label`, if any.
    pub aria_label: Option<String>,
    /// Whether `:focus-visible` matches (a keyboard user can see where focus is).
    pub focus_visible: bool,
}

/// A cookie as the browser holds it (what `document.cookie` cannot show: HttpOnly and
/// SameSite included).
#[derive(Debug, Clone, PartialEq)]
pub struct BrowserCookie {
    pub name: String,
    pub value: String,
    pub path: Option<String>,
    pub domain: Option<String>,
    pub http_only: bool,
    pub secure: bool,
    /// `Strict`, `Lax` or `None` as the browser reports it.
    pub same_site: Option<String>,
    /// Expiry as a Unix time, `None` for a session cookie.
    pub expires: Option<i64>,
}

/// Finds the form control whose `<label>` text (whitespace collapsed) is exactly `arguments[0]`:
/// `label.control` covers both `for=` and a wrapped control.
const BY_LABEL: &str = r#"
const want = arguments[0];
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const labels = Array.from(document.querySelectorAll('label'));
const hits = labels.filter(l => norm(l.textContent) === want && l.control);
if (hits.length === 1) return { element: hits[0].control };
return { count: hits.length, labels: labels.map(l => norm(l.textContent)) };
"#;

const FOCUSED: &str = r#"
const el = document.activeElement || document.body;
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const attr = n => el.getAttribute(n);
let visible = false;
try { visible = el.matches(':focus-visible'); } catch (e) {}
return {
  tag: el.tagName.toLowerCase(),
  id: el.id || null,
  name: attr('name'),
  type: attr('type'),
  href: attr('href'),
  text: norm(el.innerText),
  label: el.labels && el.labels.length ? norm(el.labels[0].textContent) : null,
  aria_label: attr('aria-label'),
  focus_visible: visible,
};
"#;

impl Browser {
    /// Loads `url` and waits for the page load to finish.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("cannot open {url}: {e}"));
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_else(|e| format!("(unknown URL: {e})"))
    }

    /// The document title.
    pub async fn title(&self) -> String {
        self.client
            .title()
            .await
            .unwrap_or_else(|e| panic!("cannot read the title: {e}"))
    }

    /// The page's visible text (`document.body.innerText`).
    pub async fn text(&self) -> String {
        self.eval("return document.body ? document.body.innerText : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's HTML as the browser has it now.
    pub async fn source(&self) -> String {
        self.client
            .source()
            .await
            .unwrap_or_else(|e| panic!("cannot read the page source: {e}"))
    }

    /// The first element matching a CSS selector.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element matches {css:?} on {}: {e}", self.url().await),
        }
    }

    /// Every element matching a CSS selector (possibly none).
    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("cannot search for {css:?}: {e}"))
    }

    /// The element with this id.
    pub async fn by_id(&self, id: &str) -> Element {
        match self.client.find(Locator::Id(id)).await {
            Ok(element) => element,
            Err(e) => panic!("no element with id {id:?} on {}: {e}", self.url().await),
        }
    }

    /// The form control labelled exactly `label` (the label's text, whitespace collapsed).
    /// Panics listing the page's labels if there is not exactly one.
    pub async fn by_label(&self, label: &str) -> Element {
        let found = self.eval_with(BY_LABEL, vec![json!(label)]).await;
        if let Some(element) = found.get("element").and_then(|e| self.element(e)) {
            return element;
        }
        panic!(
            "{} form controls are labelled {label:?} on {}; the labels are {}",
            found["count"],
            self.url().await,
            found["labels"]
        );
    }

    /// Clears the field labelled `label` and types `value` into it.
    pub async fn fill_label(&self, label: &str, value: &str) {
        let field = self.by_label(label).await;
        fill(&field, value, label).await;
    }

    /// Clears the field with this id and types `value` into it.
    pub async fn fill_id(&self, id: &str, value: &str) {
        let field = self.by_id(id).await;
        fill(&field, value, id).await;
    }

    /// The current value of a form control.
    pub async fn value_of(&self, element: &Element) -> String {
        element
            .prop("value")
            .await
            .unwrap_or_else(|e| panic!("cannot read a value: {e}"))
            .unwrap_or_default()
    }

    /// Ticks or selects the control labelled `label` (checkbox, radio) by clicking it.
    pub async fn click_label(&self, label: &str) {
        let control = self.by_label(label).await;
        click(&control, label).await;
    }

    /// Clicks the element with this id.
    pub async fn click_id(&self, id: &str) {
        let element = self.by_id(id).await;
        click(&element, id).await;
    }

    /// Clicks the button (`<button>` or `<input type=submit|button>`) whose text is `text`.
    pub async fn click_button(&self, text: &str) {
        let xpath = format!(
            "//button[normalize-space(.)={q}] | //input[(@type='submit' or @type='button') and @value={q}]",
            q = xpath_literal(text)
        );
        let button = self.one_xpath(&xpath, "button", text).await;
        click(&button, text).await;
    }

    /// Clicks the link whose text is `text`.
    pub async fn click_link(&self, text: &str) {
        let xpath = format!("//a[normalize-space(.)={}]", xpath_literal(text));
        let link = self.one_xpath(&xpath, "link", text).await;
        click(&link, text).await;
    }

    async fn one_xpath(&self, xpath: &str, what: &str, text: &str) -> Element {
        let mut all = self
            .client
            .find_all(Locator::XPath(xpath))
            .await
            .unwrap_or_else(|e| panic!("cannot search for the {what} {text:?}: {e}"));
        assert!(
            all.len() == 1,
            "expected one {what} {text:?} on {}, found {}",
            self.url().await,
            all.len()
        );
        all.remove(0)
    }

    /// Presses and releases Tab (focus moves to the next focusable element).
    pub async fn press_tab(&self) {
        self.press(Key::Tab).await;
    }

    /// Shift+Tab (focus moves back).
    pub async fn press_shift_tab(&self) {
        self.chord(&[Key::Shift, Key::Tab]).await;
    }

    /// Enter on the focused element (follows a link, submits a form).
    pub async fn press_enter(&self) {
        self.press(Key::Enter).await;
    }

    /// Space on the focused element (presses a button, ticks a checkbox).
    pub async fn press_space(&self) {
        self.type_text(" ").await;
    }

    /// Escape.
    pub async fn press_escape(&self) {
        self.press(Key::Escape).await;
    }

    /// Presses and releases one key.
    pub async fn press(&self, key: Key) {
        self.chord(&[key]).await;
    }

    /// Holds `keys` down in order, then releases them in reverse (e.g. Shift+Tab).
    pub async fn chord(&self, keys: &[Key]) {
        let mut actions = KeyActions::new("keyboard".to_string());
        for key in keys {
            actions = actions.then(KeyAction::Down {
                value: char::from(*key),
            });
        }
        for key in keys.iter().rev() {
            actions = actions.then(KeyAction::Up {
                value: char::from(*key),
            });
        }
        self.perform(actions).await;
    }

    /// Types `text` into whatever has focus, as key presses (keyboard-only journeys).
    pub async fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".to_string());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        self.perform(actions).await;
    }

    async fn perform(&self, actions: KeyActions) {
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("key actions failed: {e}"));
        let _ = self.client.release_actions().await;
    }

    /// The element that has focus now.
    pub async fn focused_element(&self) -> FocusedElement {
        let value = self.eval(FOCUSED).await;
        serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("unexpected focused element {value}: {e}"))
    }

    /// Makes the viewport (`window.innerWidth`) exactly `px` CSS pixels wide, keeping the
    /// height, and checks that it took. 320 works (headless Chromium has no minimum width).
    pub async fn set_window_width(&self, px: u32) {
        let (outer_w, outer_h) = self
            .client
            .get_window_size()
            .await
            .unwrap_or_else(|e| panic!("cannot read the window size: {e}"));
        let (inner_w, _) = self.viewport().await;
        let frame = outer_w.saturating_sub(inner_w);
        self.resize(u64::from(px) + frame, outer_h).await;
        let (now, _) = self.viewport().await;
        assert_eq!(
            now,
            u64::from(px),
            "asked for a {px} px wide viewport, got {now} px"
        );
    }

    /// The viewport's size in CSS pixels (`innerWidth`, `innerHeight`).
    pub async fn viewport(&self) -> (u64, u64) {
        let size = self
            .eval("return [window.innerWidth, window.innerHeight];")
            .await;
        (
            size[0].as_u64().unwrap_or_default(),
            size[1].as_u64().unwrap_or_default(),
        )
    }

    /// How far the page is wider than the viewport, in CSS pixels (0 = no sideways scroll:
    /// what "usable at 320 px" needs).
    pub async fn horizontal_overflow(&self) -> u64 {
        self.eval(
            "const d = document.documentElement; \
             return Math.max(0, Math.ceil(d.scrollWidth - d.clientWidth));",
        )
        .await
        .as_u64()
        .unwrap_or_default()
    }

    /// Every cookie the browser holds for the current page's site.
    pub async fn cookies(&self) -> Vec<BrowserCookie> {
        let raw = self
            .client
            .get_all_cookies()
            .await
            .unwrap_or_else(|e| panic!("cannot read cookies: {e}"));
        raw.iter()
            .map(|c| BrowserCookie {
                name: c.name().to_string(),
                value: c.value().to_string(),
                path: c.path().map(str::to_string),
                domain: c.domain().map(str::to_string),
                http_only: c.http_only().unwrap_or(false),
                secure: c.secure().unwrap_or(false),
                same_site: c.same_site().map(|s| s.to_string()),
                expires: c.expires_datetime().map(|t| t.unix_timestamp()),
            })
            .collect()
    }

    /// The cookie called `name`, if the browser holds it.
    pub async fn cookie(&self, name: &str) -> Option<BrowserCookie> {
        self.cookies().await.into_iter().find(|c| c.name == name)
    }

    /// Deletes the cookie called `name` (e.g. to act as an expired session).
    pub async fn delete_cookie(&self, name: &str) {
        self.client
            .delete_cookie(name)
            .await
            .unwrap_or_else(|e| panic!("cannot delete the cookie {name}: {e}"));
    }

    /// A WebDriver element reference in a script result, as an [`Element`].
    fn element(&self, value: &Value) -> Option<Element> {
        let id = value
            .get(webdriver_element_key())
            .and_then(Value::as_str)?
            .to_string();
        Some(Element::from_element_id(self.client.clone(), id.into()))
    }
}

/// The W3C WebDriver key of an element reference in JSON.
fn webdriver_element_key() -> &'static str {
    "element-6066-11e4-a52e-4f735466cecf"
}

async fn fill(field: &Element, value: &str, what: &str) {
    field
        .clear()
        .await
        .unwrap_or_else(|e| panic!("cannot clear {what:?}: {e}"));
    field
        .send_keys(value)
        .await
        .unwrap_or_else(|e| panic!("cannot type into {what:?}: {e}"));
}

async fn click(element: &Element, what: &str) {
    element
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {what:?}: {e}"));
}

/// `text` as an XPath string literal (XPath 1 has no escapes: use concat for both quotes).
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

#[cfg(test)]
mod tests {
    use super::xpath_literal;

    #[test]
    fn xpath_literals_quote_any_text() {
        assert_eq!(xpath_literal("Sign in"), "'Sign in'");
        assert_eq!(xpath_literal("Don't"), "\"Don't\"");
        assert_eq!(xpath_literal("a'b\"c"), "concat('a', \"'\", 'b\"c')");
    }
}
