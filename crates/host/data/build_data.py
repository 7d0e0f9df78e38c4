#!/usr/bin/env python3
"""Regenerate the data files this crate embeds, from the project's shared reference data.

    python3 crates/host/data/build_data.py /work/shared/data

Writes kubernetes-releases.json (from endoflife.date, MIT) and kubernetes-cves.json (from the official
Kubernetes CVE feed in OSV form, stackrox/k8s-cves and golang/vulndb; see SOURCES.md). Only CVEs that
affect a component a node runs (kube-apiserver, kube-controller-manager, kube-scheduler, kubelet,
kube-proxy, or Kubernetes as a whole) and that carry version ranges are kept.
"""
import difflib
import json
import re
import sys
from pathlib import Path

NODE_COMPONENTS = {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kube-proxy", "kubernetes"}
OSV_PACKAGES = {
    "k8s.io/apiserver": "kube-apiserver",
    "k8s.io/kubelet": "kubelet",
    "k8s.io/kube-proxy": "kube-proxy",
    "k8s.io/controller-manager": "kube-controller-manager",
    "k8s.io/kubernetes": "kubernetes",
}
STACKROX_COMPONENTS = {"kube-aggregator": "kube-apiserver"}


def norm(v):
    v = v.strip().lstrip("v")
    return v


def severity(score):
    if score is None:
        return None
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    if score > 0:
        return "low"
    return "info"


def stackrox_ranges(affected):
    out = []
    for a in affected or []:
        r = {"introduced": "0"}
        for part in a["range"].split(","):
            m = re.match(r"\s*(>=|<=|<|>|=)\s*(\S+)", part)
            if not m:
                continue
            op, ver = m.group(1), norm(m.group(2))
            if op == ">=":
                r["introduced"] = ver
            elif op == "<":
                r["fixed"] = ver
            elif op == "<=":
                r["last_affected"] = ver
        if a.get("fixedBy") and "fixed" not in r:
            r["fixed"] = norm(a["fixedBy"])
        out.append(r)
    return out


def main(shared):
    shared = Path(shared)
    rel = json.loads((shared / "releases/endoflife_releases.json").read_text())["kubernetes"]
    releases = {
        "source": "endoflife-date/endoflife.date products/kubernetes.md (MIT), via kubeward's shared data",
        "releases": [
            {k: r[k] for k in ("releaseCycle", "releaseDate", "eoas", "eol", "latest")}
            for r in rel
        ],
    }
    (Path(__file__).parent / "kubernetes-releases.json").write_text(json.dumps(releases, indent=1) + "\n")

    combined = json.loads((shared / "cve/combined.json").read_text())
    cves = []
    for e in combined:
        s = e["sources"]
        osv = s.get("kubernetes-sigs/cve-feed-osv") or s.get("aquasecurity/vuln-list-k8s")
        sx = s.get("stackrox/k8s-cves")
        go = [g for g in (s.get("golang/vulndb") or []) if not g.get("withdrawn")]
        if not go and s.get("golang/vulndb") and not (s.get("kubernetes-sigs/cve-feed-osv") or s.get("stackrox/k8s-cves")):
            continue  # withdrawn advisory with no other source
        components = set()
        if sx and sx.get("components"):
            components |= {STACKROX_COMPONENTS.get(c, c) for c in sx["components"]}
        ranges = {}
        if osv:
            for r in osv["ranges"]:
                comp = OSV_PACKAGES.get(r["package"])
                if comp:
                    ranges.setdefault(comp, []).append({k: norm(v) for k, v in r.items() if k != "package"})
        if not ranges and sx and sx.get("affected"):
            for c in (components or {"kubernetes"}):
                ranges[c] = stackrox_ranges(sx["affected"])
        if not ranges:
            for g in go:
                for r in g["ranges"]:
                    if r["package"] == "k8s.io/kubernetes":
                        for c in (components or {"kubernetes"}):
                            ranges.setdefault(c, []).append({k: norm(v) for k, v in r.items() if k != "package"})
        ranges = {c: rs for c, rs in ranges.items() if c in NODE_COMPONENTS and rs}
        if not ranges:
            continue
        score = None
        if sx and sx.get("cvss"):
            k8s = sx["cvss"].get("kubernetes") or {}
            nvd = sx["cvss"].get("nvd") or {}
            score = k8s.get("scoreV3") or nvd.get("scoreV3")
        summary = (osv or {}).get("summary") or next((g["summary"] for g in go if g.get("summary")), "")
        entry = {"id": e["id"], "summary": summary, "severity": severity(score) or "medium"}
        if score is not None:
            entry["cvss"] = score
        entry["affected"] = [
            {"component": c, **r} for c in sorted(ranges) for r in ranges[c]
        ]
        entry["official"] = bool(e.get("in_official_feed"))
        cves.append(entry)
    cves.sort(key=lambda c: c["id"])
    db = {
        "format": "kubeward-cve-db/1",
        "source": "kubernetes-sigs/cve-feed-osv (Apache-2.0), stackrox/k8s-cves (Apache-2.0), golang/vulndb (CC-BY-4.0); see SOURCES.md",
        "cves": cves,
    }
    (Path(__file__).parent / "kubernetes-cves.json").write_text(json.dumps(db, indent=1) + "\n")
    ids = benchmark_ids(shared)
    (Path(__file__).parent / "benchmark-ids.json").write_text(json.dumps(ids, indent=1, sort_keys=True) + "\n")
    print(f"{len(releases['releases'])} releases, {len(cves)} CVEs, {len(ids['benchmarks'])} benchmark id maps")


GENERIC = "cis-1.12"
# Benchmarks whose numbering follows the generic one closely enough to map by recommendation text.
TEXT_MAPPED = ["k3s-cis-1.9", "rke2-cis-1.8"]
# Managed-node benchmarks: worker checks only, mapped by hand (their texts differ too much).
MANAGED = {
    "4.1.5": ["3.1.1"], "4.1.6": ["3.1.2"], "4.1.9": ["3.1.3"], "4.1.10": ["3.1.4"],
    "4.2.1": ["3.2.1"], "4.2.2": ["3.2.2"], "4.2.3": ["3.2.3"], "4.2.4": ["3.2.4"],
    "4.2.5": ["3.2.5"], "4.2.6": ["3.2.6"], "4.2.10": ["3.2.8"], "4.2.11": ["3.2.9"],
}
# Checks of ours with no recommendation in the generic benchmark, found in variants by a text needle.
NEEDLES = {"KLT013": "protect-kernel-defaults"}


def norm(t):
    t = re.sub(r"\((manual|automated|scored|not scored)\)", "", t.lower())
    for w in ["k3s", "rke2", "--", "argument", "parameter", "ensure that the", "is set to"]:
        t = t.replace(w, " ")
    return re.sub(r"\s+", " ", t).strip()


def benchmark_ids(shared):
    index = [json.loads(line) for line in (shared / "kube-bench-cfg/checks_index.jsonl").read_text().splitlines()]
    by = {}
    for c in index:
        if c["node_type"] in ("master", "etcd", "node", "controlplane"):
            by.setdefault(c["benchmark"], []).append(c)
    generic = {c["id"]: c for c in by[GENERIC]}
    out = {GENERIC: {gid: [gid] for gid in generic}}
    for b in TEXT_MAPPED:
        m = {}
        for gid, g in generic.items():
            def score(c):
                r = difflib.SequenceMatcher(None, norm(g["text"]), norm(c["text"])).ratio()
                return r + (0.05 if c["group_id"] == g["group_id"] else 0)
            cands = [c for c in by[b] if c["node_type"] == g["node_type"]]
            best = max(cands, key=score, default=None)
            if best and score(best) >= 0.9:
                m[gid] = [best["id"]]
        for check, needle in NEEDLES.items():
            hits = [c["id"] for c in by[b] if needle in c["text"]]
            if hits:
                m["check:" + check] = hits[:1]
        out[b] = m
    for b in ["eks-1.8.0", "aks-1.8", "gke-1.9.0"]:
        ids = {c["id"] for c in by[b] if c["node_type"] == "node"}
        out[b] = {g: v for g, v in MANAGED.items() if all(i in ids for i in v)}
        if b == "aks-1.8":  # AKS 3.1.3/3.1.4 are about azure.json, not the kubelet config
            out[b].pop("4.1.9", None)
            out[b].pop("4.1.10", None)
    return {
        "source": "recommendation numbers only, from aquasecurity/kube-bench cfg/ (Apache-2.0) via checks_index.jsonl",
        "benchmarks": out,
    }


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data")
