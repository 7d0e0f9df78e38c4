//! `IMG`: images and supply chain.

pub(crate) mod image_tag_mutable;
pub(crate) mod registry_not_allowed;
