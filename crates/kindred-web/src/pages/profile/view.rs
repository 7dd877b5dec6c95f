//! What the profile template shows: the tags grouped by category, the
//! languages, the time rows, the meeting modes and the other fields, each
//! with its message beside it; and where each of the service's error paths
//! is shown.

use std::collections::BTreeMap;

use kindred_core::ProfileKind;
use kindred_service::tags::TagView;
use serde::Serialize;

use super::choices::{self, DAYS, LANGUAGES, MODES, ROWS_PER_DAY};
use super::controls::{Beside, Check, Html, TagControl};
use super::draft::{self, Draft, Sent};
use super::errors::{indexed, Located};
use crate::i18n::Lang;

/// The categories in the order the form shows them (others follow).
const CATEGORIES: [&str; 3] = ["identity", "experience", "support"];

/// A tag the form offers: from the taxonomy, or a retired one the profile
/// still has.
#[derive(Debug, Clone)]
pub struct Offered {
    pub slug: String,
    pub label: String,
    pub category: String,
    pub sensitive: bool,
}

/// The tags the form shows, in order: the taxonomy by category, then the
/// profile's tags that are no longer offered (retired), under `retired`.
pub fn offered(lang: Lang, taxonomy: &[TagView], draft: &Draft) -> Vec<Offered> {
    let mut out: Vec<Offered> = Vec::new();
    let mut categories: Vec<&str> = CATEGORIES.to_vec();
    for t in taxonomy {
        if !categories.contains(&t.category.as_str()) {
            categories.push(&t.category);
        }
    }
    for category in categories {
        for t in taxonomy.iter().filter(|t| t.category == category) {
            out.push(Offered {
                slug: t.slug.clone(),
                label: choices::tag_label(lang, &t.slug, &t.label),
                category: t.category.clone(),
                sensitive: t.sensitive,
            });
        }
    }
    for slug in &draft.tags {
        let known = taxonomy.iter().any(|t| &t.slug == slug);
        // A tag the profile keeps although it is no longer offered (or a
        // posted slug that is not in the taxonomy, shown with its error).
        if !known && is_slug(slug) && !out.iter().any(|t| &t.slug == slug) {
            let stored = choices::default_label(slug).unwrap_or(slug);
            out.push(Offered {
                slug: slug.clone(),
                label: choices::tag_label(lang, slug, stored),
                category: "retired".into(),
                sensitive: false,
            });
        }
    }
    out
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[derive(Debug, Clone)]
pub struct TagRow {
    pub slug: String,
    pub id: String,
    pub label: String,
    pub sensitive: bool,
    pub checked: bool,
    pub private: bool,
}

/// A category of tags: its rows, and their controls as HTML (`html`, set
/// by [`TagGroup::render`]).
#[derive(Debug, Serialize)]
pub struct TagGroup {
    pub category: String,
    #[serde(skip)]
    pub tags: Vec<TagRow>,
    pub html: minijinja::Value,
}

impl TagGroup {
    pub fn new(category: String, tags: Vec<TagRow>) -> TagGroup {
        TagGroup {
            category,
            tags,
            html: minijinja::Value::from(()),
        }
    }

    /// Writes the rows' controls (`name` is the checkboxes' name; with
    /// `visibility`, each row asks public or private).
    pub fn render(&mut self, lang: Lang, beside: &Beside, name: &str, visibility: bool) {
        let mut html = Html::new(lang, beside);
        for t in &self.tags {
            let control = TagControl {
                id: &t.id,
                slug: &t.slug,
                label: &t.label,
                sensitive: t.sensitive,
                checked: t.checked,
                private: t.private,
            };
            html.tag(&control, name, visibility);
        }
        self.html = html.finish();
    }
}

/// A day of the availability editor: its name and its time rows as HTML.
#[derive(Debug, Serialize)]
pub struct DayRows {
    pub day: &'static str,
    pub html: minijinja::Value,
}

/// Values and messages by input id, in the shape `macros.html`'s `input`
/// reads (`form.values`, `form.errors`).
#[derive(Debug, Default, Serialize)]
pub struct Fields {
    pub values: BTreeMap<&'static str, String>,
    pub errors: BTreeMap<String, String>,
}

/// The profile page's values (`page` in the template).
#[derive(Debug, Serialize)]
pub struct Editor {
    pub kind: &'static str,
    /// Both roles: the page links to the other profile.
    pub both_roles: bool,
    /// A mentee with a stored profile: the page links to "ask for a mentor".
    pub can_request: bool,
    pub groups: Vec<TagGroup>,
    pub consent: bool,
    /// The consent is always shown (not only when a sensitive tag is ticked).
    pub consent_shown: bool,
    /// The language checkboxes, as HTML.
    pub languages: minijinja::Value,
    pub days: Vec<DayRows>,
    /// The meeting-mode checkboxes, as HTML.
    pub modes: minijinja::Value,
    /// A mentor's "accepting new mentees" checkbox, as HTML.
    pub accepting: minijinja::Value,
    /// The `<option>`s of the time-zone list, rendered once (the same
    /// for every person and language: about 600 zones).
    pub zone_options: minijinja::Value,
    /// The time zone is empty: the page includes `/static/profile.js`,
    /// which fills in the browser's zone (the page works without it).
    pub zone_script: bool,
    /// Imported tags waiting for the person's consent (not ticked above,
    /// not used for matching): listed with a link to `/consent`.
    pub pending: Vec<crate::pages::invitation::PendingRow>,
    pub form: Fields,
}

pub fn tag_input(slug: &str) -> String {
    format!("tag-{slug}")
}

pub fn lang_input(code: &str) -> String {
    format!("lang-{code}")
}

pub fn mode_input(mode: &str) -> String {
    format!("mode-{mode}")
}

/// The page's values for `draft`, with the messages beside the inputs.
pub fn editor(
    lang: Lang,
    draft: &Draft,
    offered: &[Offered],
    beside: BTreeMap<String, String>,
    both_roles: bool,
    can_request: bool,
) -> Editor {
    let mut groups: Vec<TagGroup> = Vec::new();
    for t in offered {
        let row = TagRow {
            slug: t.slug.clone(),
            id: tag_input(&t.slug),
            label: t.label.clone(),
            sensitive: t.sensitive,
            checked: draft.tags.contains(&t.slug),
            // Sensitive tags start private; others public.
            private: draft.private.get(&t.slug).copied().unwrap_or(t.sensitive),
        };
        match groups.last_mut() {
            Some(g) if g.category == t.category => g.tags.push(row),
            _ => groups.push(TagGroup::new(t.category.clone(), vec![row])),
        }
    }
    for group in &mut groups {
        group.render(lang, &beside, "tag", true);
    }
    let mut languages = Html::new(lang, &beside);
    for l in LANGUAGES {
        let id = lang_input(l.code);
        let name = choices::language_name(lang, l);
        let mut check = Check::new(&id, "lang", l.code, &name);
        check.checked = draft.languages.iter().any(|c| c == l.code);
        check.label_lang = l.autonym.map(|_| l.code);
        check.rtl = l.rtl;
        languages.check(&check);
    }
    let days = DAYS
        .iter()
        .enumerate()
        .map(|(day, name)| DayRows {
            day: name,
            html: day_rows(lang, &beside, draft, day),
        })
        .collect();
    let mut modes = Html::new(lang, &beside);
    for m in MODES {
        let id = mode_input(m);
        let label = lang.t(&format!("profile-mode-{m}"));
        let mut check = Check::new(&id, "mode", m, &label);
        check.checked = draft.modes.iter().any(|x| x == m);
        modes.check(&check);
    }
    let mut accepting = Html::new(lang, &beside);
    let label = lang.t("profile-field-accepting");
    let mut check = Check::new("accepting", "accepting", "yes", &label);
    check.checked = draft.accepting;
    check.hint = Some("accepting-hint");
    accepting.check(&check);
    let consent_shown = beside.contains_key("consent_sensitive");
    let mut values = BTreeMap::new();
    values.insert("languages_other", draft.languages_other.clone());
    values.insert("timezone", draft.timezone.clone());
    values.insert("region", draft.region.clone());
    values.insert("goals", draft.goals.clone());
    values.insert("bio", draft.bio.clone());
    values.insert("capacity", draft.capacity.clone());
    values.insert("max_circles", draft.max_circles.clone());
    Editor {
        kind: draft.kind.as_str(),
        both_roles,
        can_request,
        groups,
        consent: draft.consent,
        consent_shown,
        languages: languages.finish(),
        days,
        modes: modes.finish(),
        accepting: accepting.finish(),
        zone_options: choices::zone_options(),
        zone_script: draft.timezone.is_empty(),
        pending: Vec::new(),
        form: Fields {
            values,
            errors: beside,
        },
    }
}

/// A day's time rows: the stored windows and one empty row to add another
/// (up to `ROWS_PER_DAY`).
fn day_rows(lang: Lang, beside: &Beside, draft: &Draft, day: usize) -> minijinja::Value {
    let stored = &draft.availability[day];
    let count = (stored.len() + 1).min(ROWS_PER_DAY).max(stored.len());
    let mut html = Html::new(lang, beside);
    for row in 0..count {
        let (start, end) = stored.get(row).cloned().unwrap_or_default();
        let number = [("number", ((row + 1) as i64).into())];
        let from = lang
            .text("profile-window-from", &number)
            .unwrap_or_default();
        let until = lang
            .text("profile-window-until", &number)
            .unwrap_or_default();
        html.markup("\n    <div class=\"profile-window\">")
            .time(&draft::window_input(day, row, false), &from, &start)
            .time(&draft::window_input(day, row, true), &until, &end)
            .markup("    </div>\n");
    }
    html.finish()
}

/// Where the service's error `path` is shown on the profile form.
pub fn locate(
    lang: Lang,
    kind: ProfileKind,
    sent: &Sent,
    offered: &[Offered],
    path: &str,
) -> Located {
    let at = |input: String, label: String, order: usize| Located {
        input,
        label,
        order,
    };
    let first_field = || at("bio".into(), lang.t("profile-field-bio"), 0);
    let tag_at = |slug: Option<&String>| {
        let found = slug.and_then(|s| offered.iter().position(|t| &t.slug == s));
        match found.or(if offered.is_empty() { None } else { Some(0) }) {
            Some(i) if found.is_some() => at(
                tag_input(&offered[i].slug),
                offered[i].label.clone(),
                100 + i,
            ),
            Some(i) => at(
                tag_input(&offered[i].slug),
                lang.t("profile-tags-heading"),
                99,
            ),
            None => first_field(),
        }
    };
    if path == "bio" {
        return first_field();
    }
    if let Some((label, order)) = match path {
        "goals" if kind == ProfileKind::Mentee => Some(("profile-field-goals", 1)),
        "capacity" if kind == ProfileKind::Mentor => Some(("profile-field-capacity", 2)),
        "accepting" if kind == ProfileKind::Mentor => Some(("profile-field-accepting", 3)),
        "max_circles" if kind == ProfileKind::Facilitator => Some(("profile-field-max-circles", 2)),
        "consents.sensitive_tags" => Some(("profile-consent-label-short", 5000)),
        "timezone" => Some(("profile-field-timezone", 5200)),
        "region" => Some(("profile-field-region", 5500)),
        _ => None,
    } {
        let input = match path {
            "consents.sensitive_tags" => "consent_sensitive",
            other => other,
        };
        return at(input.into(), lang.t(label), order);
    }
    if path == "tags" || path == "private_tags" {
        return tag_at(None);
    }
    if let Some((i, _)) = indexed(path, "tags") {
        return tag_at(sent.tags.get(i));
    }
    if let Some((i, _)) = indexed(path, "private_tags") {
        return tag_at(sent.private_tags.get(i));
    }
    let languages_label = || lang.t("profile-languages-legend");
    if path == "languages" {
        return at(lang_input(LANGUAGES[0].code), languages_label(), 5100);
    }
    if let Some((i, _)) = indexed(path, "languages") {
        return match sent.languages.get(i) {
            Some(Some(code)) if choices::language(code).is_some() => {
                let pos = LANGUAGES.iter().position(|l| l.code == code).unwrap_or(0);
                let name = choices::language(code)
                    .map(|l| choices::language_name(lang, l))
                    .unwrap_or_default();
                at(lang_input(code), name, 5100 + pos)
            }
            _ => at(
                "languages_other".into(),
                lang.t("profile-field-languages-other"),
                5190,
            ),
        };
    }
    if path == "availability" {
        return at(
            draft::window_input(0, 0, false),
            lang.t("profile-availability-heading"),
            5300,
        );
    }
    if let Some((i, rest)) = indexed(path, "availability") {
        if let Some(&(day, row)) = sent.windows.get(i) {
            let end = rest == ".end";
            let day_name = lang.t(&format!("profile-day-{}", DAYS[day]));
            let label = lang
                .text(
                    "profile-window-label",
                    &[
                        ("name", day_name.into()),
                        ("number", ((row + 1) as i64).into()),
                    ],
                )
                .unwrap_or_default();
            let order = 5301 + day * 10 + row * 2 + usize::from(end);
            return at(draft::window_input(day, row, end), label, order);
        }
    }
    if path == "meeting_modes" {
        return at(mode_input(MODES[0]), lang.t("profile-modes-legend"), 5400);
    }
    if let Some((i, _)) = indexed(path, "meeting_modes") {
        let mode = sent.modes.get(i).filter(|m| draft::is_mode(m));
        let (input, pos) = match mode {
            Some(m) => (m.as_str(), MODES.iter().position(|x| x == m).unwrap_or(0)),
            None => (MODES[0], 0),
        };
        return at(
            mode_input(input),
            lang.t("profile-modes-legend"),
            5400 + pos,
        );
    }
    first_field()
}
