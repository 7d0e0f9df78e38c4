//! Replays kube-bench's own recorded test cases (`kube-bench-cfg/test-semantics/`) against our flag parser,
//! configuration reader and comparison operators. Skips cleanly when the shared reference data is absent
//! (a fresh clone has no `/work/shared`).

// Test helpers outside #[test] functions: panicking on a broken fixture is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use kubeward_host::compare::Op;
use kubeward_host::facts::{ConfigDoc, Origin, json_scalar};
use kubeward_host::flags::Flags;
use serde_json::Value;

fn data_dir() -> Option<PathBuf> {
    // Explicit override, then `shared/` beside the repository (how CI lays it out), then /work/shared.
    let repo_sibling =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let candidates = std::env::var_os("KUBEWARD_SHARED_DATA")
        .map(|p| vec![PathBuf::from(p)])
        .unwrap_or_else(|| vec![repo_sibling, PathBuf::from("/work/shared/data")]);
    candidates
        .into_iter()
        .map(|d| d.join("kube-bench-cfg/test-semantics"))
        .find(|d| d.join("oracle.json").exists())
}

fn scalar(v: &Value) -> String {
    json_scalar(v)
}

#[test]
fn compare_ops_match_kube_bench() {
    let Some(dir) = data_dir() else {
        eprintln!("skipping: kube-bench test-semantics not found");
        return;
    };
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("oracle.json")).unwrap()).unwrap();
    let mut replayed = 0;
    for case in oracle["compare_op_cases"].as_array().unwrap() {
        let op_name = case["op"].as_str().unwrap();
        let expected = case["testResult"].as_bool().unwrap();
        let flag_val = case["flagVal"].as_str().unwrap();
        let compare = case["compareValue"].as_str().unwrap();
        let got = match op_name {
            "regex" => continue, // not implemented: no check of ours uses it
            name => match Op::from_name(name) {
                Some(op) => op.test(flag_val, compare),
                None => false, // kube-bench fails unknown and empty ops
            },
        };
        assert_eq!(
            got, expected,
            "{}: {op_name}({flag_val:?}, {compare:?})",
            case["label"]
        );
        replayed += 1;
    }
    assert!(replayed >= 60, "only {replayed} cases replayed");
}

/// One kube-bench test item against a flag set (from a command line) or a config document.
fn item_passes(item: &Value, flags: Option<&Flags>, config: Option<&ConfigDoc>) -> Option<bool> {
    let want_set = item["set"].as_bool().unwrap_or(true);
    let value: Option<String> =
        if let Some(flag) = item["flag"].as_str().filter(|_| item.get("env").is_none()) {
            let name = flag.strip_prefix("--")?;
            flags?.get(name).map(|f| f.value.clone())
        } else if let Some(path) = item["path"].as_str() {
            let dotted = path.strip_prefix("{.")?.strip_suffix('}')?;
            config?.lookup(dotted).map(|(v, _)| scalar(v))
        } else {
            return None;
        };
    if value.is_some() != want_set {
        return Some(false);
    }
    let (Some(value), Some(compare)) = (value, item.get("compare")) else {
        return Some(true);
    };
    let op = compare["op"].as_str()?;
    if op == "regex" {
        return None;
    }
    Some(Op::from_name(op)?.test(&value, &scalar(&compare["value"])))
}

#[test]
fn execute_cases_match_kube_bench() {
    let Some(dir) = data_dir() else {
        eprintln!("skipping: kube-bench test-semantics not found");
        return;
    };
    let oracle: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("oracle.json")).unwrap()).unwrap();
    let checks_text = std::fs::read_to_string(dir.join("check_data.yaml"))
        .unwrap()
        .replace("$user", "root");
    let checks: Value = serde_saphyr::from_str(&checks_text).unwrap();
    let mut replayed = 0;
    for case in oracle["execute_cases"].as_array().unwrap() {
        if !case["audit_env_output"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
        {
            continue;
        }
        let check = &checks["groups"][case["check_ref"]["group"].as_u64().unwrap() as usize]["checks"]
            [case["check_ref"]["check"].as_u64().unwrap() as usize];
        let audit = case["audit_output"].as_str().unwrap();
        let config_text = case["audit_config_output"].as_str().unwrap();
        let flags = (!audit.is_empty()).then(|| Flags::parse_str(audit, &Origin::new("audit")));
        let config = (!config_text.is_empty()).then(|| ConfigDoc {
            path: "config".into(),
            value: serde_saphyr::from_str(config_text).unwrap(),
            text: config_text.into(),
        });
        let items = check["tests"]["test_items"].as_array().unwrap();
        let results: Option<Vec<bool>> = items
            .iter()
            .map(|i| item_passes(i, flags.as_ref(), config.as_ref()))
            .collect();
        let Some(results) = results else { continue };
        let passed = match check["tests"]["bin_op"].as_str() {
            Some("or") => results.iter().any(|r| *r),
            _ => results.iter().all(|r| *r),
        };
        assert_eq!(
            passed,
            case["expected_test_result"].as_bool().unwrap(),
            "check {} ({}) on {audit:?} / {config_text:?}",
            case["check_id"],
            case["check_text"]
        );
        replayed += 1;
    }
    assert!(replayed >= 20, "only {replayed} execute cases replayed");
}
