pub mod audit;
pub mod audit_serve;
pub mod config;
pub mod node;
pub mod pss;
pub mod rbac;
pub mod rules;
pub mod scan;
