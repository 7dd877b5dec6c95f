//! The template engine core the web pages and the emails share, so both have
//! one escaping rule and one translation mechanism:
//!
//! * [`Lang`]: the languages Kindred is written in (from `kindred-core`).
//! * [`Catalog`]: Fluent bundles, one per language, built once from a list of
//!   `.ftl` sources (each user of the engine has its own messages).
//! * [`environment`]: a minijinja environment with the shared rules: HTML
//!   autoescaping for `.html` templates (and none for `.txt`), undefined
//!   variables are errors, and `t("message-id", name=value…)` translates
//!   into the language in the template's `lang` variable; an unknown id is a
//!   render error, never a silently blank text.
//! * [`footer_blocks`]: the configured support-resources text as paragraphs
//!   and lists, for the page footer and the emails' HTML part.

use std::collections::HashMap;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, State};
use serde::Serialize;
use unic_langid::LanguageIdentifier;

pub use fluent_bundle::FluentValue;
pub use kindred_core::Lang;

/// The messages of one user of the engine (the web app, the emails), in
/// every language.
pub struct Catalog {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
    sources: HashMap<Lang, Vec<&'static str>>,
    /// Every message that needs no argument, formatted once: pages ask for
    /// hundreds of them per render (labels of every tag, day, language).
    plain: HashMap<Lang, HashMap<String, Arc<str>>>,
}

impl Catalog {
    /// Parses `sources(lang)` (the contents of `.ftl` files) for every
    /// language. A file that does not parse, or an id defined twice, is
    /// logged (the message tests catch both).
    pub fn new(sources: impl Fn(Lang) -> Vec<&'static str>) -> Catalog {
        let mut bundles = HashMap::new();
        let mut all = HashMap::new();
        for lang in Lang::ALL {
            let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: pages set `dir`,
            // and a plain-text email must read (and be searched) as written.
            bundle.set_use_isolating(false);
            let files = sources(lang);
            for source in &files {
                match FluentResource::try_new((*source).to_string()) {
                    Ok(resource) => {
                        if let Err(errs) = bundle.add_resource(resource) {
                            tracing::error!(
                                lang = lang.tag(),
                                count = errs.len(),
                                "duplicate messages"
                            );
                        }
                    }
                    Err((_, errs)) => {
                        tracing::error!(
                            lang = lang.tag(),
                            count = errs.len(),
                            "unparsable messages"
                        );
                    }
                }
            }
            bundles.insert(lang, bundle);
            all.insert(lang, files);
        }
        let mut catalog = Catalog {
            bundles,
            sources: all,
            plain: HashMap::new(),
        };
        catalog.plain = Lang::ALL
            .iter()
            .map(|&lang| (lang, catalog.format_plain(lang)))
            .collect();
        catalog
    }

    /// The messages of `lang` that format without arguments and without
    /// errors (a message that needs an argument is formatted per call).
    fn format_plain(&self, lang: Lang) -> HashMap<String, Arc<str>> {
        let mut out = HashMap::new();
        for id in self.message_ids(lang) {
            if let Ok(text) = self.format(lang, &id, &[]) {
                out.insert(id, Arc::from(text));
            }
        }
        out
    }

    /// The message `id` in `lang` as shared text, when it needs no
    /// argument (the common case: no formatting at all).
    pub fn plain(&self, lang: Lang, id: &str) -> Option<Arc<str>> {
        self.plain.get(&lang)?.get(id).cloned()
    }

