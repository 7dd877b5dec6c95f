//! Address ranges in CIDR notation (`10.0.0.0/8`, `fd00::/8`, or a single
//! address such as `127.0.0.1`), for `server.trusted_proxies`.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

/// An IPv4 or IPv6 network. Addresses are compared in canonical form, so an
/// IPv4-mapped IPv6 peer (`::ffff:10.1.2.3`) is inside `10.0.0.0/8`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a string is not a CIDR range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseCidrError(String);

impl Cidr {
    /// Whether `addr` is inside this range.
    pub fn contains(&self, addr: IpAddr) -> bool {
        match (self.network, addr.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(a)) => prefix_eq(&net.octets(), &a.octets(), self.prefix),
            (IpAddr::V6(net), IpAddr::V6(a)) => prefix_eq(&net.octets(), &a.octets(), self.prefix),
            _ => false,
        }
    }

    pub fn prefix(&self) -> u8 {
        self.prefix
    }
}

fn prefix_eq(a: &[u8], b: &[u8], prefix: u8) -> bool {
    let full = usize::from(prefix / 8);
    let rest = prefix % 8;
    if a[..full] != b[..full] {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    (a[full] & mask) == (b[full] & mask)
}

impl FromStr for Cidr {
    type Err = ParseCidrError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let hint = || {
            ParseCidrError(format!(
                "expected an address range such as \"10.0.0.0/8\", \"fd00::/8\" or \"127.0.0.1\", got {s:?}"
            ))
        };
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s.trim(), None),
        };
        let network = IpAddr::from_str(addr).map_err(|_| hint())?.to_canonical();
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(hint)?,
        };
        let cidr = Cidr { network, prefix };
        // Host bits set ("10.0.0.1/8") is usually a typo: say what was meant.
        let masked = cidr.masked();
        if masked != network {
            return Err(ParseCidrError(format!(
                "{s:?} has bits set after the /{prefix} prefix; did you mean \"{masked}/{prefix}\"?"
            )));
        }
        Ok(cidr)
    }
}

impl Cidr {
    fn masked(&self) -> IpAddr {
        fn mask(bytes: &mut [u8], prefix: u8) {
            for (i, b) in bytes.iter_mut().enumerate() {
                let start = u8::try_from(i * 8).unwrap_or(u8::MAX);
                if start >= prefix {
                    *b = 0;
                } else if prefix - start < 8 {
                    *b &= 0xffu8 << (8 - (prefix - start));
                }
            }
        }
        match self.network {
            IpAddr::V4(a) => {
                let mut o = a.octets();
                mask(&mut o, self.prefix);
                IpAddr::from(o)
            }
            IpAddr::V6(a) => {
                let mut o = a.octets();
                mask(&mut o, self.prefix);
                IpAddr::from(o)
            }
        }
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// A list of ranges: a TOML array of strings, or one comma-separated string
/// (the form an environment variable gives).
pub(crate) fn de_cidr_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Cidr>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        List(Vec<String>),
        One(String),
    }
    let items = match Raw::deserialize(d).map_err(|_| {
        serde::de::Error::custom(
            "expected a list of address ranges such as [\"10.0.0.0/8\", \"127.0.0.1\"]",
        )
    })? {
        Raw::List(items) => items,
        Raw::One(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
    };
    items
        .iter()
        .map(|s| s.parse::<Cidr>().map_err(serde::de::Error::custom))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_ranges_and_single_addresses() {
        let c: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(c.contains(ip("10.255.1.2")));
        assert!(!c.contains(ip("11.0.0.1")));
        assert!(c.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped IPv6");
        let one: Cidr = "127.0.0.1".parse().unwrap();
        assert_eq!(one.to_string(), "127.0.0.1/32");
        assert!(one.contains(ip("127.0.0.1")) && !one.contains(ip("127.0.0.2")));
        let v6: Cidr = "fd00::/8".parse().unwrap();
        assert!(v6.contains(ip("fd12::1")) && !v6.contains(ip("fe80::1")));
        assert!(!v6.contains(ip("10.0.0.1")));
        let odd: Cidr = "192.168.4.0/22".parse().unwrap();
        assert!(odd.contains(ip("192.168.7.255")) && !odd.contains(ip("192.168.8.0")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("203.0.113.9")));
    }

    #[test]
    fn rejects_what_is_not_a_range() {
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "example.org",
            "::/129",
            "10.0.0.0/x",
        ] {
            let e = bad.parse::<Cidr>().unwrap_err().to_string();
            assert!(e.starts_with("expected an address range"), "{bad}: {e}");
        }
        let e = "10.0.0.1/8".parse::<Cidr>().unwrap_err().to_string();
        assert!(e.contains("did you mean \"10.0.0.0/8\""), "{e}");
    }
}
