//! `generate` is verified by the engine itself: after adding the generated policies, every declared
//! flow stays reachable on each of its ports and every other pair of endpoints is denied.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use kubeward_model::{Inventory, Object, objects_from_documents};
use kubeward_netpol::{Engine, Generated, generate, to_yaml, verify};
use kubeward_source::{Limits, load_text};

fn objects(name: &str, text: String) -> Vec<Object> {
    objects_from_documents(load_text(name, text, &Limits::default()).documents).0
}

fn app(name: &str) -> Vec<Object> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/apps")
        .join(name);
    objects(name, std::fs::read_to_string(path).unwrap())
}

/// The engine over the app plus the generated policies, read back from their YAML.
fn with_policies(app: &[Object], generated: &Generated) -> Engine {
    let yaml = to_yaml(&generated.policies);
    let mut all = app.to_vec();
    let policies = objects("generated.yaml", yaml);
    assert_eq!(
        policies.len(),
        generated.policies.len(),
        "the YAML reads back"
    );
    all.extend(policies);
    let engine = Engine::build(&Inventory::new(all));
    assert!(engine.warnings.is_empty(), "{:?}", engine.warnings);
    engine
}

fn generate_and_verify(name: &str) -> (Generated, usize) {
    let objects = app(name);
    let generated = generate(&Inventory::new(objects.clone()), None, &[]);
    let engine = with_policies(&objects, &generated);
    let v = verify(&engine, &generated);
    assert!(v.problems.is_empty(), "{name}:\n{}", v.problems.join("\n"));
    assert!(v.flows_checked > 0 && v.pairs_denied > 0);
    (generated, v.pairs_denied)
}

fn flows(engine_names: &Engine, g: &Generated) -> Vec<String> {
    let mut out: Vec<String> = g
        .flows
        .iter()
        .map(|f| {
            format!(
                "{} -> {}",
                engine_names.endpoint_name(f.from),
                engine_names.endpoint_name(f.to)
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn microservices_demo_keeps_its_flows_and_denies_the_rest() {
    let (g, denied) = generate_and_verify("microservices_demo.yaml");
    let engine = Engine::build(&Inventory::new(app("microservices_demo.yaml")));
    let flows = flows(&engine, &g);
    assert_eq!(flows.len(), 16, "{flows:#?}");
    for expected in [
        "default/cartservice -> default/redis-cart",
        "default/checkoutservice -> default/paymentservice",
        "default/frontend -> default/adservice",
        "default/loadgenerator -> default/frontend",
    ] {
        assert!(
            flows.contains(&expected.to_string()),
            "{expected} in {flows:#?}"
        );
    }
    assert_eq!(g.exposed.len(), 1, "frontend behind its LoadBalancer");
    assert_eq!(denied, 12 * 12 - 16);
}

#[test]
fn cross_namespace_app_with_config_map_ingress_and_fqdn() {
    let (g, _) = generate_and_verify("cross_namespace_shop.yaml");
    let engine = Engine::build(&Inventory::new(app("cross_namespace_shop.yaml")));
    assert_eq!(
        flows(&engine, &g),
        [
            "shop/api -> data/db",
            "shop/web -> shop/api",
            "shop/worker -> shop/api"
        ]
    );
    assert_eq!(g.namespaces, ["data", "shop"]);
}

#[test]
fn gateway_routes_udp_ports_and_unreferenced_pods() {
    let (g, _) = generate_and_verify("gateway_udp.yaml");
    assert_eq!(g.flows.len(), 1);
    assert_eq!(g.flows[0].ports.len(), 2, "web/TCP and 9000/UDP");
    assert_eq!(g.exposed.len(), 1);
}

#[test]
fn verification_catches_a_missing_allow_policy() {
    let objects = app("cross_namespace_shop.yaml");
    let mut generated = generate(&Inventory::new(objects.clone()), None, &[]);
    generated
        .policies
        .retain(|p| p["metadata"]["name"] != "kubeward-deployment-api-egress");
    let v = verify(&with_policies(&objects, &generated), &generated);
    assert_eq!(
        v.problems,
        ["declared flow shop/api -> data/db on 5432/TCP is blocked"]
    );
}

#[test]
fn the_shared_corpus_copy_is_unchanged_when_present() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/corpus/realworld/GoogleCloudPlatform+microservices-demo/release__kubernetes-manifests.yaml",
    );
    let Ok(original) = std::fs::read_to_string(&shared) else {
        eprintln!("skipped: {} is absent", shared.display());
        return;
    };
    let copy = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/apps/microservices_demo.yaml"),
    )
    .unwrap();
    assert!(copy.ends_with(&original));
}

#[test]
fn configured_flows_are_added_and_verified() {
    let objects = app("gateway_udp.yaml");
    let inventory = Inventory::new(objects.clone());
    let engine = Engine::build(&inventory);
    let endpoint = |name: &str| match engine.resolve(name).unwrap()[..] {
        [kubeward_netpol::Target::Endpoint(e)] => e,
        _ => panic!("{name}"),
    };
    let extra = kubeward_netpol::Flow {
        from: endpoint("games/debug"),
        to: endpoint("games/game"),
        ports: std::collections::BTreeSet::new(),
        service: "configured".into(),
    };
    let generated = generate(&inventory, None, &[extra]);
    assert_eq!(generated.flows.len(), 2);
    let with = with_policies(&objects, &generated);
    let v = verify(&with, &generated);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    assert!(with.allows(
        endpoint("games/debug"),
        endpoint("games/game"),
        Some("9000/UDP".parse().unwrap())
    ));
}
