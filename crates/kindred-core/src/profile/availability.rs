//! Weekly availability windows: the client form and the validated form.

use chrono::Weekday;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::AVAILABILITY_STEP_MIN;
use crate::errors::FieldErrors;
use crate::time::{format_hhmm, parse_hhmm, parse_weekday, weekday_str, MINUTES_PER_DAY};

/// One weekly availability window as sent by clients, e.g. `{"day": "mon", "start": "18:00", "end": "20:30"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AvailabilityWindowInput {
    /// `mon`..`sun`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, example = "mon"))]
    pub day: String,
    /// `HH:MM`, 24-hour, minutes a multiple of 15.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, example = "18:00"))]
    pub start: String,
    /// `HH:MM`, after `start`; `24:00` allowed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, example = "20:30"))]
    pub end: String,
}

/// A validated weekly window: minutes after local midnight in the profile's time zone.
/// Serializes back to the contract's `{"day", "start", "end"}` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvailabilityWindow {
    /// Day of the week.
    pub day: Weekday,
    /// Start, minutes after midnight (`0..1440`).
    pub start_min: u16,
    /// End, minutes after midnight (`start_min < end_min <= 1440`).
    pub end_min: u16,
}

impl AvailabilityWindow {
    /// Validates a client window, reporting each bad part under `{path}.day|start|end`.
    pub fn parse(
        input: &AvailabilityWindowInput,
        path: &str,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        let day = parse_weekday(&input.day).map_err(|m| errors.add(format!("{path}.day"), m));
        let time = |raw: &str, field: &str, errors: &mut FieldErrors| {
            let r = parse_hhmm(raw).and_then(|m| {
                if m % AVAILABILITY_STEP_MIN == 0 {
                    Ok(m)
                } else {
                    Err(format!(
                        "minutes must be a multiple of {AVAILABILITY_STEP_MIN}"
                    ))
                }
            });
            r.map_err(|m| errors.add(format!("{path}.{field}"), m)).ok()
        };
        let start = time(&input.start, "start", errors);
        let end = time(&input.end, "end", errors);
        let start = match start {
            Some(MINUTES_PER_DAY) => {
                errors.add(format!("{path}.start"), "must be before 24:00");
                None
            }
            s => s,
        };
        let (start_min, end_min) = (start?, end?);
        if start_min >= end_min {
            errors.add(format!("{path}.end"), "must be after start");
            return None;
        }
        Some(AvailabilityWindow {
            day: day.ok()?,
            start_min,
            end_min,
        })
    }

    /// Whether two windows share any time (touching ends do not count).
    pub fn overlaps(&self, other: &AvailabilityWindow) -> bool {
        self.day == other.day && self.start_min < other.end_min && other.start_min < self.end_min
    }

    fn to_input(self) -> AvailabilityWindowInput {
        AvailabilityWindowInput {
            day: weekday_str(self.day).to_owned(),
            start: format_hhmm(self.start_min),
            end: format_hhmm(self.end_min),
        }
    }
}

impl Serialize for AvailabilityWindow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_input().serialize(s)
    }
}

impl<'de> Deserialize<'de> for AvailabilityWindow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let input = AvailabilityWindowInput::deserialize(d)?;
        let mut errors = FieldErrors::new();
        AvailabilityWindow::parse(&input, "availability", &mut errors)
            .ok_or_else(|| serde::de::Error::custom(errors))
    }
}
