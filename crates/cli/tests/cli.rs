//! End-to-end tests of the `kubeward` binary: exit codes, formats, stdin, suppressions, bad input,
//! Helm and Kustomize (with the real binaries when installed).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kubeward() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kubeward"));
    cmd.env_remove("NO_COLOR").env("KUBEWARD_TEST", "1");
    cmd
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    kubeward().args(args).current_dir(repo()).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn scan_stdin(yaml: &str, args: &[&str]) -> Output {
    let mut child = kubeward()
        .args(["scan", "-", "--no-config"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // kubeward may reject its arguments before reading stdin; a closed pipe here is not a failure.
    let _ = child.stdin.take().unwrap().write_all(yaml.as_bytes());
    child.wait_with_output().unwrap()
}

const PRIVILEGED_Y: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    image: registry.example.com/c:1.0.0\n    securityContext:\n      privileged: Y\n";

#[test]
fn insecure_example_fails_and_points_at_the_value() {
    let o = run(&["scan", "examples/insecure-shop", "--color", "never"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("POD001"), "{out}");
    assert!(out.contains("shop.yaml:27:23"), "{out}");
    assert!(
        !out.contains("correct-horse-battery"),
        "secret printed:\n{out}"
    );
    assert!(!out.contains('\u{1b}'), "colour without a terminal");
}

#[test]
fn hardened_example_passes() {
    let o = run(&["scan", "examples/hardened", "--fail-on", "info"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
}

#[test]
fn stdin_and_yaml_1_1_spellings() {
    let o = scan_stdin(PRIVILEGED_Y, &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["id"] == "POD001")
        .unwrap()
        .clone();
    assert_eq!(f["location"]["line"], 9);
    assert_eq!(f["location"]["column"], 19);
}

#[test]
fn fail_on_threshold_and_never() {
    let o = scan_stdin(PRIVILEGED_Y, &["--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0));
    let o = scan_stdin(
        PRIVILEGED_Y,
        &["--fail-on", "critical", "--select", "POD002"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "a medium finding does not fail at critical"
    );
    let o = scan_stdin(PRIVILEGED_Y, &["--fail-on", "severe"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn every_format_to_files_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let p = |n: &str| dir.path().join(n).display().to_string();
    let o = run(&[
        "scan",
        "examples/insecure-shop",
        "--format",
        &format!("json={}", p("out.json")),
        "--format",
        &format!("sarif={}", p("out.sarif")),
        "--format",
        &format!("junit={}", p("out.xml")),
        "--format",
        &format!("markdown={}", p("out.md")),
        "--format",
        "text",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("out.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p("out.json")).unwrap()).unwrap();
    assert!(json["findings"].as_array().unwrap().len() > 5);
    assert!(
        std::fs::read_to_string(p("out.xml"))
            .unwrap()
            .contains("<testsuite")
    );
    assert!(
        std::fs::read_to_string(p("out.md"))
            .unwrap()
            .contains("POD001")
    );
    for f in ["out.json", "out.sarif", "out.xml", "out.md"] {
        assert!(
            !std::fs::read_to_string(p(f))
                .unwrap()
                .contains("correct-horse-battery"),
            "{f} leaks a secret"
        );
    }
}

#[test]
fn unknown_rules_and_flags_are_errors_with_suggestions() {
    let o = run(&[
        "scan",
        "examples/hardened",
        "--select",
        "privileged-containr",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean `privileged-container`"),
        "{}",
        stderr(&o)
    );
    let o = run(&["scan", "examples/hardened", "--fail-onn", "high"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--fail-on"), "{}", stderr(&o));
    let o = run(&["rules", "explain", "POD01"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn bad_input_is_reported_and_the_rest_is_scanned() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.yaml"), "kind: [\n").unwrap();
    std::fs::write(dir.path().join("good.yaml"), PRIVILEGED_Y).unwrap();
    std::fs::write(dir.path().join("binary.yaml"), b"\x00\x01\x02").unwrap();
    // A 1 GiB sparse file: refused by size without being read.
    let big = std::fs::File::create(dir.path().join("huge.yaml")).unwrap();
    big.set_len(1 << 30).unwrap();
    let o = kubeward()
        .args(["scan", "--no-config", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "an incomplete scan exits 2");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let ids: Vec<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"]["id"].as_str().unwrap())
        .collect();
    for id in ["KW001", "KW002", "KW003", "POD001"] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[test]
fn config_suppressions_are_counted_not_hidden() {
    let o = run(&["scan", "examples/insecure-shop", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let suppressed: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("suppression").is_some_and(|s| !s.is_null()))
        .collect();
    assert_eq!(suppressed.len(), 1, "{json}");
    assert_eq!(suppressed[0]["rule"]["id"], "POD004");
}

#[test]
fn broken_pipe_exits_zero() {
    let mut child = kubeward()
        .args([
            "scan",
            "examples/insecure-shop",
            "--fail-on",
            "never",
            "--color",
            "never",
        ])
        .current_dir(repo())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    assert!(
        status.code() == Some(0) || status.code() == Some(1),
        "{status:?}"
    );
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn rules_list_and_explain() {
    let o = run(&["rules", "list"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("POD001"));
    let o = run(&["rules", "explain", "privileged-container"]);
    assert!(stdout(&o).contains("## Why is this bad?"));
    let o = run(&["rules", "list", "--format", "json"]);
    let rules: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(rules.as_array().unwrap().len() >= 20);
}

fn have(program: &str) -> bool {
    kubeward_source::find_program(program).is_some()
}

#[test]
fn helm_chart_is_rendered_with_template_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("web");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(chart.join("values.yaml"), "privileged: false\n").unwrap();
    std::fs::write(
        chart.join("templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n  - name: web\n    image: registry.example.com/web:1.0.0\n    securityContext:\n      privileged: {{ .Values.privileged }}\n",
    )
    .unwrap();
    if !have("helm") {
        let o = kubeward()
            .args(["scan", "--no-config", "--format", "json"])
            .arg(&chart)
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "a chart without helm is never skipped silently"
        );
        assert!(stdout(&o).contains("KW005"));
        eprintln!("helm not installed: checked the missing-binary path only");
        return;
    }
    let o = kubeward()
        .args([
            "scan",
            "--no-config",
            "--format",
            "json",
            "--helm-set",
            "privileged=true",
        ])
        .arg(&chart)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("POD001"), "{text}");
    assert!(
        text.contains("web/templates/pod.yaml"),
        "template provenance missing: {text}"
    );
}

#[test]
fn kustomize_overlay_is_rendered() {
    if !have("kubectl") {
        eprintln!("kubectl not installed: skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("kustomization.yaml"),
        "resources: [pod.yaml]\nnamespace: team\n",
    )
    .unwrap();
    // kustomize reads YAML 1.2 and re-emits `privileged: Y` as the string "Y" (which the API server
    // rejects), so the rendered output — what is really applied — is what gets judged. Use `true`.
    std::fs::write(
        dir.path().join("pod.yaml"),
        PRIVILEGED_Y.replace("privileged: Y", "privileged: true"),
    )
    .unwrap();
    let o = kubeward()
        .args(["scan", "--no-config", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}{}", stdout(&o), stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"]["id"] == "POD001")
        .unwrap()
        .clone();
    assert_eq!(f["object"]["namespace"], "team");
}

/// Every file of the shared real-world corpus is scanned or reported with a KW finding, nothing
/// panics, and every object the corpus index lists is accounted for. Skips without `../shared`.
#[test]
fn realworld_corpus_is_scanned_or_reported() {
    let corpus = repo().join("../shared/corpus/realworld");
    if !corpus.is_dir() {
        eprintln!("../shared/corpus/realworld not present: skipped");
        return;
    }
    let o = kubeward()
        .args([
            "scan",
            "--no-config",
            "--format",
            "json",
            "--fail-on",
            "never",
        ])
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(matches!(o.status.code(), Some(0 | 2)), "{:?}", o.status);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let reported: std::collections::HashSet<String> = findings
        .iter()
        .filter(|f| f["rule"]["id"].as_str().unwrap().starts_with("KW"))
        .filter_map(|f| f["location"]["file"].as_str().map(str::to_string))
        .collect();
    // Every file is YAML that kubectl reads (including indentation YAML 1.2 forbids but libyaml and
    // Go's yaml accept, as Tekton's and Argo CD's files use it).
    let unparsed: Vec<&str> = findings
        .iter()
        .filter(|f| f["rule"]["id"] == "KW001")
        .filter_map(|f| f["location"]["file"].as_str())
        .collect();
    assert!(unparsed.is_empty(), "{unparsed:#?}");
    let index = std::fs::read_to_string(corpus.join("index.jsonl")).unwrap();
    let mut expected_objects = 0;
    let mut files = 0;
    for line in index.lines() {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let file = corpus.join(entry["file"].as_str().unwrap());
        assert!(file.is_file(), "{}", file.display());
        files += 1;
        if !reported
            .iter()
            .any(|r| r.ends_with(entry["file"].as_str().unwrap()))
        {
            // The index counts a `List` document as an object besides its items; kubeward, like
            // kubectl, reads only the items.
            let lists = entry["kinds"]["List"].as_u64().unwrap_or(0);
            expected_objects += entry["n_objects"].as_u64().unwrap() - lists;
        }
    }
    let objects = json["summary"]["objects"].as_u64().unwrap();
    assert!(files > 5000);
    // Files with a KW finding may hold fewer objects (a broken document is skipped); every other
    // file's objects must all be there.
    assert!(
        objects >= expected_objects,
        "{objects} objects < {expected_objects} expected"
    );
}

/// `privileged: on` in a CronJob's ephemeral container, on a line with non-ASCII text before it, is
/// found with the right line and column in text and in SARIF (UTF-16 columns).
#[test]
fn cronjob_ephemeral_privileged_position_in_text_and_sarif() {
    let yaml = "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers: [{name: a, image: \"registry.example.com/a:1.0.0\"}]\n          ephemeralContainers:\n          - {name: \"dbg-😀\", image: \"registry.example.com/d:1.0.0\", securityContext: {privileged: on}}\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cron.yaml");
    std::fs::write(&file, yaml).unwrap();
    let o = kubeward()
        .args([
            "scan",
            "--no-config",
            "--select",
            "POD001",
            "--color",
            "never",
            "--format",
            "text",
            "--format",
        ])
        .arg(format!("sarif={}", dir.path().join("out.sarif").display()))
        .arg(&file)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The value `on` is character 98 (1-based) of line 12; the emoji is one character, two UTF-16 units.
    assert!(stdout(&o).contains("cron.yaml:12:98"), "{}", stdout(&o));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out.sarif")).unwrap())
            .unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 12);
    assert_eq!(region["startColumn"], 99);
}
