//! Signed one-click unsubscribe links (RFC 8058).
//!
//! A token names a person and an email category and carries an HMAC-SHA256
//! over both under a server secret:
//! `v1.<base64url(user_id)>.<base64url(category)>.<base64url(mac)>` (no padding;
//! each part encoded separately so no choice of ids can collide). Tokens do
//! not expire: an unsubscribe link in an old email must keep working. Rotating
//! the secret invalidates every token issued under it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::Header;

type HmacSha256 = Hmac<Sha256>;

const VERSION: &str = "v1";
/// Domain separation: the same secret signing something else never yields an
/// unsubscribe token.
const CONTEXT: &[u8] = b"kindred-unsubscribe\0";

fn mac_over(secret: &[u8], signed_part: &str) -> HmacSha256 {
    // HMAC accepts keys of any length.
    let mut mac = match HmacSha256::new_from_slice(secret) {
        Ok(m) => m,
        Err(_) => unreachable_hmac(),
    };
    mac.update(CONTEXT);
    mac.update(signed_part.as_bytes());
    mac
}

#[cold]
fn unreachable_hmac() -> ! {
    // `Hmac::new_from_slice` only fails for fixed-key-size MACs, never for HMAC.
    panic!("HMAC-SHA256 rejected its key")
}

/// A token for `(user_id, category)`, safe to put in a URL path or query.
pub fn sign(secret: &[u8], user_id: &str, category: &str) -> String {
    let signed_part = format!(
        "{VERSION}.{}.{}",
        URL_SAFE_NO_PAD.encode(user_id),
        URL_SAFE_NO_PAD.encode(category)
    );
    let tag = mac_over(secret, &signed_part).finalize().into_bytes();
    format!("{signed_part}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// `(user_id, category)` if `token` was made by [`sign`] with `secret`.
/// The tag is compared in constant time.
pub fn verify(secret: &[u8], token: &str) -> Option<(String, String)> {
    let token = token.trim();
    if token.len() > 2048 {
        return None;
    }
    let (signed_part, tag) = token.rsplit_once('.')?;
    let mut parts = signed_part.split('.');
    let (version, user, category) = (parts.next()?, parts.next()?, parts.next()?);
    if version != VERSION || parts.next().is_some() {
        return None;
    }
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac_over(secret, signed_part).verify_slice(&tag).ok()?;
    let user = String::from_utf8(URL_SAFE_NO_PAD.decode(user).ok()?).ok()?;
    let category = String::from_utf8(URL_SAFE_NO_PAD.decode(category).ok()?).ok()?;
    Some((user, category))
}

/// The two headers for one-click unsubscribe (RFC 8058; RFC 2369):
/// `List-Unsubscribe: <url>` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`.
/// `url` must be an `https` URL that accepts a `POST` with that body and
/// unsubscribes without further interaction.
pub fn list_unsubscribe_headers(url: &str) -> Vec<Header> {
    let url: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_control() && *c != '<' && *c != '>')
        .collect();
    vec![
        Header {
            name: "List-Unsubscribe".into(),
            value: format!("<{url}>"),
        },
        Header {
            name: "List-Unsubscribe-Post".into(),
            value: "List-Unsubscribe=One-Click".into(),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip() {
        let t = sign(
            SECRET,
            "0190f0e2-7c1a-7d3e-9a55-2f1f1c0d9e8b",
            "checkin_reminders",
        );
        assert!(t.starts_with("v1."));
        assert!(t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')));
        assert_eq!(
            verify(SECRET, &t),
            Some((
                "0190f0e2-7c1a-7d3e-9a55-2f1f1c0d9e8b".to_string(),
                "checkin_reminders".to_string()
            ))
        );
        // Deterministic; odd characters survive.
        assert_eq!(
            t,
            sign(
                SECRET,
                "0190f0e2-7c1a-7d3e-9a55-2f1f1c0d9e8b",
                "checkin_reminders"
            )
        );
        let odd = sign(SECRET, "a.b/c", "x.y\n");
        assert_eq!(verify(SECRET, &odd), Some(("a.b/c".into(), "x.y\n".into())));
    }

    #[test]
    fn tampering_is_rejected() {
        let t = sign(SECRET, "user-1", "digest");
        assert_eq!(verify(b"another secret", &t), None, "wrong secret");
        // Swap in another user or category, keeping the tag.
        let (_, tag) = t.rsplit_once('.').unwrap();
        let forged = format!(
            "v1.{}.{}.{tag}",
            URL_SAFE_NO_PAD.encode("user-2"),
            URL_SAFE_NO_PAD.encode("digest")
        );
        assert_eq!(verify(SECRET, &forged), None);
        let forged = format!(
            "v1.{}.{}.{tag}",
            URL_SAFE_NO_PAD.encode("user-1"),
            URL_SAFE_NO_PAD.encode("all")
        );
        assert_eq!(verify(SECRET, &forged), None);
        // Every single-character change is caught.
        for i in 0..t.len() {
            let mut bytes = t.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let changed = String::from_utf8(bytes).unwrap();
            if changed != t {
                assert_eq!(verify(SECRET, &changed), None, "position {i}");
            }
        }
        // Truncated tag, missing parts, other versions, garbage.
        assert_eq!(verify(SECRET, &t[..t.len() - 2]), None);
        assert_eq!(verify(SECRET, t.trim_start_matches("v1.")), None);
        assert_eq!(verify(SECRET, &t.replacen("v1.", "v2.", 1)), None);
        assert_eq!(verify(SECRET, &format!("{t}.x")), None);
        assert_eq!(verify(SECRET, ""), None);
        assert_eq!(verify(SECRET, "...."), None);
    }

    #[test]
    fn one_click_headers() {
        let h = list_unsubscribe_headers("https://kindred.test/unsubscribe/v1.abc.def.ghi");
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].name, "List-Unsubscribe");
        assert_eq!(
            h[0].value,
            "<https://kindred.test/unsubscribe/v1.abc.def.ghi>"
        );
        assert_eq!(h[1].name, "List-Unsubscribe-Post");
        assert_eq!(h[1].value, "List-Unsubscribe=One-Click");
        let sneaky = list_unsubscribe_headers("https://x.test/u>\r\nBcc: a@b");
        assert_eq!(sneaky[0].value, "<https://x.test/uBcc: a@b>");
    }
}
