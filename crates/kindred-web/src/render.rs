//! Templates (minijinja, HTML autoescaping) embedded at compile time, and
//! the page context every template gets.
//!
//! Templates call `t("message-id", name=value…)` for every visible word;
//! the language comes from the context's `lang`. An unknown message id is
//! a render error, so the render test of every template in every language
//! finds it.

use std::sync::OnceLock;

use actix_web::http::{header, StatusCode};
use actix_web::HttpResponse;
use minijinja::value::Value;
use minijinja::Environment;
use serde::Serialize;

use crate::forms::FormState;

/// Every template, by name.
/// The layout's and the accounts pages' templates; each area of
/// `pages::AREAS` lists its own (see [`templates`]).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("macros.html", include_str!("../templates/macros.html")),
    ("landing.html", include_str!("../templates/landing.html")),
    ("signup.html", include_str!("../templates/signup.html")),
    (
        "signup_sent.html",
        include_str!("../templates/signup_sent.html"),
    ),
    ("verify.html", include_str!("../templates/verify.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("forgot.html", include_str!("../templates/forgot.html")),
    ("reset.html", include_str!("../templates/reset.html")),
    ("password.html", include_str!("../templates/password.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("error.html", include_str!("../templates/error.html")),
];

/// Every template, by name: [`TEMPLATES`] and every area's.
pub fn templates() -> impl Iterator<Item = &'static (&'static str, &'static str)> {
    TEMPLATES
        .iter()
        .chain(crate::pages::AREAS.iter().flat_map(|a| a.templates.iter()))
}

/// Every template that is a page (the others are included by them).
pub fn pages() -> impl Iterator<Item = &'static str> {
    PAGES
        .iter()
        .chain(crate::pages::AREAS.iter().flat_map(|a| a.pages.iter()))
        .copied()
}

/// The accounts pages (the others are included by them).
pub const PAGES: &[&str] = &[
    "landing.html",
    "signup.html",
    "signup_sent.html",
    "verify.html",
    "login.html",
    "forgot.html",
    "reset.html",
    "password.html",
    "home.html",
    "error.html",
];

/// The environment, built once: the shared rules (`kindred_mail::text`:
/// HTML autoescaping, strict undefined variables, `t(…)`) over the web
/// app's messages, and every template.
pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = kindred_mail::text::environment(crate::i18n::catalog());
        for (name, source) in templates() {
            if let Err(err) = env.add_template(name, source) {
                tracing::error!(template = name, error = %err, "template does not parse");
            }
        }
        env
    })
}

/// The support resources as paragraphs and lists (shared with the emails'
/// HTML part).
pub use kindred_mail::text::{footer_blocks, FooterBlock};

/// What every page template gets besides its own values.
#[derive(Debug, Serialize)]
pub struct Layout {
    pub lang: &'static str,
    /// The path of this page, for the language switcher's way back.
    pub path: String,
    /// The signed-in person's display name (header links and the log-out
    /// button), if any.
    pub signed_in: Option<String>,
    /// The signed-in person is a coordinator (the header links the console).
    pub coordinator: bool,
    /// The CSRF token of the log-out form when signed in; of the page's
    /// anonymous forms otherwise.
    pub csrf: String,
    pub footer: Vec<FooterBlock>,
    /// A message id to show at the top (after a redirect), if any.
    pub notice: Option<&'static str>,
}

/// A page to render: a template, the layout, its own values and its form.
pub struct Page {
    pub template: &'static str,
    pub status: StatusCode,
    pub layout: Layout,
    pub form: FormState,
    pub values: Value,
}

impl Page {
    pub fn new(template: &'static str, layout: Layout) -> Page {
        Page {
            template,
            status: StatusCode::OK,
            layout,
            form: FormState::default(),
            values: Value::from(()),
        }
    }

    pub fn status(mut self, status: StatusCode) -> Page {
        self.status = status;
        self
    }

    pub fn form(mut self, form: FormState) -> Page {
        self.form = form;
        self
    }

    pub fn values(mut self, values: Value) -> Page {
        self.values = values;
        self
    }

    /// The page's HTML.
    pub fn html(&self) -> Result<String, minijinja::Error> {
        let ctx = minijinja::context! {
            layout => &self.layout,
            lang => self.layout.lang,
            form => &self.form,
            page => &self.values,
        };
        env().get_template(self.template)?.render(ctx)
    }

    /// Renders to HTML. A render failure is a bug: it is logged and
    /// answered with a plain 500.
    pub fn render(self) -> HttpResponse {
        match self.html() {
            Ok(html) => HttpResponse::build(self.status)
                .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                .body(html),
            Err(err) => {
                tracing::error!(template = self.template, error = %err, "page failed to render");
                HttpResponse::InternalServerError()
                    .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
                    .body("<!doctype html><title>Error</title><p>Internal error.</p>")
            }
        }
    }
}
