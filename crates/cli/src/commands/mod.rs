pub mod config;
pub mod rbac;
pub mod rules;
pub mod scan;
