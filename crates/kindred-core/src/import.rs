//! The coordinators' CSV format (`POST /admin/imports`, the participants
//! export): its columns, the header check, and one row turned into the same
//! inputs the profile routes take, so a row is validated by exactly the
//! profile rules ([`crate::validate_profile`]). No CSV parsing here (the
//! service reads the file with the `csv` crate); cells arrive as strings.
//!
//! Lists are `;`-separated (`en; es`), availability is
//! `mon 18:00-20:30; wed 19:00-21:00`, an empty cell is an empty value.
//! A column that is absent from the file leaves that field as it is on an
//! existing profile; a present column replaces it, even when its cell is
//! empty.

use crate::accounts::{DisplayName, Email, Pronouns};
use crate::errors::FieldErrors;
use crate::profile::{AvailabilityWindow, AvailabilityWindowInput, ProfileInput, ProfileKind};
use crate::time::weekday_str;

/// One column of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Email,
    DisplayName,
    Role,
    Pronouns,
    Languages,
    Timezone,
    Tags,
    PrivateTags,
    MeetingModes,
    Region,
    Availability,
    Capacity,
    Goals,
    Bio,
}

impl Column {
    /// Every column, in the order the export writes them.
    pub const ALL: [Column; 14] = [
        Column::Email,
        Column::DisplayName,
        Column::Role,
        Column::Pronouns,
        Column::Languages,
        Column::Timezone,
        Column::Tags,
        Column::PrivateTags,
        Column::MeetingModes,
        Column::Region,
        Column::Availability,
        Column::Capacity,
        Column::Goals,
        Column::Bio,
    ];

    /// The header name.
    pub fn name(self) -> &'static str {
        match self {
            Column::Email => "email",
            Column::DisplayName => "display_name",
            Column::Role => "role",
            Column::Pronouns => "pronouns",
            Column::Languages => "languages",
            Column::Timezone => "timezone",
            Column::Tags => "tags",
            Column::PrivateTags => "private_tags",
            Column::MeetingModes => "meeting_modes",
            Column::Region => "region",
            Column::Availability => "availability",
            Column::Capacity => "capacity",
            Column::Goals => "goals",
            Column::Bio => "bio",
        }
    }

    fn from_name(name: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.name() == name)
    }

    fn index(self) -> usize {
        Column::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }
}

/// Where each known column sits in a file's records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    positions: [Option<usize>; 14],
}

/// Longest header name quoted back in an error.
const NAME_IN_ERROR: usize = 40;

fn quoted(name: &str) -> String {
    let short: String = name.chars().take(NAME_IN_ERROR).collect();
    format!("{short:?}")
}

impl Header {
    /// Checks a header row: names are matched after trimming, case-sensitively;
    /// every name must be a known column, none twice, and `email` must be
    /// there. Errors are under `header` (per-file `422`).
    pub fn parse<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Header, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut positions = [None; 14];
        let mut unknown = Vec::new();
        for (i, raw) in names.into_iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}');
            match Column::from_name(name) {
                Some(c) if positions[c.index()].is_some() => {
                    e.add("header", format!("column {} appears twice", c.name()));
                }
                Some(c) => positions[c.index()] = Some(i),
                None => unknown.push(quoted(name)),
            }
        }
        if !unknown.is_empty() {
            let known: Vec<&str> = Column::ALL.iter().map(|c| c.name()).collect();
            e.add(
                "header",
                format!(
                    "unknown column(s) {}; the columns are: {}",
                    unknown.join(", "),
                    known.join(", ")
                ),
            );
        }
        if positions[Column::Email.index()].is_none() {
            e.add("header", "the email column is required");
        }
        e.into_result(Header { positions })
    }

    /// Whether the file has this column.
    pub fn has(&self, c: Column) -> bool {
        self.positions[c.index()].is_some()
    }

    /// The cell of column `c` in `record`, when the file has the column.
    pub fn cell<'r>(&self, record: &'r [&'r str], c: Column) -> Option<&'r str> {
        self.positions[c.index()].map(|i| record.get(i).copied().unwrap_or(""))
    }
}

/// One data row, read but not yet checked against the database.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub email: Email,
    pub role: ProfileKind,
    /// `None` when the column is absent or the cell empty.
    pub display_name: Option<DisplayName>,
    /// Outer `None` when the column is absent; `Some(None)` clears.
    pub pronouns: Option<Option<Pronouns>>,
}

