//! `SEC`: secrets and data.

pub(crate) mod credential_in_annotation;
pub(crate) mod credential_in_config_map;
pub(crate) mod credential_in_environment;
pub(crate) mod patterns;
pub(crate) mod secret_in_environment;
pub(crate) mod secret_manifest_with_data;
