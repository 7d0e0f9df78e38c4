//! `SA`: service accounts.

pub(crate) mod token_automounted;