    /// The message `id` in `lang` with `args`. A missing id, or an argument
    /// the message needs and did not get, is an error.
    pub fn text(
        &self,
        lang: Lang,
        id: &str,
        args: &[(&str, FluentValue<'_>)],
    ) -> Result<String, String> {
        if args.is_empty() {
            if let Some(text) = self.plain(lang, id) {
                return Ok(text.to_string());
            }
        }
        self.format(lang, id, args)
    }

    /// Formats the message `id` in `lang` with `args` through Fluent.
    fn format(
        &self,
        lang: Lang,
        id: &str,
        args: &[(&str, FluentValue<'_>)],
    ) -> Result<String, String> {
        let bundle = self
            .bundles
            .get(&lang)
            .ok_or_else(|| format!("no bundle for {}", lang.tag()))?;
        let message = bundle
            .get_message(id)
            .ok_or_else(|| format!("no message {id:?} in {}", lang.tag()))?;
        let pattern = message
            .value()
            .ok_or_else(|| format!("message {id:?} has no value in {}", lang.tag()))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(err) = errors.first() {
            return Err(format!("message {id:?} in {}: {err}", lang.tag()));
        }
        Ok(text.into_owned())
    }

    /// Like [`Catalog::text`] for code paths that must produce something: a
    /// missing message (a bug the tests catch) shows its id, and is logged.
    pub fn t(&self, lang: Lang, id: &str) -> String {
        self.text(lang, id, &[]).unwrap_or_else(|err| {
            tracing::error!(error = %err, "missing translation");
            id.to_string()
        })
    }

    /// Every message id defined for `lang`, in file order; an id defined in
    /// two files appears twice (the tests check there is none).
    pub fn message_ids(&self, lang: Lang) -> Vec<String> {
        let mut ids = Vec::new();
        for source in self.sources.get(&lang).into_iter().flatten() {
            let Ok(resource) = FluentResource::try_new((*source).to_string()) else {
                continue;
            };
            ids.extend(resource.entries().filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            }));
        }
        ids
    }
}

/// HTML escaping for `.html` (and `.htm`, `.xml`) templates, none for the
/// others (`.txt`: the plain-text part of an email is not HTML).
pub fn auto_escape(name: &str) -> AutoEscape {
    let ext = name.rsplit('.').next().unwrap_or("");
    match ext {
        "html" | "htm" | "xml" => AutoEscape::Html,
        _ => AutoEscape::None,
    }
}

/// A minijinja environment with the shared rules and `t(…)` over
/// `catalog`; add the templates to it.
pub fn environment(catalog: &'static Catalog) -> Environment<'static> {
    let mut env = Environment::new();
    // Undefined variables are errors, not empty text.
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    env.set_auto_escape_callback(auto_escape);
    env.add_function(
        "t",
        move |state: &State, id: &str, kwargs: Kwargs| -> Result<Value, minijinja::Error> {
            translate(catalog, state, id, kwargs)
        },
    );
    env
}

/// `t("id", name=value…)`: the message in the template's `lang`. Integers
/// stay numbers (Fluent's plural rules select on them); everything else is
/// passed as text.
fn translate(
    catalog: &Catalog,
    state: &State,
    id: &str,
    kwargs: Kwargs,
) -> Result<Value, minijinja::Error> {
    let lang = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::parse))
        .ok_or_else(|| minijinja::Error::new(ErrorKind::UndefinedError, "no `lang` in scope"))?;
    if kwargs.args().next().is_none() {
        if let Some(text) = catalog.plain(lang, id) {
            return Ok(Value::from(text));
        }
    }
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
    catalog
        .text(lang, id, &borrowed)
        .map(Value::from)
        .map_err(|msg| minijinja::Error::new(ErrorKind::UndefinedError, msg))
}

/// A paragraph or a list of the configured support resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FooterBlock {
    /// One line for a paragraph (its lines joined), one per item for a list.
    pub lines: Vec<String>,
    pub list: bool,
}

