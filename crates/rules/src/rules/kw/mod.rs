//! `KW`: problems with kubeward's own input and configuration. These rules have no check function:
//! the engine raises them (see `crate::input` and `crate::suppress`).

pub(crate) mod duplicate_key;
pub(crate) mod expired_suppression;
pub(crate) mod input_limit_exceeded;
pub(crate) mod invalid_suppression;
pub(crate) mod invalid_yaml;
pub(crate) mod not_a_kubernetes_object;
pub(crate) mod renderer_unavailable;
pub(crate) mod unreadable_input;
pub(crate) mod unused_suppression;
