//! What the profile form holds: read from a stored profile or from a
//! posted form, and turned into the API's `ProfileInput` together with
//! where each item of its lists came from (so that `tags[2]` or
//! `availability[0].end` can be shown beside the right input).

use std::collections::HashMap;

use kindred_core::{Consents, ProfileInput, ProfileKind};
use kindred_service::profiles::ProfileView;

use super::choices::{self, DAYS, MODES, ROWS_PER_DAY};

/// The profile form's values, as typed (or as stored).
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: ProfileKind,
    /// The tags ticked "I share this", in the order seen.
    pub tags: Vec<String>,
    /// The public/private choice per tag (true = private), for every tag
    /// the form posted a choice for (ticked or not).
    pub private: HashMap<String, bool>,
    pub consent: bool,
    /// The ticked languages of the list.
    pub languages: Vec<String>,
    /// Other language tags, as typed (comma separated).
    pub languages_other: String,
    pub timezone: String,
    /// Per weekday (`DAYS` order), the (start, end) rows as shown: a
    /// window ending at midnight shows its end as `00:00`.
    pub availability: [Vec<(String, String)>; 7],
    pub modes: Vec<String>,
    pub region: String,
    pub goals: String,
    pub bio: String,
    pub capacity: String,
    pub accepting: bool,
    /// A facilitator's circle limit, as typed.
    pub max_circles: String,
}

/// Where the items of the input's lists came from.
#[derive(Debug, Default)]
pub struct Sent {
    pub tags: Vec<String>,
    pub private_tags: Vec<String>,
    /// `Some(code)` for a ticked language, `None` for one typed in "other".
    pub languages: Vec<Option<String>>,
    /// (weekday index, row) of each window.
    pub windows: Vec<(usize, usize)>,
    pub modes: Vec<String>,
}

impl Draft {
    /// An empty form: nothing chosen, mentors accepting by default.
    pub fn empty(kind: ProfileKind) -> Draft {
        Draft {
            kind,
            tags: Vec::new(),
            private: HashMap::new(),
            consent: false,
            languages: Vec::new(),
            languages_other: String::new(),
            timezone: String::new(),
            availability: Default::default(),
            modes: Vec::new(),
            region: String::new(),
            goals: String::new(),
            bio: String::new(),
            capacity: String::new(),
            accepting: true,
            max_circles: String::new(),
        }
    }

    /// The form of a stored profile.
    pub fn from_view(kind: ProfileKind, view: &ProfileView) -> Draft {
        let p = &view.profile;
        let mut draft = Draft::empty(kind);
        for slug in &p.tags {
            draft.tags.push(slug.clone());
            draft.private.insert(slug.clone(), false);
        }
        for slug in &p.private_tags {
            draft.tags.push(slug.clone());
            draft.private.insert(slug.clone(), true);
        }
        draft.consent = p.consents.sensitive_tags;
        let mut other = Vec::new();
        for code in &p.languages {
            if choices::language(code).is_some() {
                draft.languages.push(code.clone());
            } else {
                other.push(code.as_str());
            }
        }
        draft.languages_other = other.join(", ");
        draft.timezone = p.timezone.name().to_string();
        for w in &p.availability {
            let day = w.day.num_days_from_monday() as usize;
            let end = if w.end_min >= 24 * 60 {
                "00:00".to_string()
            } else {
                kindred_core::format_hhmm(w.end_min)
            };
            if let Some(rows) = draft.availability.get_mut(day) {
                rows.push((kindred_core::format_hhmm(w.start_min), end));
            }
        }
        draft.modes = p.meeting_modes.iter().map(|m| m.as_str().into()).collect();
        draft.region = p.region.clone().unwrap_or_default();
        draft.goals = p.goals.clone().unwrap_or_default();
        draft.bio = p.bio.clone();
        draft.capacity = p.capacity.map(|c| c.to_string()).unwrap_or_default();
        draft.accepting = p.accepting.unwrap_or(true);
        draft.max_circles = p.max_circles.map(|c| c.to_string()).unwrap_or_default();
        draft
    }

