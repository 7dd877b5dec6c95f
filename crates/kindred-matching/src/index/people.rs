//! One side's people in structure-of-arrays form, built from the validated
//! per-person records.

use super::Csr;

/// One side's people (mentees or active mentors) in structure-of-arrays form.
#[derive(Debug, Clone, Default)]
pub(crate) struct People {
    /// Index into the original `requests` / `mentors` vector.
    pub orig: Vec<u32>,
    /// All tags (public ∪ private), `words` u64 per person.
    pub tags_all: Vec<u64>,
    /// Public tags only.
    pub tags_pub: Vec<u64>,
    /// All tags as a list (sorted tag ids).
    pub tag_list: Csr<u16>,
    /// Language mask; exact when the problem has ≤ 64 languages, otherwise a
    /// filter (bit = id mod 64) confirmed with `lang_list`.
    pub lang_mask: Vec<u64>,
    pub lang_list: Csr<u32>,
    pub modes: Vec<u8>,
    pub region: Vec<u32>,
    /// Time-zone class (distinct UTC offsets in the reference week).
    pub tz: Vec<u16>,
    /// Sorted UTC slot ids of the reference week.
    pub slots: Csr<u16>,
}

/// One person as read and validated from the problem, before the dense
/// arrays are built (tag ids, interned languages and region, UTC intervals).
pub(super) struct RawPerson {
    pub tags_all: Vec<u16>,
    pub tags_pub: Vec<u16>,
    pub langs: Vec<u32>,
    pub modes: u8,
    pub region: u32,
    pub tz: u16,
    pub intervals: Vec<(u32, u32)>,
}

impl People {
    /// The dense arrays of `raws` (original indices `orig`): tag bitsets of
    /// `words` u64 each, language masks, and availability as slots of
    /// `slot_min` minutes.
    pub(super) fn build(raws: &[RawPerson], orig: Vec<u32>, words: usize, slot_min: u32) -> People {
        let n = raws.len();
        let mut pe = People {
            orig,
            tags_all: vec![0; n * words],
            tags_pub: vec![0; n * words],
            ..Default::default()
        };
        for (i, r) in raws.iter().enumerate() {
            for &t in &r.tags_all {
                pe.tags_all[i * words + t as usize / 64] |= 1u64 << (t % 64);
            }
            for &t in &r.tags_pub {
                pe.tags_pub[i * words + t as usize / 64] |= 1u64 << (t % 64);
            }
            pe.lang_mask
                .push(r.langs.iter().fold(0u64, |acc, &l| acc | 1u64 << (l % 64)));
            pe.modes.push(r.modes);
            pe.region.push(r.region);
            pe.tz.push(r.tz);
        }
        pe.tag_list = Csr::from_slices(raws.iter().map(|r| r.tags_all.as_slice()));
        pe.lang_list = Csr::from_slices(raws.iter().map(|r| r.langs.as_slice()));
        pe.slots = Csr::from_rows(raws.iter().map(|r| {
            let mut v = Vec::new();
            for &(a, b) in &r.intervals {
                let mut s = a / slot_min;
                while s < b / slot_min {
                    v.push(u16::try_from(s).expect("slot id < 10080"));
                    s += 1;
                }
            }
            v
        }));
        pe
    }
}
