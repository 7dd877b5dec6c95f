//! Match and mentorship-request life cycles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Where a match is in its life cycle (contract: "States and transitions").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow), diesel(sql_type = diesel::sql_types::Text))]
pub enum MatchState {
    /// Created by a matching run or a coordinator; awaits coordinator review.
    Proposed,
    /// Approved; awaits the mentor's answer.
    AwaitingMentor,
    /// Accepted by the mentor; the pair is working together.
    Active,
    /// Turned down by a coordinator.
    Rejected,
    /// Turned down by the mentor.
    Declined,
    /// The mentor did not answer in time.
    Expired,
    /// An active mentorship that finished.
    Ended,
}

/// Something that moves a match from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MatchAction {
    /// Coordinator: `proposed → awaiting_mentor`.
    Approve,
    /// Coordinator: `proposed → rejected`.
    Reject,
    /// Mentor: `awaiting_mentor → active`.
    Accept,
    /// Mentor: `awaiting_mentor → declined`.
    Decline,
    /// Scheduler after the response timeout: `awaiting_mentor → expired`.
    Expire,
    /// Participant or coordinator: `active → ended`.
    End,
}

/// A transition the contract's table does not allow (the API answers `409`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a match that is {from}")]
pub struct InvalidTransition {
    /// State the match was in.
    pub from: MatchState,
    /// What was attempted.
    pub action: MatchAction,
}

impl MatchState {
    /// Every state, in life-cycle order.
    pub const ALL: [MatchState; 7] = [
        MatchState::Proposed,
        MatchState::AwaitingMentor,
        MatchState::Active,
        MatchState::Rejected,
        MatchState::Declined,
        MatchState::Expired,
        MatchState::Ended,
    ];

    /// Applies `action`, exactly per the contract's table; anything else is an error.
    pub fn apply(self, action: MatchAction) -> Result<MatchState, InvalidTransition> {
        use MatchAction as A;
        use MatchState as S;
        match (self, action) {
            (S::Proposed, A::Approve) => Ok(S::AwaitingMentor),
            (S::Proposed, A::Reject) => Ok(S::Rejected),
            (S::AwaitingMentor, A::Accept) => Ok(S::Active),
            (S::AwaitingMentor, A::Decline) => Ok(S::Declined),
            (S::AwaitingMentor, A::Expire) => Ok(S::Expired),
            (S::Active, A::End) => Ok(S::Ended),
            (from, action) => Err(InvalidTransition { from, action }),
        }
    }

    /// Whether `action` is allowed from this state.
    pub fn can(self, action: MatchAction) -> bool {
        self.apply(action).is_ok()
    }

    /// Actions allowed from this state (empty for terminal states).
    pub fn allowed_actions(self) -> Vec<MatchAction> {
        MatchAction::ALL
            .into_iter()
            .filter(|a| self.can(*a))
            .collect()
    }

