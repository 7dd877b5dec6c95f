//! The signed-in home's summary: the open request and the matches that are
//! waiting or active, in words, with links (`matches::mine::overview`).

use kindred_core::Role;
use kindred_service::accounts;
use kindred_service::matches::mine;

use super::view::{self, MatchItem};
use crate::context::{Ctx, Session};
use crate::error::WebResult;

/// The values of `home.html` for the signed-in person.
pub async fn values(ctx: &Ctx, session: &Session) -> WebResult<minijinja::Value> {
    let caller = session.caller.clone();
    let (overview, consent_waiting) = ctx
        .state
        .call(move |conn, settings| {
            let overview = mine::overview(conn, settings, &caller)?;
            // Imported tags waiting for consent: a reminder linking to it.
            let waiting = crate::pages::invitation::waiting(conn, &caller)?;
            Ok((overview, !waiting.is_empty()))
        })
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let me = accounts::me(&session.caller);
    let items: Vec<MatchItem> = overview
        .current
        .iter()
        .map(|m| view::item(m, view::role_in(m, &me.id)))
        .collect();
    let (active, awaiting): (Vec<_>, Vec<_>) = items.into_iter().partition(|m| m.active);
    let (to_answer, waiting): (Vec<_>, Vec<_>) = awaiting.into_iter().partition(|m| m.can_answer);
    let request = overview.request.map(|r| {
        minijinja::context! {
            state => r.state,
            since => r.created_at.format("%Y-%m-%d").to_string(),
            days => r.waiting_seconds.unwrap_or(0) / 86_400,
        }
    });
    Ok(minijinja::context! {
        name => me.display_name,
        pronouns => me.pronouns.unwrap_or_default(),
        roles => me.roles,
        is_mentee => session.caller.has_role(Role::Mentee),
        is_mentor => session.caller.has_role(Role::Mentor),
        request => request,
        to_answer => to_answer,
        waiting => waiting,
        active => active,
        consent_waiting => consent_waiting,
    })
}

#[cfg(test)]
pub fn sample() -> minijinja::Value {
    minijinja::context! {
        name => "Ana <script>", pronouns => "she/her",
        roles => vec!["mentee", "mentor", "coordinator"],
        is_mentee => true, is_mentor => true,
        request => minijinja::context! { state => "open", since => "2026-11-01", days => 3 },
        to_answer => vec![super::sample_item("awaiting_mentor", "mentor")],
        waiting => vec![super::sample_item("awaiting_mentor", "mentee")],
        active => vec![super::sample_item("active", "mentee")],
        consent_waiting => true,
    }
}
