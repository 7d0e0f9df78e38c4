//! Check-by-check and version-boundary cases: each states the pod, the level and version, and exactly
//! which PSA checks fail.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::{ids, pod, pod_with, raw_pod};

struct Case {
    name: &'static str,
    yaml: String,
    level: &'static str,
    version: &'static str,
    expect: &'static [&'static str],
}

fn case(
    name: &'static str,
    yaml: String,
    level: &'static str,
    version: &'static str,
    expect: &'static [&'static str],
) -> Case {
    Case {
        name,
        yaml,
        level,
        version,
        expect,
    }
}

const B: &str = "baseline";
const R: &str = "restricted";
const L: &str = "latest";

fn cases() -> Vec<Case> {
    let init_priv = "initContainers: [{name: init, image: i, securityContext: {privileged: true}}]";
    let eph_priv =
        "ephemeralContainers: [{name: dbg, image: i, securityContext: {privileged: true}}]";
    let windows = "os: {name: windows}";
    let userns = "hostUsers: false";
    // Restricted-compliant except for the fields named: Linux-only settings left out.
    let bare_windows = raw_pod(
        "os: {name: windows}, securityContext: {runAsNonRoot: true}, containers: [{name: app, image: i}]",
    );
    vec![
        // --- the compliant pod itself, at every level
        case("compliant pod passes restricted", pod("", ""), R, L, &[]),
        case(
            "compliant pod passes restricted v1.0",
            pod("", ""),
            R,
            "v1.0",
            &[],
        ),
        case("compliant pod passes baseline", pod("", ""), B, L, &[]),
        case(
            "empty pod passes baseline",
            raw_pod("containers: [{name: a, image: i}]"),
            B,
            L,
            &[],
        ),
        case(
            "anything passes privileged",
            pod("hostNetwork: true", "privileged: true"),
            "privileged",
            L,
            &[],
        ),
        // --- privileged
        case(
            "privileged container",
            pod("", "privileged: true"),
            B,
            L,
            &["privileged"],
        ),
        case(
            "privileged at v1.0",
            pod("", "privileged: true"),
            B,
            "v1.0",
            &["privileged"],
        ),
        case("privileged false", pod("", "privileged: false"), B, L, &[]),
        case(
            "privileged null is unset",
            pod("", "privileged: null"),
            B,
            L,
            &[],
        ),
        case(
            "privileged init container",
            pod(init_priv, ""),
            B,
            L,
            &["privileged"],
        ),
        case(
            "privileged ephemeral container",
            pod(eph_priv, ""),
            B,
            L,
            &["privileged"],
        ),
        // --- hostNamespaces
        case(
            "hostNetwork",
            pod("hostNetwork: true", ""),
            B,
            L,
            &["hostNamespaces"],
        ),
        case(
            "hostPID",
            pod("hostPID: true", ""),
            B,
            L,
            &["hostNamespaces"],
        ),
        case(
            "hostIPC",
            pod("hostIPC: true", ""),
            B,
            "v1.0",
            &["hostNamespaces"],
        ),
        case(
            "host namespaces false",
            pod("hostNetwork: false, hostPID: false, hostIPC: false", ""),
            R,
            L,
            &[],
        ),
        // --- capabilities
        case(
            "NET_RAW added",
            pod("", "capabilities: {add: [NET_RAW]}"),
            B,
            L,
            &["capabilities_baseline"],
        ),
        case(
            "CAP_ prefix is not a default capability",
            pod("", "capabilities: {add: [CAP_CHOWN]}"),
            B,
            L,
            &["capabilities_baseline"],
        ),
        case(
            "lowercase is not a default capability",
            pod("", "capabilities: {add: [chown]}"),
            B,
            L,
            &["capabilities_baseline"],
        ),
        case(
            "default capability added",
            pod("", "capabilities: {add: [CHOWN, KILL, SYS_CHROOT]}"),
            B,
            L,
            &[],
        ),
        case(
            "restricted replaces baseline capabilities from v1.22",
            pod("", "capabilities: {add: [NET_RAW], drop: [ALL]}"),
            R,
            "v1.22",
            &["capabilities_restricted"],
        ),
        case(
            "restricted uses baseline capabilities before v1.22",
            pod("", "capabilities: {add: [NET_RAW], drop: [ALL]}"),
            R,
            "v1.21",
            &["capabilities_baseline"],
        ),
        case(
            "default capability added under restricted",
            pod("", "capabilities: {add: [CHOWN], drop: [ALL]}"),
            R,
            L,
            &["capabilities_restricted"],
        ),
        case(
            "NET_BIND_SERVICE allowed under restricted",
            pod("", "capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}"),
            R,
            L,
            &[],
        ),
        case(
            "drop ALL missing",
            pod("", "capabilities: {drop: [NET_RAW]}"),
            R,
            L,
            &["capabilities_restricted"],
        ),
        case(
            "drop all lowercase",
            pod("", "capabilities: {drop: [all]}"),
            R,
            L,
            &["capabilities_restricted"],
        ),
        case(
            "capabilities null",
            pod("", "capabilities: null"),
            R,
            L,
            &["capabilities_restricted"],
        ),
        case(
            "drop ALL not needed before v1.22",
            pod("", "capabilities: null"),
            R,
            "v1.21",
            &[],
        ),
        case(
            "init container must drop ALL",
            pod(
                "initContainers: [{name: init, image: i, securityContext: {allowPrivilegeEscalation: false, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}}]",
                "",
            ),
            R,
            L,
            &["capabilities_restricted"],
        ),
        // --- hostPath and restricted volumes
        case(
            "hostPath volume",
            pod("volumes: [{name: h, hostPath: {path: /}}]", ""),
            B,
            L,
            &["hostPathVolumes"],
        ),
        case(
            "hostPath reported by restrictedVolumes under restricted",
            pod("volumes: [{name: h, hostPath: {path: /}}]", ""),
            R,
            L,
            &["restrictedVolumes"],
        ),
        case(
            "hostPath null is a defaulted emptyDir",
            pod("volumes: [{name: h, hostPath: null}]", ""),
            R,
            L,
            &[],
        ),
        case(
            "volume without a source defaults to emptyDir",
            pod("volumes: [{name: v}]", ""),
            R,
            L,
            &[],
        ),
        case(
            "nfs allowed by baseline",
            pod("volumes: [{name: data, nfs: {server: s, path: /}}]", ""),
            B,
            L,
            &[],
        ),
        case(
            "nfs restricted",
            pod("volumes: [{name: data, nfs: {server: s, path: /}}]", ""),
            R,
            L,
            &["restrictedVolumes"],
        ),
        case(
            "gitRepo restricted at v1.0",
            pod("volumes: [{name: g, gitRepo: {repository: r}}]", ""),
            R,
            "v1.0",
            &["restrictedVolumes"],
        ),
        case(
            "allowed volume types",
            pod(
                "volumes: [{name: a, configMap: {name: c}}, {name: b, secret: {secretName: s}}, {name: c, emptyDir: {}}, {name: d, persistentVolumeClaim: {claimName: c}}, {name: e, projected: {sources: []}}, {name: f, downwardAPI: {}}, {name: g, csi: {driver: d}}, {name: h, ephemeral: {}}]",
                "",
            ),
            R,
            L,
            &[],
        ),
        case(
            "image volume allowed at every version",
            pod("volumes: [{name: i, image: {reference: r}}]", ""),
            R,
            "v1.25",
            &[],
        ),
        // --- hostPorts
        case(
            "hostPort",
            pod("", "").replace(
                "image: i,",
                "image: i, ports: [{containerPort: 80, hostPort: 8080}],",
            ),
            B,
            L,
            &["hostPorts"],
        ),
        case(
            "hostPort 0 is unset",
            pod("", "").replace(
                "image: i,",
                "image: i, ports: [{containerPort: 80, hostPort: 0}],",
            ),
            B,
            L,
            &[],
        ),
        case(
            "hostPort on ephemeral container",
            pod(
                "ephemeralContainers: [{name: e, image: i, ports: [{containerPort: 1, hostPort: 1}]}]",
                "",
            ),
            B,
            L,
            &["hostPorts"],
        ),
        // --- AppArmor
        case(
            "AppArmor annotation unconfined",
            pod_with(
                "container.apparmor.security.beta.kubernetes.io/app: unconfined",
                "",
                "",
            ),
            B,
            L,
            &["appArmorProfile"],
        ),
        case(
            "AppArmor annotation unconfined at v1.0",
            pod_with(
                "container.apparmor.security.beta.kubernetes.io/app: unconfined",
                "",
                "",
            ),
            B,
            "v1.0",
            &["appArmorProfile"],
        ),
        case(
            "AppArmor annotation runtime/default",
            pod_with(
                "container.apparmor.security.beta.kubernetes.io/app: runtime/default",
                "",
                "",
            ),
            R,
            L,
            &[],
        ),
        case(
            "AppArmor annotation localhost",
            pod_with(
                "container.apparmor.security.beta.kubernetes.io/app: localhost/prof",
                "",
                "",
            ),
            R,
            L,
            &[],
        ),
        case(
            "AppArmor annotation empty",
            pod_with(
                "container.apparmor.security.beta.kubernetes.io/app: ''",
                "",
                "",
            ),
            R,
            L,
            &[],
        ),
        case(
            "AppArmor field Unconfined on pod",
            pod("securityContext: {appArmorProfile: {type: Unconfined}}", ""),
            B,
            L,
            &["appArmorProfile"],
        ),
        case(
            "AppArmor field checked at old versions",
            pod("", "appArmorProfile: {type: Unconfined}"),
            B,
            "v1.20",
            &["appArmorProfile"],
        ),
        case(
            "AppArmor field Localhost",
            pod(
                "",
                "appArmorProfile: {type: Localhost, localhostProfile: p}",
            ),
            R,
            L,
            &[],
        ),
        case(
            "AppArmor field RuntimeDefault on pod",
            pod(
                "securityContext: {appArmorProfile: {type: RuntimeDefault}}",
                "",
            ),
            R,
            L,
            &[],
        ),
        // --- SELinux
        case(
            "SELinux spc_t",
            pod("", "seLinuxOptions: {type: spc_t}"),
            B,
            L,
            &["seLinuxOptions"],
        ),
        case(
            "SELinux container_t",
            pod(
                "securityContext: {seLinuxOptions: {type: container_t, level: 's0:c1,c2'}}",
                "",
            ),
            R,
            L,
            &[],
        ),
        case(
            "SELinux container_engine_t before v1.31",
            pod("", "seLinuxOptions: {type: container_engine_t}"),
            B,
            "v1.30",
            &["seLinuxOptions"],
        ),
        case(
            "SELinux container_engine_t from v1.31",
            pod("", "seLinuxOptions: {type: container_engine_t}"),
            B,
            "v1.31",
            &[],
        ),
        case(
            "SELinux user",
            pod("securityContext: {seLinuxOptions: {user: system_u}}", ""),
            B,
            L,
            &["seLinuxOptions"],
        ),
        case(
            "SELinux role",
            pod("", "seLinuxOptions: {role: object_r}"),
            B,
            L,
            &["seLinuxOptions"],
        ),
        case(
            "SELinux empty options",
            pod("", "seLinuxOptions: {}"),
            B,
            L,
            &[],
        ),
        // --- procMount
        case(
            "procMount Unmasked",
            pod("", "procMount: Unmasked"),
            B,
            "v1.34",
            &["procMount"],
        ),
        case(
            "procMount Default",
            pod("", "procMount: Default"),
            R,
            L,
            &[],
        ),
        case(
            "procMount Unmasked with hostUsers false, baseline v1.35",
            pod(userns, "procMount: Unmasked"),
            B,
            "v1.35",
            &[],
        ),
        case(
            "procMount Unmasked with hostUsers false, baseline v1.34",
            pod(userns, "procMount: Unmasked"),
            B,
            "v1.34",
            &["procMount"],
        ),
        case(
            "procMount Unmasked with hostUsers true, baseline latest",
            pod("hostUsers: true", "procMount: Unmasked"),
            B,
            L,
            &["procMount"],
        ),
        case(
            "procMount restricted keeps the strict rule for user namespaces",
            pod(userns, "procMount: Unmasked"),
            R,
            L,
            &["procMount_restricted"],
        ),
        case(
            "procMount restricted replaces baseline from v1.35",
            pod("", "procMount: Unmasked"),
            R,
            "v1.35",
            &["procMount_restricted"],
        ),
        case(
            "procMount restricted before v1.35",
            pod("", "procMount: Unmasked"),
            R,
            "v1.34",
            &["procMount"],
        ),
        // --- seccomp
        case(
            "seccomp Unconfined on pod",
            pod("securityContext: {seccompProfile: {type: Unconfined}}", ""),
            B,
            L,
            &["seccompProfile_baseline"],
        ),
        case(
            "seccomp Unconfined on container, restricted",
            pod("", "seccompProfile: {type: Unconfined}"),
            R,
            L,
            &["seccompProfile_restricted"],
        ),
        case(
            "seccomp fields ignored before v1.19",
            pod("", "seccompProfile: {type: Unconfined}"),
            B,
            "v1.18",
            &[],
        ),
        case(
            "seccomp pod annotation unconfined before v1.19",
            pod_with(
                "seccomp.security.alpha.kubernetes.io/pod: unconfined",
                "",
                "",
            ),
            B,
            "v1.18",
            &["seccompProfile_baseline"],
        ),
        case(
            "seccomp annotation ignored from v1.19",
            pod_with(
                "seccomp.security.alpha.kubernetes.io/pod: unconfined",
                "",
                "",
            ),
            B,
            "v1.19",
            &[],
        ),
        case(
            "seccomp container annotation unconfined",
            pod_with(
                "container.seccomp.security.alpha.kubernetes.io/app: unconfined",
                "",
                "",
            ),
            R,
            "v1.18",
            &["seccompProfile_baseline"],
        ),
        case(
            "seccomp annotation for another container name",
            pod_with(
                "container.seccomp.security.alpha.kubernetes.io/other: unconfined",
                "",
                "",
            ),
            B,
            "v1.18",
            &[],
        ),
        case(
            "seccomp docker/default annotation",
            pod_with(
                "seccomp.security.alpha.kubernetes.io/pod: docker/default",
                "",
                "",
            ),
            B,
            "v1.0",
            &[],
        ),
        case(
            "seccomp empty annotation is forbidden",
            pod_with("seccomp.security.alpha.kubernetes.io/pod: ''", "", ""),
            B,
            "v1.0",
            &["seccompProfile_baseline"],
        ),
        case(
            "seccomp unset fails restricted",
            pod("", "seccompProfile: null"),
            R,
            L,
            &["seccompProfile_restricted"],
        ),
        case(
            "seccomp unset passes baseline",
            pod("", "seccompProfile: null"),
            B,
            L,
            &[],
        ),
        case(
            "seccomp on the pod covers containers",
            pod(
                "securityContext: {seccompProfile: {type: Localhost, localhostProfile: p}}",
                "seccompProfile: null",
            ),
            R,
            L,
            &[],
        ),
        case(
            "seccomp not required of restricted before v1.19",
            pod("", "seccompProfile: null"),
            R,
            "v1.18",
            &[],
        ),
        // --- sysctls
        case(
            "unsafe sysctl",
            pod(
                "securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}]}",
                "",
            ),
            B,
            L,
            &["sysctls"],
        ),
        case(
            "safe sysctl at v1.0",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: '0'}]}",
                "",
            ),
            B,
            "v1.0",
            &[],
        ),
        case(
            "ip_local_reserved_ports before v1.27",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: '1'}]}",
                "",
            ),
            B,
            "v1.26",
            &["sysctls"],
        ),
        case(
            "ip_local_reserved_ports from v1.27",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: '1'}]}",
                "",
            ),
            B,
            "v1.27",
            &[],
        ),
        case(
            "tcp_keepalive_time before v1.29",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_keepalive_time, value: '1'}]}",
                "",
            ),
            B,
            "v1.28",
            &["sysctls"],
        ),
        case(
            "tcp_fin_timeout from v1.29",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_fin_timeout, value: '1'}]}",
                "",
            ),
            B,
            "v1.29",
            &[],
        ),
        case(
            "tcp_rmem before v1.32",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: '1'}]}",
                "",
            ),
            B,
            "v1.31",
            &["sysctls"],
        ),
        case(
            "tcp_wmem from v1.32",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_wmem, value: '1'}]}",
                "",
            ),
            R,
            "v1.32",
            &[],
        ),
        case(
            "tcp_slow_start_after_idle before v1.37",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_slow_start_after_idle, value: '0'}]}",
                "",
            ),
            B,
            "v1.36",
            &["sysctls"],
        ),
        case(
            "tcp_notsent_lowat from v1.37",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: '1'}]}",
                "",
            ),
            B,
            "v1.37",
            &[],
        ),
        case(
            "tcp_notsent_lowat at latest",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: '1'}]}",
                "",
            ),
            B,
            L,
            &[],
        ),
        case(
            "future versions clamp to the newest",
            pod(
                "securityContext: {sysctls: [{name: net.ipv4.tcp_notsent_lowat, value: '1'}]}",
                "",
            ),
            B,
            "v1.99",
            &[],
        ),
        // --- Windows HostProcess
        case(
            "HostProcess on pod",
            pod("securityContext: {windowsOptions: {hostProcess: true}}", ""),
            B,
            L,
            &["windowsHostProcess"],
        ),
        case(
            "HostProcess on container",
            pod("", "windowsOptions: {hostProcess: true}"),
            B,
            "v1.0",
            &["windowsHostProcess"],
        ),
        case(
            "HostProcess false",
            pod("", "windowsOptions: {hostProcess: false, runAsUserName: u}"),
            R,
            L,
            &[],
        ),
        // --- probe and lifecycle hosts
        case(
            "probe host before v1.34",
            pod("", "").replace(
                "image: i,",
                "image: i, livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}},",
            ),
            B,
            "v1.33",
            &[],
        ),
        case(
            "probe host from v1.34",
            pod("", "").replace(
                "image: i,",
                "image: i, livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}},",
            ),
            B,
            "v1.34",
            &["hostProbesAndHostLifecycle"],
        ),
        case(
            "lifecycle tcpSocket host",
            pod("", "").replace(
                "image: i,",
                "image: i, lifecycle: {preStop: {tcpSocket: {host: example.com, port: 1}}},",
            ),
            B,
            L,
            &["hostProbesAndHostLifecycle"],
        ),
        case(
            "init container readiness host",
            pod(
                "initContainers: [{name: i, image: i, readinessProbe: {tcpSocket: {host: h, port: 1}}}]",
                "",
            ),
            B,
            L,
            &["hostProbesAndHostLifecycle"],
        ),
        case(
            "empty probe host",
            pod("", "").replace(
                "image: i,",
                "image: i, startupProbe: {httpGet: {host: '', port: 80}},",
            ),
            R,
            L,
            &[],
        ),
        // --- allowPrivilegeEscalation
        case(
            "allowPrivilegeEscalation unset",
            pod("", "allowPrivilegeEscalation: null"),
            R,
            L,
            &["allowPrivilegeEscalation"],
        ),
        case(
            "allowPrivilegeEscalation true",
            pod("", "allowPrivilegeEscalation: true"),
            R,
            L,
            &["allowPrivilegeEscalation"],
        ),
        case(
            "allowPrivilegeEscalation true passes baseline",
            pod("", "allowPrivilegeEscalation: true"),
            B,
            L,
            &[],
        ),
        case(
            "allowPrivilegeEscalation from v1.8",
            pod("", "allowPrivilegeEscalation: true"),
            R,
            "v1.8",
            &["allowPrivilegeEscalation"],
        ),
        case(
            "allowPrivilegeEscalation not before v1.8",
            pod("", "allowPrivilegeEscalation: true"),
            R,
            "v1.7",
            &[],
        ),
        // --- runAsNonRoot
        case(
            "runAsNonRoot unset",
            pod("", "runAsNonRoot: null"),
            R,
            L,
            &["runAsNonRoot"],
        ),
        case(
            "runAsNonRoot false on container",
            pod("", "runAsNonRoot: false"),
            R,
            L,
            &["runAsNonRoot"],
        ),
        case(
            "runAsNonRoot on pod covers containers",
            pod(
                "securityContext: {runAsNonRoot: true}",
                "runAsNonRoot: null",
            ),
            R,
            L,
            &[],
        ),
        case(
            "container false overrides pod true",
            pod(
                "securityContext: {runAsNonRoot: true}",
                "runAsNonRoot: false",
            ),
            R,
            L,
            &["runAsNonRoot"],
        ),
        case(
            "pod false fails even when containers set true",
            pod("securityContext: {runAsNonRoot: false}", ""),
            R,
            L,
            &["runAsNonRoot"],
        ),
        case(
            "runAsNonRoot unset in a user namespace from v1.35",
            pod(userns, "runAsNonRoot: null"),
            R,
            "v1.35",
            &[],
        ),
        case(
            "runAsNonRoot unset in a user namespace before v1.35",
            pod(userns, "runAsNonRoot: null"),
            R,
            "v1.34",
            &["runAsNonRoot"],
        ),
        case(
            "runAsNonRoot unset with hostUsers true",
            pod("hostUsers: true", "runAsNonRoot: null"),
            R,
            L,
            &["runAsNonRoot"],
        ),
        case(
            "runAsNonRoot unset passes baseline",
            pod("", "runAsNonRoot: null"),
            B,
            L,
            &[],
        ),
        // --- runAsUser
        case(
            "runAsUser 0 on container from v1.23",
            pod("", "runAsUser: 0"),
            R,
            "v1.23",
            &["runAsUser"],
        ),
        case(
            "runAsUser 0 not checked before v1.23",
            pod("", "runAsUser: 0"),
            R,
            "v1.22",
            &[],
        ),
        case(
            "runAsUser 0 on pod though containers override",
            pod("securityContext: {runAsUser: 0}", "runAsUser: 1000"),
            R,
            L,
            &["runAsUser"],
        ),
        case(
            "runAsUser 1000",
            pod("securityContext: {runAsUser: 1000}", ""),
            R,
            L,
            &[],
        ),
        case(
            "runAsUser 0 in a user namespace from v1.35",
            pod(userns, "runAsUser: 0"),
            R,
            "v1.35",
            &[],
        ),
        case(
            "runAsUser 0 in a user namespace at v1.34",
            pod(userns, "runAsUser: 0"),
            R,
            "v1.34",
            &["runAsUser"],
        ),
        case(
            "runAsUser 0 passes baseline",
            pod("", "runAsUser: 0"),
            B,
            L,
            &[],
        ),
        // --- Windows pods
        case(
            "Windows pod before v1.25",
            bare_windows.clone(),
            R,
            "v1.24",
            &[
                "allowPrivilegeEscalation",
                "capabilities_restricted",
                "seccompProfile_restricted",
            ],
        ),
        case(
            "Windows pod exempt from Linux-only checks from v1.25",
            bare_windows.clone(),
            R,
            "v1.25",
            &[],
        ),
        case(
            "Windows pod still needs runAsNonRoot",
            bare_windows.replace("runAsNonRoot: true", "runAsNonRoot: false"),
            R,
            L,
            &["runAsNonRoot"],
        ),
        case(
            "Windows pod still subject to baseline",
            pod(windows, "privileged: true"),
            R,
            L,
            &["privileged"],
        ),
        case(
            "Linux os name is not exempt",
            pod("os: {name: linux}", "allowPrivilegeEscalation: null"),
            R,
            L,
            &["allowPrivilegeEscalation"],
        ),
        // --- every container list, and annotations that name no container
        case(
            "AppArmor annotation for a container that does not exist is still checked",
            pod_with(
                "container.apparmor.security.beta.kubernetes.io/ghost: unconfined",
                "",
                "",
            ),
            B,
            L,
            &["appArmorProfile"],
        ),
        case(
            "ephemeral container without a restricted securityContext",
            pod("ephemeralContainers: [{name: dbg, image: i}]", ""),
            R,
            L,
            &[
                "allowPrivilegeEscalation",
                "capabilities_restricted",
                "runAsNonRoot",
                "seccompProfile_restricted",
            ],
        ),
        case(
            "ephemeral container covered by pod-level runAsNonRoot and seccomp",
            pod(
                "securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}, ephemeralContainers: [{name: dbg, image: i, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]",
                "",
            ),
            R,
            L,
            &[],
        ),
        case(
            "runAsUser 0 on an init container",
            pod(
                "initContainers: [{name: init, image: i, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsNonRoot: true, runAsUser: 0, seccompProfile: {type: RuntimeDefault}}}]",
                "",
            ),
            R,
            L,
            &["runAsUser"],
        ),
        case(
            "probe host on an ephemeral container",
            pod(
                "ephemeralContainers: [{name: e, image: i, readinessProbe: {httpGet: {host: h, port: 1}}}]",
                "",
            ),
            B,
            L,
            &["hostProbesAndHostLifecycle"],
        ),
        case(
            "seccomp Localhost on the container alone",
            pod(
                "",
                "seccompProfile: {type: Localhost, localhostProfile: p.json}",
            ),
            R,
            L,
            &[],
        ),
        case(
            "seccomp profile without a type",
            pod("", "seccompProfile: {}"),
            B,
            L,
            &["seccompProfile_baseline"],
        ),
        case(
            "seccomp runtime/default annotation at restricted v1.18",
            pod_with(
                "seccomp.security.alpha.kubernetes.io/pod: runtime/default",
                "",
                "seccompProfile: null",
            ),
            R,
            "v1.18",
            &[],
        ),
        case(
            "SELinux container_kvm_t at v1.0",
            pod("", "seLinuxOptions: {type: container_kvm_t}"),
            B,
            "v1.0",
            &[],
        ),
        case(
            "sysctl without a name",
            pod("securityContext: {sysctls: [{value: '1'}]}", ""),
            B,
            L,
            &["sysctls"],
        ),
        case(
            "explicit null securityContext on a container",
            raw_pod("containers: [{name: a, image: i, securityContext: null}]"),
            R,
            "v1.7",
            &["runAsNonRoot"],
        ),
        case(
            "hostUsers false relaxes nothing at baseline but procMount",
            pod(userns, "privileged: true"),
            B,
            L,
            &["privileged"],
        ),
        case(
            "hostUsers false does not relax capabilities",
            pod(userns, "capabilities: {add: [SYS_ADMIN], drop: [ALL]}"),
            R,
            L,
            &["capabilities_restricted"],
        ),
        // --- several at once, in PSA's order (baseline by ID, then restricted by ID)
        case(
            "order of violations",
            raw_pod(
                "hostNetwork: true, volumes: [{name: h, hostPath: {path: /}}], containers: [{name: a, image: i, securityContext: {privileged: true, runAsUser: 0}}]",
            ),
            R,
            L,
            &[
                "hostNamespaces",
                "privileged",
                "allowPrivilegeEscalation",
                "capabilities_restricted",
                "restrictedVolumes",
                "runAsNonRoot",
                "runAsUser",
                "seccompProfile_restricted",
            ],
        ),
        case(
            "same pod at baseline",
            raw_pod(
                "hostNetwork: true, volumes: [{name: h, hostPath: {path: /}}], containers: [{name: a, image: i, securityContext: {privileged: true, runAsUser: 0}}]",
            ),
            B,
            L,
            &["hostNamespaces", "hostPathVolumes", "privileged"],
        ),
    ]
}

#[test]
fn every_case() {
    let mut failures = Vec::new();
    let cases = cases();
    for c in &cases {
        let got = ids(&c.yaml, c.level, c.version);
        if got != c.expect {
            failures.push(format!(
                "{} ({}:{}): expected {:?}, got {:?}\n{}",
                c.name, c.level, c.version, c.expect, got, c.yaml
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
