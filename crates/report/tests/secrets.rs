//! No format ever prints the source text of a sensitive finding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_report::{Format, TextOptions};

#[test]
fn no_format_prints_a_secret() {
    let scan = scan();
    let templates = helm_templates;
    let report = scan.report().with_templates(&templates);
    let options = TextOptions {
        color: true,
        show_suppressed: true,
        show_fixes: true,
    };
    for format in Format::ALL {
        let out = render_to_string(format, &report, &options);
        for secret in SECRETS {
            assert!(
                !out.contains(secret),
                "{format} output contains `{secret}`:\n{out}"
            );
        }
    }
}

#[test]
fn a_point_span_on_a_sensitive_line_redacts_the_rest_of_the_line() {
    let mut scan = scan();
    let password = &mut scan.findings[5];
    let location = password.location.as_mut().unwrap();
    location.span.end = location.span.start;
    location.span.start.col = 2; // at the key: the value follows on the same line
    let out = render_to_string(Format::Text, &scan.report(), &TextOptions::default());
    assert!(out.contains("  ****\n"), "{out}");
    assert!(!out.contains("hunter2"));
}
