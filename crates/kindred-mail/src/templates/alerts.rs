//! The summary that replaces one-by-one coordinator alerts when they flood.

use super::*;

/// Coordinators were alerted about one `what` (e.g. "report") at once;
/// `count` more came within `window_human` and are summed up here. Only a
/// count and a link: never the text of what was reported, nor who.
/// `what_plural` is the plural noun ("reports", "check-ins asking for support").
pub fn coordinator_alert_summary(
    what_plural: &str,
    count: i64,
    window_human: &str,
    link_label: &str,
    link: &str,
    footer: &str,
) -> RenderedEmail {
    let what_plural = one_line(what_plural);
    render(
        &format!("Kindred: {count} more {what_plural} since the last alert"),
        &[
            Paragraph::text(format!(
                "{count} more {what_plural} arrived since the last alert. To keep your inbox usable they were not sent one by one: Kindred sends at most one alert of this kind every {window_human} while they keep coming."
            )),
            Paragraph::text(
                "Please review them as soon as you can; if any describes immediate danger, follow your programme's safeguarding procedure.",
            ),
            Paragraph::link(link_label, link),
        ],
        footer,
    )
}
