//! `CP`: the control plane as the Kubernetes API shows it (mirror pods of static pods).

pub(crate) mod control_plane_flag_insecure;
