//! Compressed sparse rows, the index's list-of-lists layout.

/// Compressed sparse rows: `rows[i]` is `data[start[i]..start[i+1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr<T> {
    pub start: Vec<u32>,
    pub data: Vec<T>,
}

impl<T: Copy> Csr<T> {
    pub fn from_rows<I: IntoIterator<Item = Vec<T>>>(rows: I) -> Self {
        let mut start = vec![0u32];
        let mut data = Vec::new();
        for r in rows {
            data.extend_from_slice(&r);
            start.push(u32::try_from(data.len()).expect("CSR data fits in u32"));
        }
        Csr { start, data }
    }

    /// Like [`Csr::from_rows`], from borrowed rows (no per-row allocation).
    pub fn from_slices<'a, I: IntoIterator<Item = &'a [T]>>(rows: I) -> Self
    where
        T: 'a,
    {
        let mut start = vec![0u32];
        let mut data = Vec::new();
        for r in rows {
            data.extend_from_slice(r);
            start.push(u32::try_from(data.len()).expect("CSR data fits in u32"));
        }
        Csr { start, data }
    }

    #[inline]
    pub fn row(&self, i: usize) -> &[T] {
        &self.data[self.start[i] as usize..self.start[i + 1] as usize]
    }

    pub fn rows(&self) -> usize {
        self.start.len() - 1
    }
}
