#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_report::{Format, Report, Summary, TextOptions};

fn text(report: &Report, options: TextOptions) -> String {
    render_to_string(Format::Text, report, &options)
}

#[test]
fn groups_by_file_then_object_with_snippets() {
    let scan = scan();
    let templates = helm_templates;
    let report = scan.report().with_templates(&templates);
    insta::assert_snapshot!(text(&report, TextOptions::default()));
}

#[test]
fn shows_suppressed_findings_and_fix_edits_on_request() {
    let scan = scan();
    let options = TextOptions {
        color: false,
        show_suppressed: true,
        show_fixes: true,
    };
    insta::assert_snapshot!(text(&scan.report(), options));
}

#[test]
fn colour_only_when_asked() {
    let scan = scan();
    assert!(!text(&scan.report(), TextOptions::default()).contains('\x1b'));
    let coloured = text(
        &scan.report(),
        TextOptions {
            color: true,
            ..TextOptions::default()
        },
    );
    assert!(coloured.contains("\x1b[1;35mCRITICAL\x1b[0m"), "{coloured}");
}

#[test]
fn caret_sits_under_the_span_after_wide_characters() {
    let scan = scan();
    let out = text(&scan.report(), TextOptions::default());
    // The emoji is one character but two terminal cells wide: the carets must account for that.
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("{name: \"🚀sidecar\""))
        .unwrap();
    let snippet = lines[at];
    let carets = lines[at + 1];
    let cells_before = unicode_width_of(&snippet[..snippet.find("envoy").unwrap()]);
    assert_eq!(
        unicode_width_of(&carets[..carets.find('^').unwrap()]),
        cells_before
    );
    assert_eq!(carets.matches('^').count(), "envoy:latest".len());
}

fn unicode_width_of(s: &str) -> usize {
    // Only ASCII and the one emoji appear in these lines.
    s.chars().map(|c| if c == '🚀' { 2 } else { 1 }).sum()
}

#[test]
fn sensitive_spans_are_redacted_even_with_everything_shown() {
    let scan = scan();
    let out = text(
        &scan.report(),
        TextOptions {
            color: true,
            show_suppressed: true,
            show_fixes: true,
        },
    );
    for secret in SECRETS {
        assert!(!out.contains(secret), "`{secret}` leaked:\n{out}");
    }
    assert!(out.contains("  DB_PASSWORD: ****"), "{out}");
    assert!(out.contains("  tls.key: ****"), "{out}");
}

#[test]
fn scanned_text_cannot_drive_the_terminal() {
    let mut scan = scan();
    scan.findings[1].object.as_mut().unwrap().name = "api\x1b]0;pwned\x07\x1b[2J".into();
    scan.findings[1].message = "tag `\x1b[31mlatest`".into();
    let out = text(&scan.report(), TextOptions::default());
    assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
}

#[test]
fn clean_scan() {
    let sources = sources();
    let report = Report::new(
        &[],
        &sources,
        Summary {
            objects: 3,
            sources: 1,
            rules_run: 20,
            incomplete: false,
            duration_ms: 7,
            fail_on: None,
            not_evaluated: Vec::new(),
        },
    );
    insta::assert_snapshot!(text(&report, TextOptions::default()), @r"
    No findings
    Scanned 3 objects from 1 source with 20 rules in 7 ms
    ");
}
