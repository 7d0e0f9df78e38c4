//! A fixed-size bit set over endpoint indices: the matrix is unions and membership tests of these.

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Bitset {
    words: Vec<u64>,
}

impl Bitset {
    pub(crate) fn new(len: usize) -> Self {
        Self {
            words: vec![0; len.div_ceil(64)],
        }
    }

    pub(crate) fn full(len: usize) -> Self {
        // Whole words at once: per-endpoint unions of a large cluster start full, and setting
        // their bits one by one was quadratic work.
        let mut words = vec![u64::MAX; len / 64];
        if !len.is_multiple_of(64) {
            words.push((1u64 << (len % 64)) - 1);
        }
        Self { words }
    }

    /// Allocates the set for `len` bits if it has none yet (a set left unallocated reads as empty).
    pub(crate) fn allocate(&mut self, len: usize) {
        if self.words.is_empty() {
            *self = Self::new(len);
        }
    }

    pub(crate) fn insert(&mut self, i: usize) {
        if let Some(w) = self.words.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub(crate) fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Whether the first `len` bits are all set.
    pub(crate) fn is_full(&self, len: usize) -> bool {
        self.words
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum::<usize>()
            >= len
    }

    pub(crate) fn union_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            // Set bits only, lowest first: sparse sets skip empty words in one test.
            let mut rest = w;
            std::iter::from_fn(move || {
                if rest == 0 {
                    return None;
                }
                let b = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_union_iterate() {
        let mut a = Bitset::new(130);
        a.insert(0);
        a.insert(129);
        let mut b = Bitset::new(130);
        b.insert(64);
        a.union_with(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 64, 129]);
        assert!(a.contains(64) && !a.contains(65) && !a.contains(1000));
        assert_eq!(Bitset::new(3).iter().count(), 0);
        assert_eq!(Bitset::full(3).iter().count(), 3);
        assert_eq!(Bitset::full(64).iter().count(), 64);
        assert_eq!(Bitset::full(130).iter().last(), Some(129));
        assert!(!Bitset::full(130).contains(130));
    }
}
