use super::*;

fn parse(text: &str) -> Stream {
    parse_stream(text, &Limits::default())
}

fn root(text: &str) -> Node {
    let s = parse(text);
    assert!(
        s.problems.iter().all(|p| !p.kind.drops_document()),
        "{:?}",
        s.problems
    );
    s.docs.into_iter().next().expect("one document").root
}

#[test]
fn privileged_spellings_resolve_like_kubernetes() {
    for (spelling, expected) in [
        ("yes", Some(true)),
        ("Yes", Some(true)),
        ("YES", Some(true)),
        ("on", Some(true)),
        ("On", Some(true)),
        ("ON", Some(true)),
        ("y", Some(true)),
        ("Y", Some(true)),
        ("true", Some(true)),
        ("True", Some(true)),
        ("TRUE", Some(true)),
        ("off", Some(false)),
        ("no", Some(false)),
        ("n", Some(false)),
        ("\"yes\"", None),
        ("'on'", None),
        ("!!str yes", None),
        ("!!bool \"true\"", Some(true)),
    ] {
        let node = root(&format!("privileged: {spelling}\n"));
        assert_eq!(
            node.get("privileged").and_then(Node::as_bool),
            expected,
            "{spelling}"
        );
    }
}

#[test]
fn octal_modes_and_nulls() {
    let node = root("mode: 0644\nnothing: ~\nempty:\nquoted: \"0644\"\n");
    assert_eq!(node.get("mode").and_then(Node::as_i64), Some(420));
    assert!(node.get("nothing").is_some_and(Node::is_null));
    assert!(node.get("empty").is_some_and(Node::is_null));
    assert_eq!(node.get("quoted").and_then(Node::as_str), Some("0644"));
}

#[test]
fn spans_point_at_values() {
    let node = root("a: 1\nspec:\n  privileged: yes\n");
    let v = node.path(&["spec", "privileged"]).unwrap();
    assert_eq!((v.span.start.line, v.span.start.col), (3, 14));
    let e = node.get("spec").unwrap().entry("privileged").unwrap();
    assert_eq!((e.key_span.start.line, e.key_span.start.col), (3, 2));
}

#[test]
fn columns_count_characters_not_bytes() {
    let node = root("name: \"ünïcødé\"\nprivileged: on\n");
    let v = node.get("privileged").unwrap();
    assert_eq!((v.span.start.line, v.span.start.col), (2, 12));
    let node = root("a: {x: \"ü\", privileged: on}\n");
    let v = node.path(&["a", "privileged"]).unwrap();
    assert_eq!(v.span.start.col, 24);
}

#[test]
fn anchors_aliases_and_merge_keys() {
    let text =
        "base: &b\n  privileged: true\n  runAsUser: 0\nc:\n  <<: *b\n  runAsUser: 1000\nd: *b\n";
    let node = root(text);
    assert_eq!(
        node.path(&["c", "privileged"]).and_then(Node::as_bool),
        Some(true)
    );
    assert_eq!(
        node.path(&["c", "runAsUser"]).and_then(Node::as_i64),
        Some(1000)
    );
    assert_eq!(
        node.path(&["d", "runAsUser"]).and_then(Node::as_i64),
        Some(0)
    );
}

#[test]
fn merge_sequence_earlier_maps_win() {
    let node = root("a: &a {x: 1}\nb: &b {x: 2, z: 2, y: 3}\nc:\n  <<: [*a, *b]\n");
    assert_eq!(node.path(&["c", "x"]).and_then(Node::as_i64), Some(1));
    assert_eq!(node.path(&["c", "z"]).and_then(Node::as_i64), Some(2));
    // `y` is a YAML 1.1 boolean: as a key it becomes "true".
    assert_eq!(node.path(&["c", "true"]).and_then(Node::as_i64), Some(3));
}

#[test]
fn merge_overwrites_keys_written_before_it_as_go_yaml_v2_does() {
    let node = root("a: &a {x: 1}\nc:\n  x: 5\n  <<: *a\n");
    assert_eq!(node.path(&["c", "x"]).and_then(Node::as_i64), Some(1));
    let s = parse("a: &a {x: 1}\nc:\n  x: 5\n  <<: *a\n");
    assert!(s.problems.is_empty(), "a merge is not a duplicate key");
}

