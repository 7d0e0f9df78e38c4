//! `IMG`: images and supply chain.

pub(crate) mod cryptominer_arguments;
pub(crate) mod cryptominer_image;
pub(crate) mod image_not_pinned_by_digest;
pub(crate) mod image_pull_policy_not_always;
pub(crate) mod image_tag_mutable;
mod miners;
pub(crate) mod registry_not_allowed;
