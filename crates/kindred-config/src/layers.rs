//! Layering (files, then environment) at the TOML-table level, and
//! deserialization that reports the full dotted key of every problem.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeOwned, Visitor};
use toml::{Table, Value};

use crate::error::{ConfigError, Origin};

/// Prefix of override variables: `KINDRED__SECTION__KEY`.
pub const ENV_PREFIX: &str = "KINDRED__";
/// Names the extra file layered over `default.toml`: `config/$KINDRED_ENV.toml`.
pub const ENV_NAME_VAR: &str = "KINDRED_ENV";

/// Where each dotted key's current value came from.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sources {
    origins: BTreeMap<String, Origin>,
    /// For env values that parsed as a non-string TOML scalar: the raw text,
    /// used when the target field turns out to want a string.
    raw_env: BTreeMap<String, String>,
}

impl Sources {
    /// The origin of exactly `key`, if it was set by a file or variable.
    pub(crate) fn origin_exact(&self, key: &str) -> Option<Origin> {
        self.origins.get(key).cloned()
    }

    /// The origin of `key`, or of its nearest ancestor.
    pub(crate) fn origin_of(&self, key: &str) -> Option<Origin> {
        let mut k = key;
        loop {
            if let Some(o) = self.origins.get(k) {
                return Some(o.clone());
            }
            k = k.rsplit_once('.')?.0;
        }
    }

    fn record(&mut self, key: &str, value: &Value, origin: &Origin) {
        self.origins.insert(key.to_owned(), origin.clone());
        self.raw_env.remove(key);
        if let Value::Table(t) = value {
            for (k, v) in t {
                self.record(&join(key, k), v, origin);
            }
        }
    }
}

/// The merged configuration tree plus provenance.
#[derive(Debug, Default)]
pub(crate) struct Layered {
    pub(crate) table: Table,
    pub(crate) sources: Sources,
}

pub(crate) fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

impl Layered {
    /// Parses TOML text and merges it over what is already there.
    pub(crate) fn merge_str(&mut self, text: &str, origin: Origin) -> Result<(), ConfigError> {
        let table: Table = text
            .parse()
            .map_err(|e: toml::de::Error| ConfigError::Syntax {
                path: match &origin {
                    Origin::File(p) => p.clone(),
                    Origin::Env(v) => v.into(),
                },
                message: e.to_string().trim_end().to_owned(),
            })?;
        merge_tables(&mut self.table, table, "", &origin, &mut self.sources);
        Ok(())
    }

    pub(crate) fn merge_file(&mut self, path: &Path) -> Result<(), ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        self.merge_str(&text, Origin::File(path.to_owned()))
    }

    /// Applies every `KINDRED__…` variable, in name order.
    pub(crate) fn merge_env(&mut self, vars: &[(String, String)]) -> Result<(), ConfigError> {
        let mut overrides: Vec<(&str, Vec<String>, &str)> = Vec::new();
        for (name, raw) in vars {
            let Some(path) = env_key_path(name)? else {
                continue;
            };
            overrides.push((name, path, raw));
        }
        overrides.sort_by(|a, b| a.0.cmp(b.0));
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        for (var, path, raw) in overrides {
            let key = path.join(".");
            if let Some(other) = seen.insert(key.clone(), var) {
                return Err(ConfigError::EnvVar {
                    var: var.to_owned(),
                    message: format!("sets {key}, which {other} also sets"),
                });
            }
            let value = parse_env_value(raw);
            let origin = Origin::Env(var.to_owned());
            // Walk/create the tables down to the parent of the leaf.
            let mut table = &mut self.table;
            let mut prefix = String::new();
            let (leaf, parents) = path.split_last().ok_or_else(|| ConfigError::EnvVar {
                var: var.to_owned(),
                message: "names no key".into(),
            })?;
            for part in parents {
                prefix = join(&prefix, part);
                let entry = table
                    .entry(part.clone())
                    .or_insert_with(|| Value::Table(Table::new()));
                if !self.sources.origins.contains_key(&prefix) {
                    self.sources.origins.insert(prefix.clone(), origin.clone());
                }
                match entry {
                    Value::Table(t) => table = t,
                    other => {
                        return Err(ConfigError::EnvVar {
                            var: var.to_owned(),
                            message: format!(
                                "{prefix} is a {}, not a section, so it has no key {leaf:?}",
                                other.type_str()
                            ),
                        })
                    }
                }
            }
            self.sources.record(&key, &value, &origin);
            if !value.is_str() {
                self.sources.raw_env.insert(key.clone(), raw.to_owned());
            }
            table.insert(leaf.clone(), value);
        }
        Ok(())
    }
}

