#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_report::{Format, TextOptions};

#[test]
fn junit_snapshot() {
    let scan = scan();
    insta::assert_snapshot!(render_to_string(
        Format::Junit,
        &scan.report(),
        &TextOptions::default()
    ));
}

/// Parses the report with `junitparser`, the library CI tools and test-report actions build on.
#[test]
fn junitparser_reads_the_report() {
    let mut scan = scan();
    // Characters XML cannot carry, and markup, in attacker-controlled names and messages.
    scan.findings[1].message = "tag `<latest>` & \"quotes\" ]]> \u{1}\u{1b}[31m".into();
    let out = render_to_string(Format::Junit, &scan.report(), &TextOptions::default());
    let script = r#"
import sys, json
from junitparser import JUnitXml, Failure, Skipped, Error
xml = JUnitXml.fromstring(sys.stdin.read())
suites = []
for suite in xml:
    cases = []
    for case in suite:
        kinds = [type(r).__name__ for r in case.result]
        messages = [r.message for r in case.result]
        cases.append({"name": case.name, "classname": case.classname, "results": kinds, "messages": messages})
    suites.append({"name": suite.name, "tests": suite.tests, "failures": suite.failures,
                   "skipped": suite.skipped, "errors": suite.errors, "cases": cases})
print(json.dumps(suites))
"#;
    let Some((ok, output)) = python("junitparser", script, &out) else {
        return;
    };
    assert!(ok, "junitparser failed:\n{output}\n{out}");
    let suites: serde_json::Value = serde_json::from_str(&output).unwrap();
    let names: Vec<&str> = suites
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "POD003 runs-as-root",
            "IMG001 image-tag-mutable",
            "POD002 privilege-escalation-allowed",
            "POD001 privileged-container",
            "SEC001 credential-in-config-map",
            "POD004 host-namespaces",
            "KW001 invalid-yaml",
            "NET001 namespace-without-network-policy",
            "kubeward",
        ]
    );
    // Two IMG001 findings on one Deployment are one test case.
    let img = &suites[1];
    assert_eq!(img["tests"], 1);
    assert_eq!(img["failures"], 1);
    assert_eq!(img["cases"][0]["name"], "Deployment payments/api");
    assert_eq!(img["cases"][0]["results"][0], "Failure");
    assert_eq!(
        img["cases"][0]["messages"][0],
        "tag `<latest>` & \"quotes\" ]]> \u{FFFD}\u{FFFD}[31m"
    );
    assert_eq!(suites[0]["cases"][0]["results"][0], "Skipped");
    assert_eq!(suites[0]["skipped"], 1);
    // The incomplete scan is an error of the `kubeward` suite.
    assert_eq!(suites[8]["errors"], 1);
    assert_eq!(suites[8]["cases"][0]["results"][0], "Error");
}
