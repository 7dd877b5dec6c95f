//! Peer-support circle life cycles (API.md "Peer-support circles"): the
//! circle's state table, its members' states and circle requests' states.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::matches::UnknownVariant;

/// Declares a snake_case wire enum with `ALL`, `as_str`, `Display` and `FromStr`.
macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "diesel", derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow), diesel(sql_type = diesel::sql_types::Text))]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value, in life-cycle order.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// The wire / database spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownVariant(s.to_owned()))
            }
        }
    };
}

wire_enum!(
    /// Where a circle is in its life cycle.
    CircleState {
        /// Formed by a circle run or a coordinator; awaits coordinator review.
        Proposed => "proposed",
        /// Approved: members and facilitator are invited; members join.
        Approved => "approved",
        /// Turned down by a coordinator; its requests reopen.
        Rejected => "rejected",
        /// Started by the facilitator; sessions run every `circles.cadence`.
        Active => "active",
        /// Finished.
        Ended => "ended",
    }
);

wire_enum!(
    /// Something that moves a circle from one state to another.
    CircleAction {
        /// Coordinator: `proposed → approved`.
        Approve => "approve",
        /// Coordinator: `proposed → rejected`.
        Reject => "reject",
        /// Facilitator: `approved → active`.
        Start => "start",
        /// Facilitator or coordinator: `active → ended` (also ends an
        /// approved circle that never started).
        End => "end",
    }
);

wire_enum!(
    /// A member's place in a circle.
    MemberState {
        /// In a proposed circle (not told yet).
        Proposed => "proposed",
        /// The circle was approved and the person was invited.
        Invited => "invited",
        /// Accepted the group agreement and joined.
        Joined => "joined",
        /// Left the circle.
        Left => "left",
        /// The circle was rejected before they were invited.
        Declined => "declined",
        /// Did not join within `circles.invite_timeout`.
        Expired => "expired",
        /// Removed: their account was erased, or the circle ended before they joined.
        Removed => "removed",
    }
);

wire_enum!(
    /// Where a circle request is.
    CircleRequestState {
        /// Waiting for a circle; considered by circle runs. One per person.
        Open => "open",
        /// In a proposed, approved or active circle.
        Placed => "placed",
        /// Withdrawn by its author.
        Withdrawn => "withdrawn",
        /// Finished: the circle ended, the person left, the invitation
        /// lapsed, or the account was erased.
        Closed => "closed",
    }
);

/// A circle transition the contract's table does not allow (`409`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("cannot {action} a circle that is {from}")]
pub struct InvalidCircleTransition {
    pub from: CircleState,
    pub action: CircleAction,
}

impl CircleState {
    /// Applies `action` per the contract's table.
    pub fn apply(self, action: CircleAction) -> Result<CircleState, InvalidCircleTransition> {
        use CircleAction as A;
        use CircleState as S;
        match (self, action) {
            (S::Proposed, A::Approve) => Ok(S::Approved),
            (S::Proposed, A::Reject) => Ok(S::Rejected),
            (S::Approved, A::Start) => Ok(S::Active),
            (S::Active | S::Approved, A::End) => Ok(S::Ended),
            (from, action) => Err(InvalidCircleTransition { from, action }),
        }
    }

    /// `proposed` and `rejected` circles are the coordinators' alone.
    pub fn is_coordinator_only(self) -> bool {
        matches!(self, CircleState::Proposed | CircleState::Rejected)
    }

    /// `proposed`, `approved` or `active`: counts against the facilitator's
    /// `max_circles` and keeps its requests placed.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CircleState::Proposed | CircleState::Approved | CircleState::Active
        )
    }

    /// The states for which [`CircleState::is_open`] holds.
    pub const OPEN: [CircleState; 3] = [
        CircleState::Proposed,
        CircleState::Approved,
        CircleState::Active,
    ];
}

impl MemberState {
    /// Still (or about to be) in the circle: proposed, invited or joined.
    pub fn is_current(self) -> bool {
        matches!(
            self,
            MemberState::Proposed | MemberState::Invited | MemberState::Joined
        )
    }

    /// The states for which [`MemberState::is_current`] holds.
    pub const CURRENT: [MemberState; 3] = [
        MemberState::Proposed,
        MemberState::Invited,
        MemberState::Joined,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions_follow_the_contract() {
        use CircleAction as A;
        use CircleState as S;
        let allowed = [
            (S::Proposed, A::Approve, S::Approved),
            (S::Proposed, A::Reject, S::Rejected),
            (S::Approved, A::Start, S::Active),
            (S::Active, A::End, S::Ended),
            (S::Approved, A::End, S::Ended),
        ];
        for &from in S::ALL {
            for &action in A::ALL {
                let want = allowed
                    .iter()
                    .find(|(f, a, _)| *f == from && *a == action)
                    .map(|t| t.2);
                assert_eq!(from.apply(action).ok(), want, "{from} {action}");
            }
        }
    }

    #[test]
    fn wire_spellings_round_trip() {
        for &s in MemberState::ALL {
            assert_eq!(s.as_str().parse::<MemberState>(), Ok(s));
        }
        for &s in CircleRequestState::ALL {
            assert_eq!(s.as_str().parse::<CircleRequestState>(), Ok(s));
        }
        assert!("bogus".parse::<CircleState>().is_err());
    }
}