/// `KINDRED__SERVER__PORT` → `Some(["server", "port"])`; other variables → `None`.
fn env_key_path(name: &str) -> Result<Option<Vec<String>>, ConfigError> {
    if name.len() < ENV_PREFIX.len()
        || !name.is_char_boundary(ENV_PREFIX.len())
        || !name[..ENV_PREFIX.len()].eq_ignore_ascii_case(ENV_PREFIX)
    {
        return Ok(None);
    }
    let err = |message: String| ConfigError::EnvVar {
        var: name.to_owned(),
        message,
    };
    let rest = &name[ENV_PREFIX.len()..];
    let parts: Vec<String> = rest.split("__").map(str::to_ascii_lowercase).collect();
    if parts.len() < 2 {
        return Err(err(
            "must name a section and a key separated by a double underscore, \
             e.g. KINDRED__SERVER__PORT"
                .into(),
        ));
    }
    for part in &parts {
        if part.is_empty() || !part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(err(format!(
                "{:?} is not a valid key name (letters, digits and single underscores, \
                 sections separated by a double underscore)",
                part
            )));
        }
    }
    Ok(Some(parts))
}

/// A TOML scalar (`true`, `42`, `1.5`, `"quoted"`) when the text is one, else the text itself.
pub(crate) fn parse_env_value(raw: &str) -> Value {
    let doc = format!("v = {raw}");
    if let Ok(mut t) = doc.parse::<Table>() {
        if t.len() == 1 {
            if let Some(
                v @ (Value::String(_) | Value::Integer(_) | Value::Float(_) | Value::Boolean(_)),
            ) = t.remove("v")
            {
                return v;
            }
        }
    }
    Value::String(raw.to_owned())
}

fn merge_tables(
    base: &mut Table,
    overlay: Table,
    prefix: &str,
    origin: &Origin,
    sources: &mut Sources,
) {
    for (k, v) in overlay {
        let key = join(prefix, &k);
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => {
                sources.origins.insert(key.clone(), origin.clone());
                merge_tables(b, o, &key, origin, sources);
            }
            (_, v) => {
                sources.record(&key, &v, origin);
                base.insert(k, v);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Key-aware deserialization.

/// Deserializes `table` (found at `prefix`) into `T`, naming the full key of
/// any unknown key or bad value.
pub(crate) fn deserialize_table<T: DeserializeOwned>(
    mut table: Table,
    prefix: &str,
    sources: &Sources,
) -> Result<T, ConfigError> {
    if let Some(fields) = struct_fields::<T>() {
        if let Some(k) = table.keys().find(|k| !fields.contains(&k.as_str())) {
            let key = join(prefix, k);
            return Err(ConfigError::UnknownKey {
                origin: sources.origin_of(&key),
                key,
                expected: fields.iter().map(|f| (*f).to_owned()).collect(),
            });
        }
    }
    if let Ok(v) = Value::Table(table.clone()).try_into::<T>() {
        return Ok(v);
    }
    // Find the culprit by deserializing one key at a time (all section
    // structs are `#[serde(default)]`, so a single key is a complete input).
    let keys: Vec<String> = table.keys().cloned().collect();
    for k in keys {
        let key = join(prefix, &k);
        let Some(value) = table.get(&k).cloned() else {
            continue;
        };
        let Err(e) = try_single::<T>(&k, value) else {
            continue;
        };
        // An env value like `1` or `true` parsed as a number/bool may be meant as text.
        if let Some(raw) = sources.raw_env.get(&key) {
            let as_string = Value::String(raw.clone());
            if try_single::<T>(&k, as_string.clone()).is_ok() {
                table.insert(k, as_string);
                continue;
            }
        }
        return Err(ConfigError::InvalidValue {
            origin: sources.origin_of(&key),
            key,
            message: clean_message(&e),
        });
    }
    Value::Table(table)
        .try_into::<T>()
        .map_err(|e| ConfigError::InvalidValue {
            key: prefix.to_owned(),
            message: clean_message(&e),
            origin: sources.origin_of(prefix),
        })
}

fn try_single<T: DeserializeOwned>(k: &str, value: Value) -> Result<T, toml::de::Error> {
    let mut single = Table::new();
    single.insert(k.to_owned(), value);
    Value::Table(single).try_into::<T>()
}

fn clean_message(e: &toml::de::Error) -> String {
    e.message().trim().to_owned()
}

/// The field names of a struct deserialized with serde-derive, without
/// deserializing anything: `None` for types that are not structs (maps, …).
pub(crate) fn struct_fields<T: DeserializeOwned>() -> Option<&'static [&'static str]> {
    match T::deserialize(FieldCapture) {
        Err(Captured(fields)) => fields,
        Ok(_) => None,
    }
}

struct FieldCapture;

#[derive(Debug)]
struct Captured(Option<&'static [&'static str]>);

impl fmt::Display for Captured {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field capture")
    }
}

