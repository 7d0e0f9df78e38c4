pub mod config;
pub mod rules;
pub mod scan;