/// Reads the account part of a row (`email`, `role`, `display_name`,
/// `pronouns`), reporting each bad cell under its column.
pub fn read_record(header: &Header, record: &[&str]) -> Result<ImportRecord, FieldErrors> {
    let mut e = FieldErrors::new();
    let email = Email::parse(header.cell(record, Column::Email).unwrap_or(""))
        .map_err(|m| e.add("email", m))
        .ok();
    let role = match header.cell(record, Column::Role).map(str::trim) {
        None | Some("") => {
            e.add("role", "is required (mentee or mentor)");
            None
        }
        Some(raw) => raw
            .parse::<ProfileKind>()
            .map_err(|m| e.add("role", m))
            .ok(),
    };
    let display_name = match header.cell(record, Column::DisplayName) {
        Some(raw) if !raw.trim().is_empty() => DisplayName::parse(raw)
            .map(Some)
            .map_err(|m| e.add("display_name", m))
            .unwrap_or(None),
        _ => None,
    };
    let pronouns = header.cell(record, Column::Pronouns).map(|raw| {
        Pronouns::parse_optional(raw)
            .map_err(|m| e.add("pronouns", m))
            .unwrap_or(None)
    });
    match (email, role) {
        (Some(email), Some(role)) if e.is_empty() => Ok(ImportRecord {
            email,
            role,
            display_name,
            pronouns,
        }),
        _ => Err(e),
    }
}

/// `a; b;c` → `["a", "b", "c"]` (blank items dropped).
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// `mon 18:00-20:30; wed 19:00-21:00` → windows as the profile routes take
/// them; the times are checked by the profile rules. An item that is not
/// `day HH:MM-HH:MM` is reported under `availability`.
fn split_availability(raw: &str, e: &mut FieldErrors) -> Vec<AvailabilityWindowInput> {
    let mut out = Vec::new();
    for (i, item) in split_list(raw).iter().enumerate() {
        let parsed = item
            .split_once(char::is_whitespace)
            .and_then(|(day, span)| {
                let (start, end) = span.trim().split_once('-')?;
                Some(AvailabilityWindowInput {
                    day: day.trim().to_ascii_lowercase(),
                    start: start.trim().to_string(),
                    end: end.trim().to_string(),
                })
            });
        match parsed {
            Some(w) => out.push(w),
            None => e.add(
                "availability",
                format!(
                    "item {}: expected `day HH:MM-HH:MM`, e.g. mon 18:00-20:30",
                    i + 1
                ),
            ),
        }
    }
    out
}

