pub mod config;
pub mod pss;
pub mod rbac;
pub mod rules;
pub mod scan;
