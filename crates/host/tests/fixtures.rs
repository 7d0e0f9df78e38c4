//! Fixture node roots: collect + evaluate each root under `fixtures/roots/` and compare every check's
//! status with `fixtures/expected/<root>.json`. Git keeps neither modes nor owners, so each root is copied
//! to a temporary directory and its `MODES` file applied first. Ownership needs root; without it, the
//! file-permission checks are left out of the comparison.
//!
//! Regenerate the expectations after a deliberate change with `KUBEWARD_BLESS=1 cargo test -p kubeward-host`.

// Test helpers outside #[test] functions: panicking on a broken fixture is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

use kubeward_host::{CollectOptions, EvalOptions, Status, collect, evaluate, render_text};

/// 2026-07-01T00:00:00Z: fixture certificates and release dates are judged as of this day.
const TODAY: i64 = 1_782_864_000;

const PERMISSION_CHECKS: &[&str] = &[
    "CP060", "CP061", "CP062", "CP063", "CP064", "CP065", "CP066", "CP067", "CP068", "CP069",
    "KLT020", "KLT021", "KLT022", "KLT023", "KLT024", "ETCD010", "ETCD011",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn is_root() -> bool {
    std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            if e.file_type().unwrap().is_dir() {
                out.extend(files_below(&e.path()));
            } else {
                out.push(e.path());
            }
        }
    }
    out
}

/// Apply `MODES`: `<octal mode> [<uid>:<gid>] <path>`, where `dir/*` means every file below `dir` and
/// `dir/*.ext` every file below `dir` ending in `.ext`; a bare `*` is every file of the root.
fn apply_modes(root: &Path) {
    let spec = std::fs::read_to_string(root.join("MODES")).unwrap();
    for line in spec
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let mode = u32::from_str_radix(parts[0], 8).unwrap();
        let (owner, pattern) = if parts.len() == 3 {
            (Some(parts[1]), parts[2])
        } else {
            (None, parts[1])
        };
        let targets: Vec<PathBuf> = if let Some((dir, glob)) = pattern.rsplit_once("/*") {
            files_below(&root.join(dir))
                .into_iter()
                .filter(|p| p.to_string_lossy().ends_with(glob))
                .collect()
        } else if pattern == "*" {
            files_below(root)
        } else {
            vec![root.join(pattern)]
        };
        for t in targets {
            std::fs::set_permissions(&t, std::fs::Permissions::from_mode(mode)).unwrap();
            if let (Some(o), true) = (owner, is_root()) {
                let (u, g) = o.split_once(':').unwrap();
                std::os::unix::fs::chown(&t, Some(u.parse().unwrap()), Some(g.parse().unwrap()))
                    .unwrap();
            }
        }
    }
}

fn prepare(name: &str) -> PathBuf {
    let tmp = std::env::temp_dir().join(format!(
        "kubeward-host-fixture-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&tmp);
    copy_dir(&fixtures().join("roots").join(name), &tmp);
    apply_modes(&tmp);
    tmp
}

fn options(name: &str) -> EvalOptions {
    let kubelets: &[&str] = match name {
        "kubeadm-secure" => &["v1.34.11", "v1.34.10"],
        "kubeadm-insecure" => &["v1.29.3", "v1.25.16"],
        "k3s" => &["v1.33.5+k3s1"],
        "rke2" => &["v1.33.5+rke2r1"],
        _ => &["v1.32.9-eks-abcdef"],
    };
    EvalOptions {
        now: TODAY,
        cluster_version: match name {
            "k3s" => Some("v1.33.5+k3s1".into()),
            "managed-worker-like" => Some("v1.33.4-eks-1234567".into()),
            _ => None,
        },
        kubelet_versions: kubelets.iter().map(|s| s.to_string()).collect(),
        ..EvalOptions::default()
    }
}

fn run(name: &str) {
    let root = prepare(name);
    let start = Instant::now();
    let facts = collect(&root, &CollectOptions { read_proc: true }).unwrap();
    let report = evaluate(&facts, &options(name)).unwrap();
    let elapsed = start.elapsed();
    assert!(
        elapsed.as_secs_f64() < 1.0,
        "{name}: collect+evaluate took {elapsed:?}"
    );
    let mut text = Vec::new();
    render_text(&report, &mut text).unwrap();
    // The temporary copy's path changes every run; keep the sample output stable.
    let text = String::from_utf8(text).unwrap().replace(
        &root.display().to_string(),
        &format!("fixtures/roots/{name}"),
    );
    let _ = std::fs::remove_dir_all(&root);
    assert!(
        report.issues.is_empty(),
        "{name}: collection issues {:?}",
        report.issues
    );

    let actual: BTreeMap<String, Status> = report
        .results
        .iter()
        .map(|r| (r.id.clone(), r.status))
        .collect();
    let expected_path = fixtures().join("expected").join(format!("{name}.json"));
    if std::env::var_os("KUBEWARD_BLESS").is_some() {
        let mut body = serde_json::to_string_pretty(&actual).unwrap();
        body.push('\n');
        std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
        std::fs::write(&expected_path, body).unwrap();
        std::fs::write(
            fixtures().join("expected").join(format!("{name}.txt")),
            &text,
        )
        .unwrap();
        return;
    }
    let expected: BTreeMap<String, Status> =
        serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
    let skip = |id: &str| !is_root() && PERMISSION_CHECKS.contains(&id);
    let mut diffs = Vec::new();
    for (id, want) in &expected {
        if skip(id) {
            continue;
        }
        match actual.get(id) {
            Some(got) if got == want => {}
            got => {
                let r = report.results.iter().find(|r| &r.id == id);
                diffs.push(format!(
                    "{id}: expected {want:?}, got {got:?} — {}",
                    r.map(|r| r.message.as_str()).unwrap_or("")
                ));
            }
        }
    }
    for id in actual.keys() {
        if !expected.contains_key(id) {
            diffs.push(format!("{id}: new check without an expectation"));
        }
    }
    assert!(diffs.is_empty(), "{name}:\n{}", diffs.join("\n"));
}

#[test]
fn kubeadm_secure() {
    run("kubeadm-secure");
}

#[test]
fn kubeadm_insecure() {
    run("kubeadm-insecure");
}

#[test]
fn k3s() {
    run("k3s");
}

#[test]
fn rke2() {
    run("rke2");
}

#[test]
fn managed_worker_like() {
    run("managed-worker-like");
}