    /// The form as posted (`tag`, `vis-<slug>`, `lang`, `avail-<day>-<n>-start`, …).
    pub fn from_form(kind: ProfileKind, pairs: &[(String, String)]) -> Draft {
        let mut draft = Draft::empty(kind);
        draft.accepting = false;
        let mut rows: [[(String, String); ROWS_PER_DAY]; 7] = Default::default();
        for (name, value) in pairs {
            match name.as_str() {
                "tag" if !draft.tags.contains(value) => draft.tags.push(value.clone()),
                "consent_sensitive" => draft.consent = true,
                "lang" if !draft.languages.contains(value) => draft.languages.push(value.clone()),
                "languages_other" => draft.languages_other.clone_from(value),
                "timezone" => draft.timezone = value.trim().to_string(),
                "mode" if !draft.modes.contains(value) => draft.modes.push(value.clone()),
                "region" => draft.region.clone_from(value),
                "goals" => draft.goals.clone_from(value),
                "bio" => draft.bio.clone_from(value),
                "capacity" => draft.capacity = value.trim().to_string(),
                "accepting" => draft.accepting = true,
                "max_circles" => draft.max_circles = value.trim().to_string(),
                _ => {
                    if let Some(slug) = name.strip_prefix("vis-") {
                        draft
                            .private
                            .insert(slug.to_string(), value.as_str() != "public");
                    } else if let Some((day, row, end)) = window_field(name) {
                        let cell = &mut rows[day][row];
                        let slot = if end { &mut cell.1 } else { &mut cell.0 };
                        *slot = value.trim().to_string();
                    }
                }
            }
        }
        for (day, day_rows) in rows.into_iter().enumerate() {
            draft.availability[day] = day_rows
                .into_iter()
                .filter(|(s, e)| !s.is_empty() || !e.is_empty())
                .collect();
        }
        draft
    }

    /// The API's body for this form, and where its list items came from.
    /// A tag without a public/private choice is private.
    pub fn to_input(&self) -> (ProfileInput, Sent) {
        let mut sent = Sent::default();
        for slug in &self.tags {
            if self.private.get(slug).copied().unwrap_or(true) {
                sent.private_tags.push(slug.clone());
            } else {
                sent.tags.push(slug.clone());
            }
        }
        let mut languages = Vec::new();
        for code in &self.languages {
            languages.push(code.clone());
            sent.languages.push(Some(code.clone()));
        }
        for code in self
            .languages_other
            .split([',', ';', ' ', '\n', '\r', '\t'])
            .filter(|c| !c.is_empty())
        {
            languages.push(code.to_string());
            sent.languages.push(None);
        }
        let mut availability = Vec::new();
        for (day, rows) in self.availability.iter().enumerate() {
            for (row, (start, end)) in rows.iter().enumerate() {
                availability.push(kindred_core::AvailabilityWindowInput {
                    day: DAYS[day].to_string(),
                    start: time_value(start, false),
                    end: time_value(end, true),
                });
                sent.windows.push((day, row));
            }
        }
        sent.modes.clone_from(&self.modes);
        let mentor = self.kind == ProfileKind::Mentor;
        let facilitator = self.kind == ProfileKind::Facilitator;
        let input = ProfileInput {
            bio: self.bio.clone(),
            tags: sent.tags.clone(),
            private_tags: sent.private_tags.clone(),
            languages,
            timezone: self.timezone.clone(),
            availability,
            meeting_modes: self.modes.clone(),
            region: Some(self.region.clone()),
            goals: (self.kind == ProfileKind::Mentee).then(|| self.goals.clone()),
            // Not a number: 0, so the service's "between 1 and 20" is shown.
            capacity: (mentor && !self.capacity.is_empty())
                .then(|| self.capacity.parse().unwrap_or(0)),
            accepting: mentor.then_some(self.accepting),
            // Not a number: 0, so the service's "between 1 and 5" is shown.
            max_circles: (facilitator && !self.max_circles.is_empty())
                .then(|| self.max_circles.parse().unwrap_or(0)),
            consents: Some(Consents {
                sensitive_tags: self.consent,
            }),
            pronouns: None,
        };
        (input, sent)
    }
}

