//! Messages in the API server's words, locations of the offending fields, and evaluation through the
//! templates of every pod-bearing kind.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use kubeward_pss::{Level, Version, active_check_ids, check_ids, checks};
use support::{eval, objects, pod, pod_with, raw_pod};

fn messages(yaml: &str, level: &str, version: &str) -> Vec<String> {
    eval(yaml, level, version)
        .violations
        .iter()
        .map(|v| v.message())
        .collect()
}

#[test]
fn messages_name_the_field_the_container_and_the_value() {
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (pod("", "privileged: true"), "baseline", "latest",
         r#"privileged (container "app" must not set securityContext.privileged=true)"#),
        (pod("hostNetwork: true, hostIPC: true", ""), "baseline", "latest",
         "host namespaces (hostNetwork=true, hostIPC=true)"),
        (pod("", "capabilities: {add: [SYS_ADMIN, NET_RAW, CHOWN]}"), "baseline", "latest",
         r#"non-default capabilities (container "app" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add)"#),
        (pod("volumes: [{name: a, hostPath: {path: /}}, {name: b, hostPath: {path: /etc}}]", ""), "baseline", "latest",
         r#"hostPath volumes (volumes "a", "b")"#),
        (pod("", "").replace("image: i,", "image: i, ports: [{containerPort: 80, hostPort: 80}, {containerPort: 9, hostPort: 443}],"), "baseline", "latest",
         r#"hostPort (container "app" uses hostPorts 443, 80)"#),
        (pod_with("container.apparmor.security.beta.kubernetes.io/app: unconfined", "", ""), "baseline", "latest",
         r#"forbidden AppArmor profile (annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/app="unconfined"")"#),
        (pod("securityContext: {appArmorProfile: {type: Unconfined}}", ""), "baseline", "latest",
         r#"forbidden AppArmor profile (pod must not set AppArmor profile type to "Unconfined")"#),
        (pod("securityContext: {seLinuxOptions: {type: spc_t}}", "seLinuxOptions: {user: u}"), "baseline", "latest",
         r#"seLinuxOptions (pod and container "app" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set)"#),
        (pod("", "procMount: Unmasked"), "baseline", "latest",
         r#"procMount (container "app" must not set securityContext.procMount to "Unmasked")"#),
        (pod("securityContext: {seccompProfile: {type: Unconfined}}", ""), "baseline", "latest",
         r#"seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")"#),
        (pod_with("seccomp.security.alpha.kubernetes.io/pod: unconfined", "", ""), "baseline", "v1.18",
         r#"seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined")"#),
        (pod("securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}, {name: kernel.sem, value: '1'}]}", ""), "baseline", "latest",
         "forbidden sysctls (kernel.msgmax, kernel.sem)"),
        (pod("securityContext: {windowsOptions: {hostProcess: true}}", "windowsOptions: {hostProcess: true}"), "baseline", "latest",
         r#"hostProcess (pod and container "app" must not set securityContext.windowsOptions.hostProcess=true)"#),
        (pod("", "").replace("image: i,", "image: i, readinessProbe: {httpGet: {host: 169.254.169.254, port: 80}},"), "baseline", "latest",
         r#"probe or lifecycle host (container "app" uses probe or lifecycle host "169.254.169.254")"#),
        (pod("volumes: [{name: data, nfs: {server: s, path: /}}]", ""), "restricted", "latest",
         r#"restricted volume types (volume "data" uses restricted volume type "nfs")"#),
        (pod("", "allowPrivilegeEscalation: null"), "restricted", "latest",
         r#"allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false)"#),
        (pod("", "capabilities: {add: [SYS_TIME]}"), "restricted", "latest",
         r#"unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]; container "app" must not include "SYS_TIME" in securityContext.capabilities.add)"#),
        (pod("securityContext: {runAsNonRoot: false}", "runAsNonRoot: false"), "restricted", "latest",
         r#"runAsNonRoot != true (pod and container "app" must not set securityContext.runAsNonRoot=false)"#),
        (pod("", "runAsNonRoot: null"), "restricted", "latest",
         r#"runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true)"#),
        (pod("securityContext: {runAsUser: 0}", ""), "restricted", "latest",
         "runAsUser=0 (pod must not set runAsUser=0)"),
        (pod("", "seccompProfile: null"), "restricted", "latest",
         r#"seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#),
    ];
    for (yaml, level, version, expected) in cases {
        assert_eq!(messages(&yaml, level, version), [expected], "{yaml}");
    }
}

#[test]
fn admission_message_reads_like_the_api_server() {
    let e = eval(
        &pod("hostPID: true", "privileged: true"),
        "baseline",
        "v1.30",
    );
    assert_eq!(
        e.admission_message(Level::Baseline, Version::V1(30))
            .unwrap(),
        r#"violates PodSecurity "baseline:v1.30": host namespaces (hostPID=true), privileged (container "app" must not set securityContext.privileged=true)"#
    );
    let ok = eval(&pod("", ""), "restricted", "latest");
    assert_eq!(
        ok.admission_message(Level::Restricted, Version::Latest),
        None
    );
}

#[test]
fn locations_point_at_the_offending_values() {
    let yaml = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n  - name: app\n    image: i\n    securityContext:\n      privileged: true\n";
    let e = eval(yaml, "baseline", "latest");
    let at = |check: &str| {
        let v = e.violations.iter().find(|v| v.check == check).unwrap();
        (v.locations[0].start.line, v.locations[0].start.col)
    };
    assert_eq!(at("hostNamespaces"), (5, 15));
    assert_eq!(at("privileged"), (10, 18));
}

#[test]
fn workloads_are_evaluated_through_their_pod_templates() {
    let yaml = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: c
  annotations: {container.apparmor.security.beta.kubernetes.io/a: unconfined}
spec:
  jobTemplate:
    spec:
      template:
        metadata:
          annotations: {container.apparmor.security.beta.kubernetes.io/b: unconfined}
        spec:
          ephemeralContainers: [{name: e, image: i, securityContext: {capabilities: {add: [SYS_PTRACE]}}}]
          containers: [{name: b, image: i}]
";
    let msgs = messages(yaml, "baseline", "latest");
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    // The template's annotations count, not the CronJob's own.
    assert!(msgs[0].contains("kubernetes.io/b="), "{msgs:?}");
    assert!(!msgs[0].contains("kubernetes.io/a="), "{msgs:?}");
    assert!(
        msgs[1].contains(r#"container "e" must not include "SYS_PTRACE""#),
        "{msgs:?}"
    );

    for kind in [
        ("apps/v1", "Deployment"),
        ("apps/v1", "StatefulSet"),
        ("apps/v1", "DaemonSet"),
        ("apps/v1", "ReplicaSet"),
        ("batch/v1", "Job"),
        ("v1", "ReplicationController"),
    ] {
        let yaml = format!(
            "apiVersion: {}\nkind: {}\nmetadata: {{name: w}}\nspec:\n  template:\n    spec:\n      hostPID: true\n      containers: [{{name: a, image: i}}]\n",
            kind.0, kind.1
        );
        let objs = objects(&yaml);
        let e = kubeward_pss::evaluate_object(&objs[0], Level::Baseline, Version::Latest).unwrap();
        assert_eq!(e.violations[0].check, "hostNamespaces", "{}", kind.1);
    }
    let svc = objects("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n");
    assert!(kubeward_pss::evaluate_object(&svc[0], Level::Baseline, Version::Latest).is_none());
}

#[test]
fn null_is_unset_everywhere() {
    let yaml = raw_pod(
        "hostNetwork: null, securityContext: null, volumes: null, containers: [{name: a, image: i, securityContext: {privileged: null, capabilities: {add: null}, seccompProfile: null, procMount: null}, ports: null}]",
    );
    assert!(eval(&yaml, "baseline", "latest").allowed);
}

#[test]
fn check_catalogue_is_complete() {
    let ids: Vec<_> = check_ids().collect();
    for id in [
        "privileged",
        "hostNamespaces",
        "capabilities_baseline",
        "hostPathVolumes",
        "hostPorts",
        "appArmorProfile",
        "seLinuxOptions",
        "procMount",
        "seccompProfile_baseline",
        "sysctls",
        "windowsHostProcess",
        "hostProbesAndHostLifecycle",
        "restrictedVolumes",
        "allowPrivilegeEscalation",
        "runAsNonRoot",
        "runAsUser",
        "seccompProfile_restricted",
        "capabilities_restricted",
        "procMount_restricted",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    assert_eq!(ids.len(), 19);
    let sysctls = checks().into_iter().find(|c| c.id == "sysctls").unwrap();
    assert_eq!(sysctls.versions, [0, 27, 29, 32, 37]);
    let at_1_0 = active_check_ids(Level::Restricted, Version::V1(0));
    assert!(!at_1_0.contains(&"allowPrivilegeEscalation") && at_1_0.contains(&"runAsNonRoot"));
    assert_eq!(kubeward_pss::safe_sysctls(0).len(), 5);
    assert_eq!(kubeward_pss::safe_sysctls(37).len(), 14);
}

#[test]
fn single_checks_for_rules() {
    use kubeward_model::Workload;
    use kubeward_pss::evaluate_check;
    let objs = objects(&pod("", "runAsUser: 0"));
    let w = Workload::of(&objs[0]).unwrap();
    let v = evaluate_check(&w, "runAsUser", Version::Latest)
        .unwrap()
        .unwrap();
    assert_eq!(
        v.message(),
        r#"runAsUser=0 (container "app" must not set runAsUser=0)"#
    );
    assert_eq!(
        evaluate_check(&w, "runAsUser", Version::V1(22)).unwrap(),
        None
    );
    assert_eq!(
        evaluate_check(&w, "privileged", Version::Latest).unwrap(),
        None
    );
    assert_eq!(
        evaluate_check(&w, "nope", Version::Latest)
            .unwrap_err()
            .to_string(),
        "unknown Pod Security Admission check `nope`"
    );
    assert!(kubeward_pss::baseline_capabilities().contains(&"NET_BIND_SERVICE"));
}
