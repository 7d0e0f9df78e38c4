pub mod audit;
pub mod config;
pub mod node;
pub mod pss;
pub mod rbac;
pub mod rules;
pub mod scan;
