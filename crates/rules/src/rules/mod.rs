//! Rules by area. Each file is one rule: docs, metadata, check.

pub(crate) mod cluster;
pub(crate) mod cp;
pub(crate) mod host;
pub(crate) mod img;
pub(crate) mod kw;
pub(crate) mod net;
pub(crate) mod pod;
pub(crate) mod rbac;
pub(crate) mod res;
pub(crate) mod sa;
pub(crate) mod sec;
pub(crate) mod ver;
