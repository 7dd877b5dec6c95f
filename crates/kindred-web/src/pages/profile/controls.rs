//! The profile and request forms' repeated controls, written in Rust: a
//! tag row ("I share this", public or private), a checkbox, a time input,
//! and the message beside each.
//!
//! A mentor's profile form has about 130 of them (68 tags, 26 languages, 28
//! times, the modes); as template macros they took most of the page's
//! render time (docs/benchmarks.md, "Web pages"). The markup is what the
//! templates' `macros.html` conventions give every input: a visible
//! `<label>`, `aria-invalid` and the message's id in `aria-describedby` when
//! the input is invalid, the message in a `field-error` paragraph whose id
//! the error summary links to. Text goes through minijinja's own HTML
//! escaping, the one rule of every template and email.

use std::collections::BTreeMap;
use std::fmt::Write;

use minijinja::{HtmlEscape, Value};

use crate::i18n::Lang;

/// Messages beside the inputs, by input id.
pub type Beside = BTreeMap<String, String>;

/// HTML being written; every piece of text is escaped on the way in.
pub struct Html<'a> {
    out: String,
    lang: Lang,
    beside: &'a Beside,
}

/// A checkbox and its label.
pub struct Check<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub value: &'a str,
    /// Already text (escaped here).
    pub label: &'a str,
    pub checked: bool,
    /// The `lang` attribute of the label (an autonym), if any.
    pub label_lang: Option<&'a str>,
    pub rtl: bool,
    /// The id of a hint the input is described by, if any.
    pub hint: Option<&'a str>,
}

impl<'a> Check<'a> {
    pub fn new(id: &'a str, name: &'a str, value: &'a str, label: &'a str) -> Check<'a> {
        Check {
            id,
            name,
            value,
            label,
            checked: false,
            label_lang: None,
            rtl: false,
            hint: None,
        }
    }
}

/// One shared experience on a form.
pub struct TagControl<'a> {
    pub id: &'a str,
    pub slug: &'a str,
    pub label: &'a str,
    pub sensitive: bool,
    pub checked: bool,
    pub private: bool,
}

