//! `SA`: service accounts.

pub(crate) mod default_service_account_automounts;
pub(crate) mod default_service_account_used;
pub(crate) mod token_automounted;