    /// Still in progress: `proposed`, `awaiting_mentor` or `active`. An open match keeps its
    /// request `matched` and prevents proposing the same pair again meanwhile.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            MatchState::Proposed | MatchState::AwaitingMentor | MatchState::Active
        )
    }

    /// No further transition is possible.
    pub fn is_terminal(self) -> bool {
        !self.is_open()
    }

    /// `rejected`, `declined` or `expired`: the request goes back to `open`
    /// (it never left it) and can be matched with someone else.
    pub fn returns_request_to_open(self) -> bool {
        matches!(
            self,
            MatchState::Rejected | MatchState::Declined | MatchState::Expired
        )
    }

    /// The one rule for pairs that are never proposed again: a match between
    /// them was rejected, declined, expired, or ran its course (`ended`).
    pub fn excludes_pair(self) -> bool {
        self.returns_request_to_open() || self == MatchState::Ended
    }

    /// `proposed` and `rejected` are coordinator business: the two people
    /// never see a match in these states.
    pub fn is_coordinator_only(self) -> bool {
        matches!(self, MatchState::Proposed | MatchState::Rejected)
    }

    /// Every state for which `predicate` holds, in life-cycle order (the
    /// database queries' state lists are built from these predicates).
    pub fn all_where(predicate: fn(MatchState) -> bool) -> Vec<MatchState> {
        MatchState::ALL
            .into_iter()
            .filter(|s| predicate(*s))
            .collect()
    }

    /// `awaiting_mentor` or `active`: the states that count against a mentor's capacity,
    /// so approving or accepting can be refused when the mentor is full.
    pub fn occupies_capacity(self) -> bool {
        matches!(self, MatchState::AwaitingMentor | MatchState::Active)
    }

    /// Contact emails of the other party may be shown only while `active`.
    pub fn reveals_contact(self) -> bool {
        self == MatchState::Active
    }

    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchState::Proposed => "proposed",
            MatchState::AwaitingMentor => "awaiting_mentor",
            MatchState::Active => "active",
            MatchState::Rejected => "rejected",
            MatchState::Declined => "declined",
            MatchState::Expired => "expired",
            MatchState::Ended => "ended",
        }
    }
}

impl MatchAction {
    /// Every action.
    pub const ALL: [MatchAction; 6] = [
        MatchAction::Approve,
        MatchAction::Reject,
        MatchAction::Accept,
        MatchAction::Decline,
        MatchAction::Expire,
        MatchAction::End,
    ];

    /// Lower-case verb, matching the route suffix (`/matches/{id}/approve`).
    pub fn as_str(self) -> &'static str {
        match self {
            MatchAction::Approve => "approve",
            MatchAction::Reject => "reject",
            MatchAction::Accept => "accept",
            MatchAction::Decline => "decline",
            MatchAction::Expire => "expire",
            MatchAction::End => "end",
        }
    }
}

/// Returned when a string names no known state or action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value `{0}`")]
pub struct UnknownVariant(pub String);

impl fmt::Display for MatchState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MatchState {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MatchState::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVariant(s.to_owned()))
    }
}

impl fmt::Display for MatchAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MatchAction {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MatchAction::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVariant(s.to_owned()))
    }
}

/// Where a mentorship request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow), diesel(sql_type = diesel::sql_types::Text))]
pub enum RequestState {
    /// Waiting for a match; considered by matching runs. A mentee has at most one.
    Open,
    /// Has an open match (`proposed`, `awaiting_mentor` or `active`).
    Matched,
    /// Withdrawn by the mentee (`DELETE /requests/{id}`).
    Withdrawn,
    /// Finished otherwise (e.g. its mentorship ended or the account was erased).
    Closed,
}

impl RequestState {
    /// Every state.
    pub const ALL: [RequestState; 4] = [
        RequestState::Open,
        RequestState::Matched,
        RequestState::Withdrawn,
        RequestState::Closed,
    ];

    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestState::Open => "open",
            RequestState::Matched => "matched",
            RequestState::Withdrawn => "withdrawn",
            RequestState::Closed => "closed",
        }
    }

    /// Only open requests take part in matching runs.
    pub fn is_open(self) -> bool {
        self == RequestState::Open
    }

    /// `open` or `matched`: the request is in progress. A mentee has at most
    /// one such request (a unique index holds it).
    pub fn is_live(self) -> bool {
        matches!(self, RequestState::Open | RequestState::Matched)
    }

    /// The states for which [`RequestState::is_live`] holds.
    pub const LIVE: [RequestState; 2] = [RequestState::Open, RequestState::Matched];

    /// The request's new state when its match moves to `state`, if it
    /// changes: `active` → `matched`, `ended` → `closed`. A `proposed` or
    /// `awaiting_mentor` match leaves the request `open` (so it can still be
    /// withdrawn), and so do `rejected`, `declined` and `expired` (it can be
    /// matched again).
    pub fn after_match(state: MatchState) -> Option<RequestState> {
        match state {
            MatchState::Active => Some(RequestState::Matched),
            MatchState::Ended => Some(RequestState::Closed),
            _ => None,
        }
    }
}

