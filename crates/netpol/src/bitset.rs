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
        let mut set = Self::new(len);
        for i in 0..len {
            set.insert(i);
        }
        set
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

    pub(crate) fn union_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            (0..64)
                .filter(move |b| w & (1 << b) != 0)
                .map(move |b| wi * 64 + b)
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
    }
}
