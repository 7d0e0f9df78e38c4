#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Indentation that YAML 1.2 forbids but libyaml and Go's yaml (what `kubectl` and the API server
//! parse with) accept, as real manifests use it (Tekton examples, Argo CD test data): kubeward reads
//! them as Kubernetes does. The patch is `vendor/saphyr-parser/KUBEWARD.md`.

use kubeward_source::{Limits, Node, Value, load_text};

fn parse(text: &str) -> Node {
    let loaded = load_text("test.yaml", text.to_string(), &Limits::default());
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    assert_eq!(loaded.documents.len(), 1);
    loaded.documents.into_iter().next().unwrap().root
}

fn strings(node: &Node) -> Vec<String> {
    node.items()
        .map(|n| n.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_flow_sequence_may_close_at_its_key_column() {
    let root = parse("a:\n  b: [\n    \"x\",\n    \"y\",\n  ]\n  c: d\n");
    assert_eq!(strings(root.path(&["a", "b"]).unwrap()), ["x", "y"]);
    assert_eq!(root.path(&["a", "c"]).unwrap().as_str(), Some("d"));
}

#[test]
fn a_flow_sequence_in_a_sequence_item_as_tekton_writes_it() {
    let text = "steps:\n  - name: write\n    image: bash\n    args: [\n      \"echo\",\n      \"--url=$(params.url)\",\n    ]\n  - name: next\n";
    let root = parse(text);
    let steps: Vec<&Node> = root.get("steps").unwrap().items().collect();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        strings(steps[0].get("args").unwrap()),
        ["echo", "--url=$(params.url)"]
    );
    assert_eq!(steps[1].get("name").unwrap().as_str(), Some("next"));
}

#[test]
fn a_flow_mapping_may_close_at_its_key_column() {
    let root = parse("a:\n  b: {\n    x: 1,\n  }\n");
    assert!(matches!(
        root.path(&["a", "b", "x"]).unwrap().value,
        Value::Int(1)
    ));
}

#[test]
fn quoted_scalars_continue_at_any_column() {
    // As Argo CD's test data: the continuation lines at the key's column.
    let root = parse(
        "status:\n  conditions:\n    - type: Ready\n      message: 'The schema\n      has been applied'\n",
    );
    let condition = root
        .path(&["status", "conditions"])
        .unwrap()
        .items()
        .next()
        .unwrap();
    assert_eq!(
        condition.get("message").unwrap().as_str(),
        Some("The schema has been applied")
    );
    let root = parse("b: \"one\ntwo\"\nc: 'three\nfour'\n");
    assert_eq!(root.get("b").unwrap().as_str(), Some("one two"));
    assert_eq!(root.get("c").unwrap().as_str(), Some("three four"));
}

#[test]
fn broken_yaml_is_still_rejected() {
    for text in [
        "a: [1, 2\nb: 3\n",
        "a:\n  b: 1\n c: 2\n",
        "a: 'unterminated\n",
        "- a\nb: c\n",
    ] {
        let loaded = load_text("bad.yaml", text.to_string(), &Limits::default());
        assert!(!loaded.problems.is_empty(), "accepted: {text:?}");
    }
}
