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
use fluent_bundle::FluentValue;
use minijinja::value::{Kwargs, Value};
use minijinja::{Environment, ErrorKind, State};
use serde::Serialize;

use crate::forms::FormState;
use crate::i18n::Lang;

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

fn translate(state: &State, id: &str, kwargs: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .ok_or_else(|| minijinja::Error::new(ErrorKind::UndefinedError, "no `lang` in scope"))?;
    let mut args: Vec<(String, FluentValue<'static>)> = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let fluent = match value.as_i64() {
            Some(n) => FluentValue::from(n),
            None => FluentValue::from(value.to_string()),
        };
        args.push((name.to_string(), fluent));
    }
    kwargs.assert_all_used()?;
    let borrowed: Vec<(&str, FluentValue<'_>)> =
        args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    lang.text(id, &borrowed)
        .map_err(|msg| minijinja::Error::new(ErrorKind::UndefinedError, msg))
}

/// The environment, built once.
pub fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Undefined variables are errors, not empty text.
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, source) in templates() {
            if let Err(err) = env.add_template(name, source) {
                tracing::error!(template = name, error = %err, "template does not parse");
            }
        }
        env.add_function("t", translate);
        env
    })
}

/// A footer paragraph of the configured support resources: text lines, or
/// a list where its lines start with `- `.
#[derive(Debug, Serialize)]
pub struct FooterBlock {
    pub lines: Vec<String>,
    pub list: bool,
}

/// Splits `mail.footer` (the support-resources text every email carries)
/// into paragraphs and lists for the page footer.
pub fn footer_blocks(footer: &str) -> Vec<FooterBlock> {
    footer
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let lines: Vec<&str> = p.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            if lines.iter().all(|l| l.starts_with("- ")) {
                FooterBlock {
                    lines: lines.iter().map(|l| l[2..].trim().to_string()).collect(),
                    list: true,
                }
            } else {
                let joined = lines.iter().fold(String::new(), |mut acc, line| {
                    if let Some(item) = line.strip_prefix("- ") {
                        // A list line inside a paragraph keeps its own line.
                        acc.push_str("\n— ");
                        acc.push_str(item);
                    } else {
                        if !acc.is_empty() {
                            acc.push(' ');
                        }
                        acc.push_str(line);
                    }
                    acc
                });
                FooterBlock {
                    lines: vec![joined],
                    list: false,
                }
            }
        })
        .collect()
}

/// What every page template gets besides its own values.
#[derive(Debug, Serialize)]
pub struct Layout {
    pub lang: &'static str,
    /// The path of this page, for the language switcher's way back.
    pub path: String,
    /// The signed-in person's display name (header links and the log-out
    /// button), if any.
    pub signed_in: Option<String>,
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