/// `availability` written back in the file's format.
pub fn format_availability(windows: &[AvailabilityWindow]) -> String {
    windows
        .iter()
        .map(|w| {
            format!(
                "{} {}-{}",
                weekday_str(w.day),
                crate::time::format_hhmm(w.start_min),
                crate::time::format_hhmm(w.end_min)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The profile body a row asks for: `base` (the existing profile as an
/// input, or empty) with every column the file has replaced by its cell.
/// Cells that cannot even be read (a capacity that is not a number, a
/// malformed availability item) are reported under their column.
pub fn profile_input(
    header: &Header,
    record: &[&str],
    mut base: ProfileInput,
) -> Result<ProfileInput, FieldErrors> {
    let mut e = FieldErrors::new();
    let cell = |c: Column| header.cell(record, c);
    if let Some(v) = cell(Column::Bio) {
        base.bio = v.to_string();
    }
    if let Some(v) = cell(Column::Tags) {
        base.tags = split_list(v);
    }
    if let Some(v) = cell(Column::PrivateTags) {
        base.private_tags = split_list(v);
    }
    if let Some(v) = cell(Column::Languages) {
        base.languages = split_list(v);
    }
    if let Some(v) = cell(Column::Timezone) {
        base.timezone = v.trim().to_string();
    }
    if let Some(v) = cell(Column::MeetingModes) {
        base.meeting_modes = split_list(v);
    }
    if let Some(v) = cell(Column::Availability) {
        base.availability = split_availability(v, &mut e);
    }
    if let Some(v) = cell(Column::Region) {
        base.region = Some(v.to_string());
    }
    if let Some(v) = cell(Column::Goals) {
        base.goals = (!v.trim().is_empty()).then(|| v.to_string());
    }
    if let Some(v) = cell(Column::Capacity) {
        base.capacity = match v.trim() {
            "" => None,
            n => n
                .parse::<i64>()
                .map_err(|_| e.add("capacity", "must be a whole number"))
                .ok(),
        };
    }
    // Pronouns are the account's, read by `read_record`.
    base.pronouns = None;
    e.into_result(base)
}

/// Re-keys the profile rules' errors by column: `tags[2]` becomes column
/// `tags` with the message `item 3: …`, `availability[0].start` becomes
/// `availability` with `item 1 start: …`.
pub fn errors_by_column(errors: FieldErrors) -> FieldErrors {
    let mut out = FieldErrors::new();
    for (path, messages) in errors.iter() {
        let (column, detail) = match path.split_once('[') {
            Some((column, rest)) => {
                let (index, tail) = rest.split_once(']').unwrap_or((rest, ""));
                let item = index.parse::<usize>().map_or(0, |i| i + 1);
                let tail = tail.trim_start_matches('.');
                let detail = if tail.is_empty() {
                    format!("item {item}: ")
                } else {
                    format!("item {item} {tail}: ")
                };
                (column, detail)
            }
            None => (path.split('.').next().unwrap_or(path), String::new()),
        };
        let column = match column {
            // The import stands in for the consent (tags become pending);
            // any other consent error belongs to the tags.
            "consents" => "tags",
            other => other,
        };
        for m in messages {
            out.add(column, format!("{detail}{m}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Header {
        Header::parse(names.iter().copied()).unwrap()
    }

    #[test]
    fn header_rejects_unknown_duplicate_and_missing_email() {
        let e = Header::parse(["display_name", "colour", "role", "role"]).unwrap_err();
        let msgs = e.get("header").unwrap().join(" | ");
        assert!(msgs.contains("\"colour\""), "{msgs}");
        assert!(msgs.contains("role appears twice"), "{msgs}");
        assert!(msgs.contains("email column is required"), "{msgs}");
        assert!(Header::parse(["\u{feff}email", " role "]).is_ok());
    }

    #[test]
    fn a_row_becomes_the_profile_routes_input() {
        let h = header(&[
            "email",
            "role",
            "languages",
            "availability",
            "capacity",
            "tags",
        ]);
        let row = [
            "Ana@Example.org",
            "mentor",
            "en; es",
            "mon 18:00-20:30; wed 19:00-21:00",
            "3",
            "bisexual;;coming-out-at-work",
        ];
        let rec = read_record(&h, &row).unwrap();
        assert_eq!(rec.email.as_str(), "ana@example.org");
        assert_eq!(rec.role, ProfileKind::Mentor);
        assert!(
            rec.pronouns.is_none(),
            "absent column leaves pronouns alone"
        );
        let input = profile_input(&h, &row, ProfileInput::default()).unwrap();
        assert_eq!(input.languages, ["en", "es"]);
        assert_eq!(input.tags, ["bisexual", "coming-out-at-work"]);
        assert_eq!(input.capacity, Some(3));
        assert_eq!(input.availability.len(), 2);
        assert_eq!(input.availability[1].day, "wed");
        assert_eq!(input.availability[1].end, "21:00");
    }

    #[test]
    fn unreadable_cells_are_reported_by_column() {
        let h = header(&["email", "role", "capacity", "availability"]);
        let e = read_record(&h, &["not-an-email", "boss", "x", "y"]).unwrap_err();
        assert!(e.contains("email") && e.contains("role"));
        let e = profile_input(
            &h,
            &["a@b.org", "mentor", "many", "mon 18"],
            ProfileInput::default(),
        )
        .unwrap_err();
        assert_eq!(e.get("capacity").unwrap(), ["must be a whole number"]);
        assert!(e.get("availability").unwrap()[0].starts_with("item 1:"));
    }

    #[test]
    fn rule_errors_are_keyed_by_column() {
        let mut e = FieldErrors::new();
        e.add("tags[2]", "unknown tag");
        e.add("availability[0].start", "must be HH:MM");
        e.add("timezone", "is required");
        e.add("consents.sensitive_tags", "must be true");
        let by = errors_by_column(e);
        assert!(by
            .get("tags")
            .unwrap()
            .contains(&"item 3: unknown tag".to_string()));
        assert_eq!(
            by.get("availability").unwrap(),
            ["item 1 start: must be HH:MM"]
        );
        assert_eq!(by.get("timezone").unwrap(), ["is required"]);
        assert_eq!(by.get("tags").unwrap().len(), 2);
    }

    #[test]
    fn availability_round_trips_through_the_file_format() {
        let h = header(&["email", "role", "availability"]);
        let row = ["a@b.org", "mentee", "mon 18:00-20:30; sun 09:15-24:00"];
        let input = profile_input(&h, &row, ProfileInput::default()).unwrap();
        let mut e = FieldErrors::new();
        let windows: Vec<_> = input
            .availability
            .iter()
            .filter_map(|w| AvailabilityWindow::parse(w, "availability", &mut e))
            .collect();
        assert!(e.is_empty());
        assert_eq!(format_availability(&windows), row[2]);
    }
}
