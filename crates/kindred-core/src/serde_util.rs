//! Deserializers that make the JSON the server accepts exactly the JSON its
//! OpenAPI document describes.

use serde::{Deserialize, Deserializer};

/// An optional field that may be left out but, when given, must not be
/// `null` (use with `#[serde(default, deserialize_with = "present")]`).
/// For bodies like `PATCH /tags/{slug}` where "at least one field" means
/// at least one field with a value.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A JSON integer. JSON Schema counts `4.0` as the integer 4, so the server
/// does too; `4.5` and anything outside `i64` are refused.
pub fn integer<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Int(i64),
        Float(f64),
    }
    match Number::deserialize(d) {
        Ok(Number::Int(n)) => Ok(n),
        #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
        Ok(Number::Float(f)) if f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64 => {
            Ok(f as i64)
        }
        _ => Err(serde::de::Error::custom(
            "invalid type: expected an integer",
        )),
    }
}

/// An optional JSON integer (absent or `null` = `None`), with [`integer`]'s
/// rule that `4.0` is 4 (use with `#[serde(default, deserialize_with =
/// "optional_integer")]`).
pub fn optional_integer<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    struct Wrapped(#[serde(deserialize_with = "integer")] i64);
    Ok(Option::<Wrapped>::deserialize(d)?.map(|w| w.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Body {
        #[serde(default, deserialize_with = "present")]
        label: Option<String>,
        #[serde(default, deserialize_with = "integer")]
        rating: i64,
    }

    #[test]
    fn null_is_refused_where_a_value_or_nothing_is_expected() {
        let b: Body = serde_json::from_str("{}").unwrap();
        assert_eq!(b.label, None);
        let b: Body = serde_json::from_str(r#"{"label": "x"}"#).unwrap();
        assert_eq!(b.label.as_deref(), Some("x"));
        assert!(serde_json::from_str::<Body>(r#"{"label": null}"#).is_err());
    }

    #[test]
    fn integral_floats_are_integers_and_fractions_are_not() {
        let b: Body = serde_json::from_str(r#"{"rating": 4.0}"#).unwrap();
        assert_eq!(b.rating, 4);
        let b: Body = serde_json::from_str(r#"{"rating": -3}"#).unwrap();
        assert_eq!(b.rating, -3);
        for bad in [
            r#"{"rating": 4.5}"#,
            r#"{"rating": "4"}"#,
            r#"{"rating": 1e300}"#,
        ] {
            assert!(serde_json::from_str::<Body>(bad).is_err(), "{bad}");
        }
    }
}
