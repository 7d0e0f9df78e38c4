//! Small hand-built node roots that pin down Kubernetes semantics the fixtures do not isolate: which
//! source wins, YAML 1.1 scalars, and that a missing file is never a pass.

// Test helpers outside #[test] functions: panicking on a broken setup is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use kubeward_host::{
    CheckResult, CollectOptions, EvalOptions, NodeReport, Status, collect, evaluate,
};

struct Root(PathBuf);

impl Root {
    fn new(name: &str) -> Root {
        let p =
            std::env::temp_dir().join(format!("kubeward-host-sem-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Root(p)
    }

    fn file(&self, path: &str, text: &str) -> &Root {
        let p = self.0.join(path.trim_start_matches('/'));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    fn scan(&self, read_proc: bool) -> NodeReport {
        let facts = collect(&self.0, &CollectOptions { read_proc }).unwrap();
        evaluate(
            &facts,
            &EvalOptions {
                now: 1_782_864_000,
                ..EvalOptions::default()
            },
        )
        .unwrap()
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn result<'a>(r: &'a NodeReport, id: &str) -> &'a CheckResult {
    r.result(id).unwrap_or_else(|| panic!("no result {id}"))
}

const POD_HEAD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\nspec:\n  containers:\n  - name: kube-apiserver\n    image: registry.k8s.io/kube-apiserver:v1.34.1\n    command:\n    - kube-apiserver\n";

#[test]
fn kubelet_flag_overrides_config_file() {
    let root = Root::new("flag-over-config");
    root.file("/var/lib/kubelet/config.yaml", "kind: KubeletConfiguration\nreadOnlyPort: 0\nauthentication:\n  anonymous:\n    enabled: off\n")
        .file(
            "/etc/systemd/system/kubelet.service",
            "[Service]\nExecStart=/usr/bin/kubelet \\\n  --config=/var/lib/kubelet/config.yaml \\\n  --read-only-port=10255\n",
        );
    let r = root.scan(false);
    let ro = result(&r, "KLT004");
    assert_eq!(ro.status, Status::Fail, "{}", ro.message);
    assert_eq!(
        ro.file.as_deref(),
        Some("/etc/systemd/system/kubelet.service")
    );
    assert_eq!(
        ro.line,
        Some(2),
        "continuation lines keep the ExecStart line"
    );
    // `off` is false in YAML 1.1, as the kubelet reads it.
    let anon = result(&r, "KLT001");
    assert_eq!(anon.status, Status::Pass, "{}", anon.message);
    assert_eq!(anon.line, Some(5));
}

#[test]
fn running_process_beats_manifest() {
    let root = Root::new("proc-over-manifest");
    root.file(
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        &format!("{POD_HEAD}    - --profiling=false\n"),
    )
    .file("/proc/4242/comm", "kube-apiserver\n")
    .file("/proc/4242/cmdline", "kube-apiserver\0--profiling=true\0");
    let manifest_only = root.scan(false);
    assert_eq!(result(&manifest_only, "CP016").status, Status::Pass);
    let with_proc = root.scan(true);
    let p = result(&with_proc, "CP016");
    assert_eq!(p.status, Status::Fail);
    assert_eq!(p.file.as_deref(), Some("/proc/4242/cmdline"));
}

#[test]
fn missing_files_are_never_a_pass() {
    let root = Root::new("missing");
    root.file(
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        &format!(
            "{POD_HEAD}    - --encryption-provider-config=/etc/kubernetes/enc/missing.yaml\n    - --audit-policy-file=/etc/kubernetes/audit/missing.yaml\n"
        ),
    );
    let r = root.scan(false);
    for id in ["CP028", "CP029", "CP033"] {
        assert_eq!(
            result(&r, id).status,
            Status::Manual,
            "{id}: {}",
            result(&r, id).message
        );
    }
    // Control-plane kubeconfigs that should exist but do not.
    assert_eq!(result(&r, "CP064").status, Status::Manual);
    assert_eq!(result(&r, "CP034").status, Status::NotApplicable);
}

#[test]
fn empty_root_passes_nothing() {
    let root = Root::new("empty");
    root.file("/README", "not a node\n");
    let r = root.scan(true);
    let passed: Vec<&str> = r
        .results
        .iter()
        .filter(|c| c.status == Status::Pass)
        .map(|c| c.id.as_str())
        .collect();
    assert!(passed.is_empty(), "passed on an empty root: {passed:?}");
    assert!(
        !r.issues.is_empty(),
        "an empty root should be reported as an incomplete scan"
    );
}

#[test]
fn sshd_first_value_wins_across_includes() {
    let root = Root::new("sshd");
    root.file("/etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian 13\"\n")
        .file("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nPasswordAuthentication no\n")
        .file("/etc/ssh/sshd_config.d/50-cloud-init.conf", "PasswordAuthentication yes\n")
        .file("/etc/ssh/sshd_config.d/10-a.conf", "PermitRootLogin yes\n");
    let r = root.scan(false);
    let root_login = result(&r, "HOST001");
    assert_eq!(root_login.status, Status::Fail);
    assert_eq!(
        root_login.file.as_deref(),
        Some("/etc/ssh/sshd_config.d/10-a.conf")
    );
    let pw = result(&r, "HOST002");
    assert_eq!(pw.status, Status::Fail);
    assert_eq!(
        pw.file.as_deref(),
        Some("/etc/ssh/sshd_config.d/50-cloud-init.conf")
    );
}

#[test]
fn k3s_kubelet_arg_beats_config_drop_in() {
    let root = Root::new("k3s-kubelet");
    root.file(
        "/etc/rancher/k3s/config.yaml",
        "kubelet-arg:\n  - read-only-port=10255\n",
    )
    .file(
        "/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf",
        "kind: KubeletConfiguration\nreadOnlyPort: 0\n",
    );
    let r = root.scan(false);
    let ro = result(&r, "KLT004");
    assert_eq!(ro.status, Status::Fail, "{}", ro.message);
    assert_eq!(ro.file.as_deref(), Some("/etc/rancher/k3s/config.yaml"));
    assert_eq!(ro.line, Some(2));
}

#[test]
fn json_report_has_what_reporters_need() {
    let root = Root::new("json");
    root.file(
        "/etc/kubernetes/manifests/kube-apiserver.yaml",
        &format!("{POD_HEAD}    - --anonymous-auth=true\n"),
    );
    let r = root.scan(false);
    let v = serde_json::to_value(&r).unwrap();
    let cp001 = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == "CP001")
        .unwrap();
    for key in [
        "column",
        "id",
        "name",
        "cis",
        "benchmark_ids",
        "severity",
        "title",
        "status",
        "message",
        "remediation",
        "file",
        "line",
        "evidence",
    ] {
        assert!(cp001.get(key).is_some(), "missing {key} in {cp001}");
    }
    assert_eq!(cp001["status"], "Fail");
    assert_eq!(cp001["line"], 11);
    assert_eq!(
        cp001["column"], 7,
        "column of the flag within `    - --anonymous-auth=true`"
    );
    assert!(Path::new(&r.root).is_absolute());
}

#[test]
fn kubelet_settings_unknown_when_named_config_is_missing() {
    let root = Root::new("kubelet-config-missing");
    root.file(
        "/etc/systemd/system/kubelet.service",
        "[Service]\nExecStart=/usr/bin/kubelet --config=/var/lib/kubelet/elsewhere.yaml --read-only-port=0\n",
    );
    let r = root.scan(false);
    // Decided by a flag: known.
    assert_eq!(result(&r, "KLT004").status, Status::Pass);
    // Would come from the unreadable file: unknown, never a default-based pass.
    for id in ["KLT001", "KLT005", "KLT006"] {
        assert_eq!(
            result(&r, id).status,
            Status::Manual,
            "{id}: {}",
            result(&r, id).message
        );
    }
    assert!(r.is_incomplete());
}

#[test]
fn ssh_on_a_custom_port_is_matched_against_firewall_rules() {
    let root = Root::new("ssh-port");
    root.file("/etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian 13\"\n")
        .file("/etc/ssh/sshd_config", "Port 2222\nPermitRootLogin no\nPasswordAuthentication no\n")
        .file(
            "/etc/iptables/rules.v4",
            "*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -s 10.0.0.0/8 -j ACCEPT\n-A INPUT -p tcp -m multiport --dports 443,2222 -j ACCEPT\nCOMMIT\n",
        );
    let r = root.scan(false);
    let ssh = result(&r, "HOST003");
    assert_eq!(ssh.status, Status::Fail, "{}", ssh.message);
    assert_eq!(
        ssh.line,
        Some(4),
        "the rule that opens 2222, not the one for 22"
    );
}

#[test]
fn k3s_service_command_line_counts() {
    let root = Root::new("k3s-unit");
    root.file("/etc/rancher/k3s/config.yaml", "kube-apiserver-arg:\n  - profiling=false\n")
        .file("/var/lib/rancher/k3s/server/.keep", "")
        .file(
            "/etc/systemd/system/k3s.service",
            "[Service]\nEnvironmentFile=-/etc/systemd/system/k3s.service.env\nExecStart=/usr/local/bin/k3s \\\n    server \\\n\t'--secrets-encryption' \\\n\t'--kube-apiserver-arg=anonymous-auth=true' \\\n",
        )
        .file("/etc/systemd/system/k3s.service.env", "K3S_TOKEN=TEST-FIXTURE-NOT-A-TOKEN\n");
    let r = root.scan(false);
    let anon = result(&r, "CP001");
    assert_eq!(anon.status, Status::Fail, "{}", anon.message);
    assert_eq!(
        anon.file.as_deref(),
        Some("/etc/systemd/system/k3s.service")
    );
    assert_eq!(anon.line, Some(3));
    // Config-file args still apply alongside the command line's.
    assert_eq!(result(&r, "CP016").status, Status::Pass);
    // `--secrets-encryption` on the command line: the generated file is expected but absent here.
    assert_eq!(
        result(&r, "CP028").status,
        Status::Manual,
        "{}",
        result(&r, "CP028").message
    );
}