impl fmt::Display for RequestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RequestState {
    type Err = UnknownVariant;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RequestState::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownVariant(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use MatchAction as A;
    use MatchState as S;

    const TABLE: [(MatchState, MatchAction, MatchState); 6] = [
        (S::Proposed, A::Approve, S::AwaitingMentor),
        (S::Proposed, A::Reject, S::Rejected),
        (S::AwaitingMentor, A::Accept, S::Active),
        (S::AwaitingMentor, A::Decline, S::Declined),
        (S::AwaitingMentor, A::Expire, S::Expired),
        (S::Active, A::End, S::Ended),
    ];

    #[test]
    fn whole_transition_table() {
        let mut valid = 0;
        for from in S::ALL {
            for action in A::ALL {
                let expected = TABLE
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|(_, _, to)| *to);
                match expected {
                    Some(to) => {
                        assert_eq!(from.apply(action), Ok(to));
                        valid += 1;
                    }
                    None => assert_eq!(
                        from.apply(action),
                        Err(InvalidTransition { from, action }),
                        "{from} + {action} should be invalid"
                    ),
                }
            }
        }
        assert_eq!(valid, 6);
        assert_eq!(
            S::Ended.apply(A::End).unwrap_err().to_string(),
            "cannot end a match that is ended"
        );
    }

    #[test]
    fn predicates() {
        let open: Vec<_> = S::ALL.into_iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [S::Proposed, S::AwaitingMentor, S::Active]);
        let back: Vec<_> = S::ALL
            .into_iter()
            .filter(|s| s.returns_request_to_open())
            .collect();
        assert_eq!(back, [S::Rejected, S::Declined, S::Expired]);
        for s in S::ALL {
            assert_eq!(s.is_terminal(), s.allowed_actions().is_empty());
        }
        assert!(S::Active.occupies_capacity() && S::AwaitingMentor.occupies_capacity());
        assert!(!S::Proposed.occupies_capacity());
        assert!(S::Active.reveals_contact() && !S::Ended.reveals_contact());
        // The request stays open until its match is active (issue: `after_match`
        // used to say a proposal made it `matched`, which the service never did).
        assert_eq!(RequestState::after_match(S::Expired), None);
        assert_eq!(RequestState::after_match(S::Proposed), None);
        assert_eq!(RequestState::after_match(S::AwaitingMentor), None);
        assert_eq!(
            RequestState::after_match(S::Active),
            Some(RequestState::Matched)
        );
        assert_eq!(
            RequestState::after_match(S::Ended),
            Some(RequestState::Closed)
        );
        let live: Vec<_> = RequestState::ALL
            .into_iter()
            .filter(|r| r.is_live())
            .collect();
        assert_eq!(live, RequestState::LIVE);
        let excluded: Vec<_> = S::all_where(S::excludes_pair);
        assert_eq!(excluded, [S::Rejected, S::Declined, S::Expired, S::Ended]);
        assert_eq!(
            S::all_where(S::is_coordinator_only),
            [S::Proposed, S::Rejected]
        );
    }

    #[test]
    fn string_forms() {
        for s in S::ALL {
            assert_eq!(s.as_str().parse::<S>().unwrap(), s);
            assert_eq!(
                serde_json::to_value(s).unwrap(),
                serde_json::json!(s.as_str())
            );
        }
        for a in A::ALL {
            assert_eq!(a.as_str().parse::<A>().unwrap(), a);
        }
        for r in RequestState::ALL {
            assert_eq!(r.as_str().parse::<RequestState>().unwrap(), r);
            assert_eq!(
                serde_json::to_value(r).unwrap(),
                serde_json::json!(r.as_str())
            );
        }
        assert!("awaitingmentor".parse::<S>().is_err());
    }
}
