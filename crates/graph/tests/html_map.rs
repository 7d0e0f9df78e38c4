//! The HTML risk map: self-contained, and safe with hostile names in the manifests.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kubeward_graph::render::{VENDORED_JS, html};
use kubeward_graph::{Entry, GraphInput, Reachability, RiskGraph, Target};
use kubeward_rules::{Settings, scan_loaded};
use kubeward_source::LoadOptions;

const HOSTILE: &str = "<script>alert(1)</script>";

fn page(yaml: &str, from: Entry, to: Target) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("kubeward-html-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("input.yaml");
    std::fs::write(&file, yaml).unwrap();
    let scan = scan_loaded(
        kubeward_source::load(&[file], &LoadOptions::default()),
        &Settings::default(),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let reach = Reachability::build(&scan.inventory);
    let g = RiskGraph::build(&GraphInput {
        inventory: &scan.inventory,
        findings: &scan.result.findings,
        reachability: Some(&reach),
    });
    let report = g.attack_paths(&from, &to, 10).unwrap();
    assert!(!report.paths.is_empty(), "the fixture has a path");
    html(&report)
}

fn hostile_page() -> String {
    page(
        &format!(
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: '{HOSTILE}', namespace: 'a&b', labels: {{app: \"x\\u2028y\"}}}}\nspec:\n  hostNetwork: true\n  containers: [{{name: '</script><!--', image: 'x:1', securityContext: {{privileged: true}}}}]\n"
        ),
        Entry::Internet,
        Target::Nodes,
    )
}

#[test]
fn the_page_loads_nothing_from_the_network() {
    let page = hostile_page();
    assert!(page.contains(VENDORED_JS), "the library is embedded");
    let own = page.replace(VENDORED_JS, "");
    for needle in [
        "http://", "https://", "//cdn", " src=", " href=", "url(", "@import",
    ] {
        assert!(!own.contains(needle), "`{needle}` in the page:\n{own}");
    }
    // The library's only URLs are in its license comment; none is fetched.
    let known = [
        "http://en.wikipedia.org/wiki/MIT_License",
        "http://opensource.org/licenses/MIT",
        "http://engelschall.com",
    ];
    let mut rest = VENDORED_JS.to_owned();
    for k in known {
        rest = rest.replace(k, "");
    }
    assert!(!rest.contains("http://") && !rest.contains("https://"));
    assert!(own.contains("Content-Security-Policy\" content=\"default-src 'none'"));
}

#[test]
fn hostile_names_are_escaped() {
    let page = hostile_page();
    assert!(!page.contains(HOSTILE), "the name is not markup");
    assert!(!page.contains("</script><!--"));
    assert!(page.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    assert!(page.contains("a\\u0026b"));
    assert!(!page.contains('\u{2028}'));
    // Exactly the three script elements of the page: data, library, map.
    assert_eq!(page.matches("<script").count(), 3);
    assert_eq!(page.matches("</script>").count(), 3);
    // The page's own script never parses HTML from data.
    let own = page.replace(VENDORED_JS, "");
    assert!(!own.contains("innerHTML") && !own.contains("outerHTML"));
    assert!(!own.contains("insertAdjacentHTML") && !own.contains("document.write"));
}

#[test]
fn the_data_holds_nodes_edges_evidence_and_cuts() {
    let page = hostile_page();
    let start = page
        .find("<script type=\"application/json\" id=\"kubeward-data\">")
        .unwrap();
    let body = &page[start..];
    let json = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert!(
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["label"].as_str().unwrap().contains(HOSTILE))
    );
    let edges = v["edges"].as_array().unwrap();
    assert!(edges.iter().any(|e| {
        e["kind"] == "escapes-to-node"
            && e["evidence"]["text"]
                .as_str()
                .unwrap()
                .contains("hostNetwork")
    }));
    assert!(!v["cuts"].as_array().unwrap().is_empty());
    let first = v["paths"][0]["edges"].as_array().unwrap();
    assert!(first.iter().all(|id| edges.iter().any(|e| &e["id"] == id)));
}
