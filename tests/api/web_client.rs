//! A browser without JavaScript for the web app's tests: a cookie jar,
//! forms with their CSRF token, redirects followed by hand so each answer
//! can be checked; and the codes the app emails.

use std::sync::Arc;
use std::time::Duration;

use kindred_tests::TestApp;
use reqwest::header::{HeaderMap, COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

/// A browser: a cookie jar, no automatic redirects.
pub struct WebClient {
    pub base: String,
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(str::to_string)
            .collect()
    }

    pub fn set_cookie(&self, name: &str) -> String {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no Set-Cookie {name}: {:?}", self.set_cookies()))
    }

    /// The hidden CSRF token of the page's forms.
    pub fn csrf(&self) -> String {
        let at = self
            .html
            .find("name=\"csrf\" value=\"")
            .unwrap_or_else(|| panic!("no csrf field in {}", self.html));
        let rest = &self.html[at + 19..];
        rest[..rest.find('"').unwrap()].to_string()
    }

    pub fn redirects_to(&self, location: &str) {
        assert_eq!(self.status, StatusCode::SEE_OTHER, "{}", self.html);
        assert_eq!(self.location(), location);
    }
}

impl WebClient {
    pub fn new(app: &TestApp) -> WebClient {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(Arc::clone(&jar))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        WebClient {
            base: app.base.clone(),
            client,
            jar,
        }
    }

    pub async fn read(res: reqwest::Response) -> Page {
        Page {
            status: res.status(),
            headers: res.headers().clone(),
            html: res.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let res = self.client.get(format!("{}{path}", self.base)).send().await;
        Self::read(res.unwrap()).await
    }

    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .form(form)
            .send()
            .await;
        Self::read(res.unwrap()).await
    }

    /// Posts a `multipart/form-data` form (a file upload).
    pub async fn post_multipart(&self, path: &str, form: reqwest::multipart::Form) -> Page {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await;
        Self::read(res.unwrap()).await
    }

    /// GETs the form page, then posts `form` with its CSRF token.
    pub async fn submit(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let page = self.get(path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.html);
        let csrf = page.csrf();
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        self.post(path, &fields).await
    }

    /// The session cookie the browser holds now.
    pub fn session(&self) -> String {
        use reqwest::cookie::CookieStore;
        let url = self.base.parse().unwrap();
        let cookies = self
            .jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string());
        cookies
            .unwrap_or_default()
            .split("; ")
            .find_map(|c| c.strip_prefix("kindred_session="))
            .expect("a session cookie")
            .to_string()
    }

    pub async fn login(&self, email: &str, password: &str) -> Page {
        self.submit("/login", &[("email", email), ("password", password)])
            .await
    }
}

/// GET `path` with only this session cookie (an old copy of one).
pub async fn get_with_session(app: &TestApp, path: &str, session: &str) -> Page {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}{path}", app.base))
        .header(COOKIE, format!("kindred_session={session}"))
        .send()
        .await
        .unwrap();
    WebClient::read(res).await
}

/// Waits for a new email to `to` whose text has `prefix` at a line start,
/// and returns the rest of that line.
pub async fn code_in_mail(app: &TestApp, to: &str, before: usize, prefix: &str) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let found = app
            .sink
            .messages_to(to)
            .into_iter()
            .skip(before)
            .find_map(|m| {
                m.text_body.as_deref().and_then(|t| {
                    t.lines()
                        .find_map(|l| l.trim().strip_prefix(prefix).map(|c| c.trim().to_string()))
                })
            });
        if let Some(code) = found {
            return code;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no email to {to} with {prefix:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
