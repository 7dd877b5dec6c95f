//! The domain enums stored as TEXT columns (feature `diesel`): each is
//! written with its wire spelling (`as_str`) and read back with `FromStr`,
//! so a row holding an unknown value is a load error, never a silent default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

use crate::{CircleRequestState, CircleState, MatchState, MemberState, RequestState, Role};

macro_rules! text_enum {
    ($($t:ty),* $(,)?) => {$(
        impl<DB> ToSql<Text, DB> for $t
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> FromSql<Text, DB> for $t
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let raw = String::from_sql(bytes)?;
                raw.parse::<$t>().map_err(|e| e.to_string().into())
            }
        }
    )*};
}

text_enum!(
    MatchState,
    RequestState,
    Role,
    CircleState,
    MemberState,
    CircleRequestState,
);