/// `avail-<day>-<row>-start|end` → (weekday index, row, is the end).
pub fn window_field(name: &str) -> Option<(usize, usize, bool)> {
    let rest = name.strip_prefix("avail-")?;
    let (day, rest) = rest.split_once('-')?;
    let (row, which) = rest.split_once('-')?;
    let day = DAYS.iter().position(|d| *d == day)?;
    let row: usize = row.parse().ok().filter(|r| *r < ROWS_PER_DAY)?;
    match which {
        "start" => Some((day, row, false)),
        "end" => Some((day, row, true)),
        _ => None,
    }
}

/// The id (and name) of a time input.
pub fn window_input(day: usize, row: usize, end: bool) -> String {
    let which = if end { "end" } else { "start" };
    format!("avail-{}-{row}-{which}", DAYS[day])
}

/// A time as `<input type="time">` sends it, in the API's `HH:MM`: seconds
/// (`18:00:00`) dropped, and an end at `00:00` meaning midnight (`24:00`),
/// which a time input cannot hold.
fn time_value(raw: &str, end: bool) -> String {
    let hhmm = match raw.strip_suffix(":00") {
        Some(short) if raw.len() == 8 => short,
        _ => raw,
    };
    if end && hhmm == "00:00" {
        "24:00".to_string()
    } else {
        hhmm.to_string()
    }
}

/// Whether `mode` is one the form offers.
pub fn is_mode(mode: &str) -> bool {
    MODES.contains(&mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_posted_form_becomes_the_api_body() {
        let form = pairs(&[
            ("csrf", "x"),
            ("tag", "bisexual"),
            ("vis-bisexual", "private"),
            ("tag", "job-search"),
            ("vis-job-search", "public"),
            ("vis-racism", "public"),
            ("tag", "no-choice"),
            ("consent_sensitive", "yes"),
            ("lang", "en"),
            ("languages_other", "eu, es-MX"),
            ("timezone", " Europe/Madrid "),
            ("avail-mon-0-start", "18:00"),
            ("avail-mon-0-end", "00:00"),
            ("avail-mon-1-start", ""),
            ("avail-mon-1-end", ""),
            ("avail-wed-2-start", "09:00:00"),
            ("avail-wed-2-end", ""),
            ("avail-sun-9-start", "10:00"),
            ("mode", "online"),
            ("capacity", "three"),
            ("goals", "ignored for mentors"),
        ]);
        let (input, sent) = Draft::from_form(ProfileKind::Mentor, &form).to_input();
        assert_eq!(input.tags, ["job-search"]);
        assert_eq!(input.private_tags, ["bisexual", "no-choice"]);
        assert_eq!(input.consents.map(|c| c.sensitive_tags), Some(true));
        assert_eq!(input.languages, ["en", "eu", "es-MX"]);
        assert_eq!(sent.languages, [Some("en".to_string()), None, None]);
        assert_eq!(input.timezone, "Europe/Madrid");
        let windows: Vec<_> = input
            .availability
            .iter()
            .map(|w| (w.day.as_str(), w.start.as_str(), w.end.as_str()))
            .collect();
        assert_eq!(windows, [("mon", "18:00", "24:00"), ("wed", "09:00", "")]);
        assert_eq!(sent.windows, [(0, 0), (2, 0)]);
        assert_eq!(input.capacity, Some(0));
        assert_eq!(input.accepting, Some(false));
        assert_eq!(input.goals, None);
    }

    #[test]
    fn window_fields_are_read_only_within_bounds() {
        assert_eq!(window_field("avail-tue-3-end"), Some((1, 3, true)));
        assert_eq!(window_field("avail-tue-4-end"), None);
        assert_eq!(window_field("avail-xyz-0-end"), None);
        assert_eq!(window_field("avail-mon-0-middle"), None);
        assert_eq!(window_input(6, 1, false), "avail-sun-1-start");
    }
}
