//! Formatting for the reader's language: durations, dates, lists and the
//! sentences of a match explanation, all from the emails' messages.

use chrono::{Datelike, NaiveDateTime, Weekday};
use fluent_bundle::FluentValue;

use super::{catalog, one_line};
use crate::text::Lang;

/// A message for code paths that must produce text: a missing one (a bug
/// the tests catch) shows its id.
fn msg(lang: Lang, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    catalog().text(lang, id, args).unwrap_or_else(|err| {
        tracing::error!(error = %err, "missing email message");
        id.to_string()
    })
}

/// "1 hour", "30 minutes", "14 days": the largest whole unit.
pub fn duration(lang: Lang, secs: u64) -> String {
    let (n, id) = if secs >= 86_400 && secs.is_multiple_of(86_400) {
        (secs / 86_400, "duration-days")
    } else if secs >= 3_600 && secs.is_multiple_of(3_600) {
        (secs / 3_600, "duration-hours")
    } else if secs >= 60 {
        (secs / 60, "duration-minutes")
    } else {
        (secs, "duration-seconds")
    };
    msg(lang, id, &[("count", FluentValue::from(n))])
}

fn weekday_id(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "weekday-mon",
        Weekday::Tue => "weekday-tue",
        Weekday::Wed => "weekday-wed",
        Weekday::Thu => "weekday-thu",
        Weekday::Fri => "weekday-fri",
        Weekday::Sat => "weekday-sat",
        Weekday::Sun => "weekday-sun",
    }
}

pub(super) fn date(lang: Lang, id: &str, at: NaiveDateTime, zone: &str) -> String {
    let weekday = weekday_id(at.weekday());
    let month = format!("month-{}", at.month());
    msg(
        lang,
        id,
        &[
            ("weekday", FluentValue::from(msg(lang, weekday, &[]))),
            ("day", FluentValue::from(at.day().to_string())),
            ("month", FluentValue::from(msg(lang, &month, &[]))),
            ("year", FluentValue::from(at.year().to_string())),
            ("time", FluentValue::from(at.format("%H:%M").to_string())),
            ("zone", FluentValue::from(zone.to_string())),
        ],
    )
}

/// "every Monday, 18:00–19:30 (CET)": the weekday and time of `start`, for
/// `minutes`, every `weeks` weeks (0 counts as 1).
pub fn weekly(lang: Lang, start: NaiveDateTime, minutes: u32, weeks: u32, zone: &str) -> String {
    let end = start + chrono::Duration::minutes(i64::from(minutes));
    msg(
        lang,
        "weekly-slot",
        &[
            ("weeks", FluentValue::from(weeks.max(1))),
            (
                "weekday",
                FluentValue::from(msg(lang, weekday_id(start.weekday()), &[])),
            ),
            (
                "start",
                FluentValue::from(start.format("%H:%M").to_string()),
            ),
            ("end", FluentValue::from(end.format("%H:%M").to_string())),
            ("zone", FluentValue::from(zone.to_string())),
        ],
    )
}

/// "a", "a and b", "a, b and c" (blank items left out, each on one line).
pub fn human_list(lang: Lang, items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|s| one_line(s))
        .filter(|s| !s.is_empty())
        .collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let id = if starts_with_i_sound(last) {
                "list-and-before-i"
            } else {
                "list-and"
            };
            msg(
                lang,
                id,
                &[
                    ("init", FluentValue::from(init.join(", "))),
                    ("last", FluentValue::from(last.clone())),
                ],
            )
        }
    }
}

/// Whether a word starts with an "i" sound as Spanish spells it: `i`, `í`,
/// or `hi` not followed by a vowel ("hielo" starts with "ye").
fn starts_with_i_sound(word: &str) -> bool {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some('i' | 'í') => true,
        Some('h') => {
            matches!(chars.next(), Some('i' | 'í'))
                && !matches!(
                    chars.next(),
                    Some('a' | 'e' | 'o' | 'u' | 'á' | 'é' | 'ó' | 'ú')
                )
        }
        _ => false,
    }
}

/// One public component of a match explanation as a sentence in `lang`.
/// The component's English `detail` gives the numbers; a component this
/// does not know, or a detail whose numbers cannot be read, is shown as
/// its `detail`.
pub fn reason_sentence(lang: Lang, name: &str, detail: &str, tag_labels: &[String]) -> String {
    let numbers: Vec<u64> = detail
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    let hm = |id: &str| match numbers.as_slice() {
        [h, m] => msg(
            lang,
            id,
            &[
                ("hours", FluentValue::from(h.to_string())),
                ("minutes", FluentValue::from(format!("{m:02}"))),
            ],
        ),
        _ => detail.to_string(),
    };
    let one = |id: &str, arg: &str| match numbers.as_slice() {
        [n] => msg(lang, id, &[(arg, FluentValue::from(n.to_string()))]),
        _ => detail.to_string(),
    };
    match name {
        "base" => msg(lang, "why-base", &[]),
        "shared_experience" if tag_labels.is_empty() => msg(lang, "why-no-shared", &[]),
        "shared_experience" => msg(
            lang,
            "why-shared",
            &[("tags", FluentValue::from(human_list(lang, tag_labels)))],
        ),
        "availability_overlap" => hm("why-overlap"),
        "timezone" if numbers.is_empty() => msg(lang, "why-same-offset", &[]),
        "timezone" => hm("why-timezones"),
        "waiting" => one("why-waiting", "days"),
        "load" => one("why-load", "number"),
        _ => detail.to_string(),
    }
}
