//! A circle's weekly slot (stored in UTC) as the viewer reads it: the next
//! meeting in their own time zone (their profile's), with its weekday and
//! times there.

use chrono::{DateTime, Datelike, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use kindred_service::circles::SlotView;
use serde::Serialize;

use crate::i18n::Lang;

/// The slot in one time zone.
#[derive(Debug, Serialize, Clone)]
pub struct LocalSlot {
    /// The weekday in words (in the zone).
    pub day: String,
    pub start: String,
    pub end: String,
    pub zone: String,
    /// The next meeting's date in the zone, `YYYY-MM-DD`.
    pub next: String,
    /// The slot as stored (UTC), for coordinators.
    pub utc: String,
}

/// The next start of the weekly UTC slot after `now`.
fn next_start(slot: &SlotView, now: DateTime<Utc>) -> Option<NaiveDateTime> {
    let day = kindred_core::parse_weekday(&slot.day).ok()?;
    let start = i64::from(kindred_core::parse_hhmm(&slot.start).ok()?);
    Some(kindred_core::next_weekly(day, start, now.naive_utc()))
}

fn minutes(s: &str) -> i64 {
    kindred_core::parse_hhmm(s).map_or(0, i64::from)
}

/// `slot` read in `zone` (UTC when the viewer has no profile), the next
/// meeting after `now`.
pub fn local(lang: Lang, slot: &SlotView, zone: Option<Tz>, now: DateTime<Utc>) -> LocalSlot {
    let day_word = |d: chrono::Weekday| {
        let key =
            ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][d.num_days_from_monday() as usize];
        lang.t(&format!("profile-day-{key}"))
    };
    let utc = format!(
        "{} {}–{} UTC",
        kindred_core::parse_weekday(&slot.day)
            .map(day_word)
            .unwrap_or_else(|_| slot.day.clone()),
        slot.start,
        slot.end
    );
    let zone = zone.unwrap_or(Tz::UTC);
    let Some(at) = next_start(slot, now) else {
        return LocalSlot {
            day: slot.day.clone(),
            start: slot.start.clone(),
            end: slot.end.clone(),
            zone: "UTC".into(),
            next: String::new(),
            utc,
        };
    };
    let mut length = minutes(&slot.end) - minutes(&slot.start);
    if length <= 0 {
        length += 1440;
    }
    let begins = zone.from_utc_datetime(&at);
    let ends = zone.from_utc_datetime(&(at + TimeDelta::minutes(length)));
    LocalSlot {
        day: day_word(begins.weekday()),
        start: begins.format("%H:%M").to_string(),
        end: ends.format("%H:%M").to_string(),
        zone: zone.name().to_string(),
        next: begins.format("%Y-%m-%d").to_string(),
        utc,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slot_is_the_next_meeting_in_the_viewers_zone() {
        let slot = SlotView {
            day: "mon".into(),
            start: "17:00".into(),
            end: "18:30".into(),
        };
        // Wednesday 2026-12-02 12:00 UTC: the next Monday is 2026-12-07.
        let now = Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).unwrap();
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        let s = local(Lang::En, &slot, Some(madrid), now);
        assert_eq!((s.start.as_str(), s.end.as_str()), ("18:00", "19:30"));
        assert_eq!(s.day, "Monday");
        assert_eq!(s.next, "2026-12-07");
        assert_eq!(s.zone, "Europe/Madrid");
        // Across midnight the weekday changes with the zone.
        let late = SlotView {
            day: "mon".into(),
            start: "23:30".into(),
            end: "01:00".into(),
        };
        let s = local(Lang::En, &late, Some(madrid), now);
        assert_eq!((s.day.as_str(), s.start.as_str()), ("Tuesday", "00:30"));
        assert_eq!(s.next, "2026-12-08");
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let s = local(Lang::Es, &slot, Some(tokyo), now);
        assert_eq!((s.start.as_str(), s.end.as_str()), ("02:00", "03:30"));
        assert_eq!(s.next, "2026-12-08");
        // No zone: UTC, and later the same day when it has not begun.
        let monday = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        let s = local(Lang::En, &slot, None, monday);
        assert_eq!((s.next.as_str(), s.zone.as_str()), ("2026-12-07", "UTC"));
    }
}
