//! Form state for the templates: the values to show again and the errors,
//! built from the same `FieldErrors` the API returns (field path → input id).

use std::collections::BTreeMap;

use fluent_bundle::FluentValue;
use serde::Serialize;

use crate::i18n::{field_message, Lang};

/// One field of a form: the service's field path, the input's `id`, and
/// the message id of its label.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub path: &'static str,
    pub input: &'static str,
    pub label: &'static str,
}

pub const fn field(path: &'static str, input: &'static str, label: &'static str) -> Field {
    Field { path, input, label }
}

/// A line of the error summary: a link to the input and what is wrong.
#[derive(Debug, Serialize)]
pub struct SummaryItem {
    pub href: String,
    pub text: String,
}

/// What a form template shows: earlier values (never a password), the
/// message beside each invalid input (by input id), and the summary.
#[derive(Debug, Default, Serialize)]
pub struct FormState {
    pub values: BTreeMap<&'static str, String>,
    pub errors: BTreeMap<&'static str, String>,
    pub summary: Vec<SummaryItem>,
}

impl FormState {
    pub fn with_values(values: &[(&'static str, &str)]) -> FormState {
        FormState {
            values: values.iter().map(|(k, v)| (*k, (*v).to_string())).collect(),
            ..FormState::default()
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.summary.is_empty()
    }

    /// Adds the service's field errors, translated, in the form's field
    /// order; a path the form does not show goes to the first field.
    pub fn add_field_errors(
        &mut self,
        lang: Lang,
        fields: &[Field],
        errors: &BTreeMap<String, Vec<String>>,
    ) {
        let Some(first) = fields.first() else {
            return;
        };
        let mut ordered: Vec<(Field, &Vec<String>)> = Vec::new();
        for f in fields {
            if let Some(messages) = errors.get(f.path) {
                ordered.push((*f, messages));
            }
        }
        for (path, messages) in errors {
            if !fields.iter().any(|f| f.path == path) {
                ordered.push((*first, messages));
            }
        }
        for (f, messages) in ordered {
            let text = messages
                .iter()
                .map(|m| translate(lang, m))
                .collect::<Vec<_>>()
                .join(" ");
            self.add(lang, f, &text);
        }
    }

    /// Adds one message (already translated) for `field`.
    pub fn add(&mut self, lang: Lang, field: Field, text: &str) {
        let label = lang.t(field.label);
        self.summary.push(SummaryItem {
            href: format!("#{}", field.input),
            text: format!("{label}: {text}"),
        });
        self.errors
            .entry(field.input)
            .and_modify(|e| {
                e.push(' ');
                e.push_str(text);
            })
            .or_insert_with(|| text.to_string());
    }

    /// Adds the message `id` for `field`.
    pub fn add_message(&mut self, lang: Lang, field: Field, id: &str) {
        let text = lang.t(id);
        self.add(lang, field, &text);
    }
}

/// One of the service's English field messages in `lang`.
fn translate(lang: Lang, message: &str) -> String {
    let (id, arg) = field_message(message);
    let args: Vec<(&str, FluentValue<'_>)> = arg
        .map(|(name, n)| vec![(name, FluentValue::from(n))])
        .unwrap_or_default();
    lang.text(id, &args)
        .unwrap_or_else(|_| lang.t("err-invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: &[Field] = &[
        field("email", "email", "field-email"),
        field("password", "password", "field-password"),
    ];

    #[test]
    fn field_errors_become_summary_links_and_messages() {
        let mut errors = BTreeMap::new();
        errors.insert(
            "password".to_string(),
            vec!["must be at least 12 characters long".to_string()],
        );
        errors.insert("email".to_string(), vec!["is required".to_string()]);
        errors.insert("body".to_string(), vec!["something else".to_string()]);
        let mut form = FormState::default();
        form.add_field_errors(Lang::Es, FIELDS, &errors);
        assert_eq!(form.summary.len(), 3);
        // Form order, not alphabetical order.
        assert_eq!(form.summary[0].href, "#email");
        assert_eq!(form.summary[1].href, "#password");
        assert!(form.errors["password"].contains("12"), "{:?}", form.errors);
        // A path the form has no input for is shown on the first field.
        assert_eq!(form.summary[2].href, "#email");
        assert!(!form.errors["email"].contains("something else"));
    }
}