impl<'a> Html<'a> {
    pub fn new(lang: Lang, beside: &'a Beside) -> Html<'a> {
        Html {
            out: String::with_capacity(4096),
            lang,
            beside,
        }
    }

    /// The HTML written, for a template (already escaped).
    pub fn finish(self) -> Value {
        Value::from_safe_string(self.out)
    }

    fn raw(&mut self, s: &str) -> &mut Self {
        self.out.push_str(s);
        self
    }

    fn text(&mut self, s: &str) -> &mut Self {
        let _ = write!(self.out, "{}", HtmlEscape(s));
        self
    }

    fn message(&mut self, id: &str) -> &mut Self {
        let text = self.lang.t(id);
        self.text(&text)
    }

    fn invalid(&self, id: &str) -> bool {
        self.beside.contains_key(id)
    }

    /// The message beside input `id`, if it has one.
    pub fn error(&mut self, id: &str) -> &mut Self {
        let Some(message) = self.beside.get(id) else {
            return self;
        };
        self.raw("<p class=\"field-error\" id=\"")
            .text(id)
            .raw("-error\"><span class=\"visually-hidden\">")
            .message("error-prefix")
            .raw(" </span>")
            .text(message)
            .raw("</p>")
    }

    /// A checkbox with its label after it.
    pub fn check(&mut self, c: &Check<'_>) -> &mut Self {
        let invalid = self.invalid(c.id);
        self.raw("\n<div class=\"profile-check")
            .raw(if invalid { " field-invalid" } else { "" })
            .raw("\">\n  ")
            .error(c.id)
            .raw("\n  <input type=\"checkbox\" id=\"")
            .text(c.id)
            .raw("\" name=\"")
            .text(c.name)
            .raw("\" value=\"")
            .text(c.value)
            .raw("\"");
        if c.checked {
            self.raw(" checked");
        }
        if invalid {
            self.raw(" aria-invalid=\"true\"");
        }
        match (c.hint, invalid) {
            (Some(hint), true) => self
                .raw(" aria-describedby=\"")
                .text(hint)
                .raw(" ")
                .text(c.id)
                .raw("-error\""),
            (Some(hint), false) => self.raw(" aria-describedby=\"").text(hint).raw("\""),
            (None, true) => self.raw(" aria-describedby=\"").text(c.id).raw("-error\""),
            (None, false) => self,
        };
        self.raw(">\n  <label for=\"").text(c.id).raw("\"");
        if let Some(lang) = c.label_lang {
            self.raw(" lang=\"").text(lang).raw("\"");
        }
        if c.rtl {
            self.raw(" dir=\"rtl\"");
        }
        self.raw(">").text(c.label).raw("</label>\n</div>\n")
    }

    /// One experience: "I share this" (`name`), and with `visibility` who
    /// may see it (public or private).
    pub fn tag(&mut self, t: &TagControl<'_>, name: &str, visibility: bool) -> &mut Self {
        let invalid = self.invalid(t.id);
        self.raw("\n<div class=\"profile-tag")
            .raw(if invalid { " field-invalid" } else { "" })
            .raw("\">\n  ")
            .error(t.id)
            .raw("\n  <div class=\"profile-check\">\n    <input type=\"checkbox\" id=\"")
            .text(t.id)
            .raw("\" name=\"")
            .text(name)
            .raw("\" value=\"")
            .text(t.slug)
            .raw("\" class=\"profile-tag-box")
            .raw(if t.sensitive {
                " profile-sensitive"
            } else {
                ""
            })
            .raw("\"");
        if t.checked {
            self.raw(" checked");
        }
        if invalid {
            self.raw(" aria-invalid=\"true\" aria-describedby=\"")
                .text(t.id)
                .raw("-error\"");
        }
        self.raw(">\n    <label for=\"")
            .text(t.id)
            .raw("\">")
            .text(t.label);
        if t.sensitive {
            self.raw(" <span class=\"profile-sensitive-mark\">")
                .message("profile-sensitive-mark")
                .raw("</span>");
        }
        self.raw("</label>\n  </div>\n");
        if visibility {
            let legend = self
                .lang
                .text("profile-visibility-legend", &[("tag", t.label.into())])
                .unwrap_or_default();
            self.raw(
                "  <fieldset class=\"profile-visibility\">\n    <legend class=\"visually-hidden\">",
            )
            .text(&legend)
            .raw("</legend>\n");
            for (value, message, checked) in [
                ("public", "profile-choice-public", !t.private),
                ("private", "profile-choice-private", t.private),
            ] {
                self.raw("    <div class=\"radio\">\n      <input type=\"radio\" id=\"")
                    .text(t.id)
                    .raw("-")
                    .raw(value)
                    .raw("\" name=\"vis-")
                    .text(t.slug)
                    .raw("\" value=\"")
                    .raw(value)
                    .raw("\"")
                    .raw(if checked { " checked" } else { "" })
                    .raw(">\n      <label for=\"")
                    .text(t.id)
                    .raw("-")
                    .raw(value)
                    .raw("\">")
                    .message(message)
                    .raw("</label>\n    </div>\n");
            }
            self.raw("  </fieldset>\n");
        }
        self.raw("</div>\n")
    }

    /// A time of an availability row; `label` is already text.
    pub fn time(&mut self, id: &str, label: &str, value: &str) -> &mut Self {
        let invalid = self.invalid(id);
        self.raw("\n<div class=\"profile-time")
            .raw(if invalid { " field-invalid" } else { "" })
            .raw("\">\n  <label for=\"")
            .text(id)
            .raw("\">")
            .text(label)
            .raw("</label>\n  ")
            .error(id)
            .raw("\n  <input class=\"input\" type=\"time\" step=\"900\" id=\"")
            .text(id)
            .raw("\" name=\"")
            .text(id)
            .raw("\"");
        if !value.is_empty() {
            self.raw(" value=\"").text(value).raw("\"");
        }
        if invalid {
            self.raw(" aria-invalid=\"true\" aria-describedby=\"")
                .text(id)
                .raw("-error\"");
        }
        self.raw(">\n</div>\n")
    }

    /// Writes raw markup the caller built (no text in it).
    pub fn markup(&mut self, s: &str) -> &mut Self {
        self.raw(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn beside() -> Beside {
        let mut b = Beside::new();
        b.insert("tag-a".into(), "unknown <tag>".into());
        b.insert("lang-x".into(), "bad".into());
        b.insert("avail-mon-0-start".into(), "too early".into());
        b
    }

    /// The message beside an input is the one the templates' `error` macro
    /// writes, character for character (the error summary links to it).
    #[test]
    fn error_paragraph_matches_the_template_macro() {
        let b = beside();
        for lang in [Lang::En, Lang::Es] {
            let mut html = Html::new(lang, &b);
            html.error("tag-a").error("nothing-here");
            let ours = html.finish().to_string();
            let macro_html = crate::render::env()
                .template_from_named_str(
                    "error_test.html",
                    "{% import \"profile_macros.html\" as pm %}{{ pm.error(form, \"tag-a\") }}{{ pm.error(form, \"nothing-here\") }}",
                )
                .unwrap()
                .render(minijinja::context! {
                    lang => lang.tag(),
                    form => minijinja::context! { errors => &b },
                })
                .unwrap();
            assert_eq!(ours, macro_html);
            assert!(ours.contains("unknown &lt;tag&gt;"));
        }
    }

    #[test]
    fn controls_escape_and_describe_their_errors() {
        let b = beside();
        let mut html = Html::new(Lang::En, &b);
        html.tag(
            &TagControl {
                id: "tag-a",
                slug: "a",
                label: "A <b> tag",
                sensitive: true,
                checked: true,
                private: true,
            },
            "tag",
            true,
        );
        let mut check = Check::new("lang-x", "lang", "x", "Éx");
        check.label_lang = Some("x");
        check.rtl = true;
        check.hint = Some("languages-hint");
        html.check(&check)
            .time("avail-mon-0-start", "Monday", "18:00");
        let out = html.finish().to_string();
        assert!(out.contains("id=\"tag-a\" name=\"tag\" value=\"a\" class=\"profile-tag-box profile-sensitive\" checked aria-invalid=\"true\" aria-describedby=\"tag-a-error\">"));
        assert!(out.contains("A &lt;b&gt; tag <span class=\"profile-sensitive-mark\">"));
        assert!(out.contains("id=\"tag-a-private\" name=\"vis-a\" value=\"private\" checked>"));
        assert!(out.contains("id=\"tag-a-public\" name=\"vis-a\" value=\"public\">"));
        assert!(
            out.contains("aria-invalid=\"true\" aria-describedby=\"languages-hint lang-x-error\">")
        );
        assert!(out.contains("<label for=\"lang-x\" lang=\"x\" dir=\"rtl\">Éx</label>"));
        assert!(out.contains("id=\"avail-mon-0-start\" name=\"avail-mon-0-start\" value=\"18:00\" aria-invalid=\"true\" aria-describedby=\"avail-mon-0-start-error\">"));
        assert!(out.contains("<p class=\"field-error\" id=\"avail-mon-0-start-error\">"));
    }
}
