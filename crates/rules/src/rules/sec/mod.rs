//! `SEC`: secrets and data.

pub(crate) mod credential_in_config_map;
pub(crate) mod patterns;
