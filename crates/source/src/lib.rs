//! Reads Kubernetes manifests the way Kubernetes reads them.
//!
//! Inputs (files, directories, stdin, Helm charts, Kustomize overlays) become [`Document`]s: trees of
//! [`Node`]s in which every node knows its line and column and every scalar is resolved with the YAML 1.1
//! rules of go-yaml v2, as kubectl and the API server do. Hostile input is bounded ([`Limits`]) and every
//! problem is returned as a [`LoadProblem`] naming the file and position; nothing here panics or prints.

mod load;
mod node;
pub mod parse;
pub mod scalar;
mod source_map;

pub use load::{
    Document, LoadOptions, LoadProblem, LoadProblemKind, Loaded, Progress, find_program, load,
    load_text, load_texts,
};
pub use node::{Entry, Node, Value};
pub use parse::{Limits, ParseProblem, ParseProblemKind, ParsedDoc, Stream, parse_stream};
pub use source_map::{Origin, SourceFile, SourceMap};
