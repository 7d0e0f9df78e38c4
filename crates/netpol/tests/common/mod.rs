//! Helpers shared by integration tests and the benchmark example.

pub mod synthetic;
