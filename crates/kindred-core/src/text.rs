//! Small shared text rules for user-entered strings.

/// Trims `raw` and checks it is `min..=max` Unicode scalar values with no control characters.
///
/// Single-line fields (names, labels, regions) must not smuggle newlines or terminal
/// escapes into emails and coordinator views, hence the control-character rule.
///
/// The maximum counts `raw` as given (surrounding spaces too), so the limit
/// is the one a client can check before sending.
pub(crate) fn single_line(raw: &str, min: usize, max: usize) -> Result<String, String> {
    if raw.chars().count() > max {
        return Err(format!("must be at most {max} characters long"));
    }
    let s = raw.trim();
    let n = s.chars().count();
    if n < min {
        return Err(if min <= 1 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters long")
        });
    }
    if n > max {
        return Err(format!("must be at most {max} characters long"));
    }
    if s.chars().any(char::is_control) {
        return Err("must not contain control characters".to_owned());
    }
    Ok(s.to_owned())
}

/// Trims multi-line free text and checks it is at most `max` Unicode scalar values; line
/// breaks and tabs are fine, other control characters are not.
pub(crate) fn multi_line(raw: &str, max: usize) -> Result<String, String> {
    let s = raw.trim();
    if raw.chars().count() > max {
        return Err(format!("must be at most {max} characters long"));
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err("must not contain control characters".to_owned());
    }
    Ok(s.to_owned())
}
