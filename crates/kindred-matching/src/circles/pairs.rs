//! Pair scores: a participant's shared-experience points with another
//! participant (the pair score `w`) or with a facilitator (the fit), from
//! the tag bitsets of the compiled instance. The score needs only the capped
//! total (a word-wise AND, then the few common tags); the explanations use
//! the split by privacy.

use super::problem::{Inst, Shared};

impl Inst {
    #[inline]
    pub(crate) fn bits(v: &[u64], i: usize, words: usize) -> &[u64] {
        &v[i * words..(i + 1) * words]
    }

    /// Shared-experience points of participant `i` with a person whose
    /// all/public bitsets are `o_all`/`o_pub` and topics `o_topic`.
    fn shared_with(
        &self,
        i: usize,
        o_all: &[u64],
        o_pub: &[u64],
        o_topic: Option<&[u64]>,
    ) -> Shared {
        let w = self.words;
        let (ip, it) = (
            Self::bits(&self.p_pub, i, w),
            Self::bits(&self.p_topic, i, w),
        );
        let mut s = Shared::default();
        for &t in self.p_tags.row(i) {
            let (k, b) = (t as usize / 64, t % 64);
            if o_all[k] >> b & 1 == 0 {
                continue;
            }
            let topic = (it[k] | o_topic.map_or(0, |x| x[k])) >> b & 1 == 1;
            let pts = u64::from(if topic {
                self.w_topic[t as usize]
            } else {
                self.w_tag[t as usize]
            });
            if (ip[k] & o_pub[k]) >> b & 1 == 1 {
                s.public += pts;
            } else {
                s.private += pts;
            }
        }
        s
    }

    /// The split shared points of two participants.
    pub fn shared_pp(&self, i: usize, j: usize) -> Shared {
        let w = self.words;
        self.shared_with(
            i,
            Self::bits(&self.p_all, j, w),
            Self::bits(&self.p_pub, j, w),
            Some(Self::bits(&self.p_topic, j, w)),
        )
    }

    pub fn shared_pf(&self, i: usize, f: usize) -> Shared {
        let w = self.words;
        self.shared_with(
            i,
            Self::bits(&self.f_all, f, w),
            Self::bits(&self.f_pub, f, w),
            None,
        )
    }

    /// Capped shared points of two bitsets (the split by privacy is not
    /// needed for the score): a word-wise AND, then the few common tags.
    #[inline]
    fn shared_total(&self, a: &[u64], b: &[u64], ta: &[u64], tb: Option<&[u64]>) -> i64 {
        let mut s = 0u64;
        for k in 0..a.len() {
            let mut m = a[k] & b[k];
            if m == 0 {
                continue;
            }
            let t = ta[k] | tb.map_or(0, |x| x[k]);
            while m != 0 {
                let bit = m.trailing_zeros();
                let tag = k * 64 + bit as usize;
                s += u64::from(if t >> bit & 1 == 1 {
                    self.w_topic[tag]
                } else {
                    self.w_tag[tag]
                });
                m &= m - 1;
            }
        }
        s.min(self.cap) as i64
    }

    /// Whether participant `i` holds tag `t`.
    #[inline]
    pub fn has_tag(&self, i: usize, t: u16) -> bool {
        self.p_all[i * self.words + t as usize / 64] >> (t % 64) & 1 == 1
    }

    /// Pair score of two participants (symmetric, ≥ 0).
    #[inline]
    pub fn w(&self, i: usize, j: usize) -> i64 {
        self.work.set(self.work.get() + 1);
        let w = self.words;
        self.shared_total(
            Self::bits(&self.p_all, i, w),
            Self::bits(&self.p_all, j, w),
            Self::bits(&self.p_topic, i, w),
            Some(Self::bits(&self.p_topic, j, w)),
        )
    }

    /// Fit of participant `i` with facilitator `f` (≥ 0).
    #[inline]
    pub fn fit(&self, i: usize, f: usize) -> i64 {
        self.work.set(self.work.get() + 1);
        let w = self.words;
        self.p_base[i]
            + self.shared_total(
                Self::bits(&self.p_all, i, w),
                Self::bits(&self.f_all, f, w),
                Self::bits(&self.p_topic, i, w),
                None,
            )
    }
}