/// Splits a support-resources text (`mail.footer`, `mail.footers.*`) into
/// blocks: blank lines separate paragraphs; lines starting with `- ` are
/// list items. A paragraph's other lines are joined with spaces (the text
/// is hard-wrapped in the configuration); intro lines followed by items
/// become a paragraph and then a list. An item line between text lines
/// stays in its paragraph on a line of its own, after an em dash.
pub fn footer_blocks(footer: &str) -> Vec<FooterBlock> {
    let normalized = footer.replace("\r\n", "\n");
    let mut blocks = Vec::new();
    for p in normalized
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let lines: Vec<&str> = p.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let intro = lines.iter().take_while(|l| !l.starts_with("- ")).count();
        let rest = &lines[intro..];
        if !rest.is_empty() && rest.iter().all(|l| l.starts_with("- ")) {
            if intro > 0 {
                blocks.push(FooterBlock {
                    lines: vec![lines[..intro].join(" ")],
                    list: false,
                });
            }
            blocks.push(FooterBlock {
                lines: rest.iter().map(|l| l[2..].trim().to_string()).collect(),
                list: true,
            });
            continue;
        }
        let joined = lines.iter().fold(String::new(), |mut acc, line| {
            if let Some(item) = line.strip_prefix("- ") {
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
        blocks.push(FooterBlock {
            lines: vec![joined],
            list: false,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::OnceLock;

    fn catalog() -> &'static Catalog {
        static C: OnceLock<Catalog> = OnceLock::new();
        C.get_or_init(|| {
            Catalog::new(|lang| match lang {
                Lang::En => vec!["hello = Hello, { $name }!\nitems = { $count ->\n [one] one item\n *[other] { $count } items\n}\n"],
                Lang::Es => vec!["hello = ¡Hola, { $name }!\nitems = { $count ->\n [one] un elemento\n *[other] { $count } elementos\n}\n"],
            })
        })
    }

    #[test]
    fn messages_with_arguments_and_plurals() {
        let c = catalog();
        assert_eq!(
            c.text(Lang::Es, "hello", &[("name", "Ana".into())])
                .unwrap(),
            "¡Hola, Ana!",
            "no isolation marks"
        );
        assert_eq!(
            c.text(Lang::En, "items", &[("count", 1.into())]).unwrap(),
            "one item"
        );
        assert!(c.text(Lang::En, "nope", &[]).is_err());
        assert!(
            c.text(Lang::En, "hello", &[]).is_err(),
            "a missing argument"
        );
        assert_eq!(c.t(Lang::En, "nope"), "nope");
        assert_eq!(c.message_ids(Lang::Es), ["hello", "items"]);
    }

    #[test]
    fn html_is_escaped_text_is_not_and_undefined_is_an_error() {
        let mut env = environment(catalog());
        env.add_template("a.html", "{{ t('hello', name=name) }} {{ n }}")
            .unwrap();
        env.add_template(
            "a.txt",
            "{{ t('hello', name=name) }} {{ t('items', count=n) }}",
        )
        .unwrap();
        let ctx = minijinja::context! { lang => "es", name => "<b>&", n => 3 };
        let html = env.get_template("a.html").unwrap().render(&ctx).unwrap();
        assert_eq!(html, "¡Hola, &lt;b&gt;&amp;! 3");
        let text = env.get_template("a.txt").unwrap().render(&ctx).unwrap();
        assert_eq!(text, "¡Hola, <b>&! 3 elementos");
        let missing = minijinja::context! { lang => "en", name => "x" };
        assert!(env
            .get_template("a.html")
            .unwrap()
            .render(&missing)
            .is_err());
        let unknown_id = env.template_from_str("{{ t('nope') }}").unwrap();
        assert!(unknown_id
            .render(minijinja::context! { lang => "en" })
            .is_err());
    }

    #[test]
    fn footer_paragraphs_and_lists() {
        let blocks = footer_blocks(
            "Peer support is not\nprofessional help.\n\nCall now:\n- 112\n- 116 123\n\n- only\n- items\n\nA\n- mixed\nB",
        );
        assert_eq!(
            blocks,
            vec![
                FooterBlock {
                    lines: vec!["Peer support is not professional help.".into()],
                    list: false
                },
                FooterBlock {
                    lines: vec!["Call now:".into()],
                    list: false
                },
                FooterBlock {
                    lines: vec!["112".into(), "116 123".into()],
                    list: true
                },
                FooterBlock {
                    lines: vec!["only".into(), "items".into()],
                    list: true
                },
                FooterBlock {
                    lines: vec!["A\n— mixed B".into()],
                    list: false
                },
            ]
        );
        assert!(footer_blocks("  \n\n ").is_empty());
    }
}