impl std::error::Error for Captured {}

impl de::Error for Captured {
    fn custom<M: fmt::Display>(_msg: M) -> Self {
        Captured(None)
    }
}

impl<'de> de::Deserializer<'de> for FieldCapture {
    type Error = Captured;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Captured> {
        Err(Captured(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Captured> {
        Err(Captured(Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_names_map_to_lowercase_paths() {
        assert_eq!(
            env_key_path("KINDRED__SERVER__PORT").unwrap(),
            Some(vec!["server".to_owned(), "port".to_owned()])
        );
        assert_eq!(
            env_key_path("kindred__Server__Body_Limit").unwrap(),
            Some(vec!["server".to_owned(), "body_limit".to_owned()])
        );
        assert_eq!(
            env_key_path("KINDRED__MATCHING__WEIGHTS__SHARED_TAGS").unwrap(),
            Some(vec![
                "matching".to_owned(),
                "weights".to_owned(),
                "shared_tags".to_owned()
            ])
        );
        assert_eq!(env_key_path("KINDRED_ENV").unwrap(), None);
        assert_eq!(env_key_path("KINDRED_TEST_DATABASE_URL").unwrap(), None);
        assert_eq!(env_key_path("PATH").unwrap(), None);
        assert!(env_key_path("KINDRED__SERVER").is_err());
        assert!(env_key_path("KINDRED__SERVER____PORT").is_err());
        assert!(env_key_path("KINDRED__SERVER__PO-RT").is_err());
    }

    #[test]
    fn env_values_are_toml_scalars_when_possible() {
        assert_eq!(parse_env_value("true"), Value::Boolean(true));
        assert_eq!(parse_env_value("42"), Value::Integer(42));
        assert_eq!(parse_env_value("\"x\""), Value::String("x".into()));
        assert_eq!(parse_env_value("x"), Value::String("x".into()));
        assert_eq!(parse_env_value("0.0.0.0"), Value::String("0.0.0.0".into()));
        assert_eq!(parse_env_value(""), Value::String(String::new()));
        assert_eq!(
            parse_env_value("postgres://u:p@h/db"),
            Value::String("postgres://u:p@h/db".into())
        );
        assert_eq!(parse_env_value("[1, 2]"), Value::String("[1, 2]".into()));
        assert_eq!(
            parse_env_value("1\nx = 2"),
            Value::String("1\nx = 2".into())
        );
        assert_eq!(
            parse_env_value("1979-05-27"),
            Value::String("1979-05-27".into())
        );
    }
}