#[test]
fn quoted_merge_key_is_an_ordinary_key() {
    let node = root("c:\n  \"<<\": {x: 1}\n");
    assert!(node.path(&["c", "<<", "x"]).is_some());
}

#[test]
fn duplicate_keys_last_wins_and_are_reported() {
    let s = parse("securityContext:\n  privileged: false\n  privileged: true\n");
    assert_eq!(s.docs.len(), 1);
    let root = &s.docs[0].root;
    assert_eq!(
        root.path(&["securityContext", "privileged"])
            .and_then(Node::as_bool),
        Some(true)
    );
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].span.start.line, 3);
    assert!(matches!(
        &s.problems[0].kind,
        ParseProblemKind::DuplicateKey { key, first_line: 2 } if key == "privileged"
    ));
}

#[test]
fn duplicate_keys_in_large_mappings() {
    let mut text = String::from("data:\n");
    for i in 0..40 {
        text.push_str(&format!("  k{i}: v\n"));
    }
    text.push_str("  k7: again\n");
    let s = parse(&text);
    assert_eq!(s.problems.len(), 1);
    assert_eq!(
        s.docs[0].root.path(&["data", "k7"]).and_then(Node::as_str),
        Some("again")
    );
}

#[test]
fn boolean_keys_become_strings() {
    let node = root("on: 1\n0644: x\n");
    assert!(node.get("true").is_some());
    assert!(node.get("420").is_some());
}

#[test]
fn multi_document_stream_with_a_broken_document_keeps_the_others() {
    let text = "a: 1\n---\nb: [1, 2\nc: {\n---\nd: 4\n";
    let s = parse(text);
    let keys: Vec<_> = s
        .docs
        .iter()
        .map(|d| d.root.as_map().unwrap()[0].key.to_string())
        .collect();
    assert_eq!(keys, ["a", "d"]);
    assert_eq!(s.docs[1].index, 2);
    assert_eq!(s.docs[1].root.span.start.line, 6);
    assert_eq!(s.problems.len(), 1);
    assert!(matches!(s.problems[0].kind, ParseProblemKind::Syntax(_)));
}

#[test]
fn billion_laughs_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let s = parse(&text);
    assert!(s.docs.is_empty());
    assert!(
        s.problems
            .iter()
            .any(|p| matches!(p.kind, ParseProblemKind::AliasBudget { .. }))
    );
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let text = format!("{}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let s = parse(&text);
    assert!(s.docs.is_empty());
    assert!(matches!(
        s.problems[0].kind,
        ParseProblemKind::TooDeep { .. } | ParseProblemKind::Syntax(_)
    ));
    let deep_map = (0..300).fold(String::new(), |acc, i| {
        format!("{acc}{}k{i}:\n", "  ".repeat(i))
    });
    let s = parse(&deep_map);
    assert!(matches!(
        s.problems[0].kind,
        ParseProblemKind::TooDeep { limit: 256 }
    ));
}

#[test]
fn collection_keys_are_rejected() {
    let s = parse("? [a, b]\n: 1\nok: 2\n");
    assert!(s.docs.is_empty());
    assert!(matches!(
        s.problems[0].kind,
        ParseProblemKind::UnsupportedKey
    ));
}

#[test]
fn json_documents_parse() {
    let node = root(
        r#"{"kind": "Pod", "spec": {"containers": [{"securityContext": {"privileged": true}}]}}"#,
    );
    assert_eq!(node.get("kind").and_then(Node::as_str), Some("Pod"));
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn never_panics_on_arbitrary_text(text in "\\PC*") {
            let _ = parse_stream(&text, &Limits::default());
        }

        #[test]
        fn never_panics_on_yamlish_text(text in "([-:?&*!|>'\"{}\\[\\],# \n]|[a-z]{1,3}|  ){0,200}") {
            let _ = parse_stream(&text, &Limits::default());
        }
    }
}
