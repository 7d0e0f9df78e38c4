//! Times index build, who-can, can-i, risky grants and all escalation paths on a generated corpus.
//!
//! `cargo run --release -p kubeward-rbac --example bench_rbac -- [N] [SEED]` (default 10000, 42).

#[path = "support/generator.rs"]
mod generator;

use std::time::{Duration, Instant};

use kubeward_rbac::{Principal, RbacIndex, Request, RiskOptions, UserInfo};

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(42);
    let start = Instant::now();
    let input = generator::generate(n, seed);
    println!(
        "corpus: {} roles, {} bindings, {} service accounts, {} pods, {} secrets, {} namespaces (generated in {})",
        input.roles.len(),
        input.bindings.len(),
        input.service_accounts.len(),
        input.pods.len(),
        input.secrets.len(),
        input.namespaces.len(),
        ms(start.elapsed())
    );

    let builds: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            let index = RbacIndex::build(&input);
            let d = t.elapsed();
            std::hint::black_box(index.warnings().len());
            d
        })
        .collect();
    println!(
        "build index:            median {} (max {})",
        ms(median(builds.clone())),
        ms(*builds.iter().max().unwrap_or(&Duration::ZERO))
    );

    let index = RbacIndex::build(&input);
    let queries = [
        Request::resource("get", "secrets")
            .in_namespace("ns-0003")
            .named("db"),
        Request::resource("list", "secrets"),
        Request::resource("create", "pods/exec")
            .in_namespace("ns-0010")
            .named("app-1"),
        Request::resource("update", "deployments/scale")
            .in_group("apps")
            .in_namespace("ns-0001")
            .named("web"),
        Request::resource("create", "pods").in_namespace("ns-0042"),
        Request::non_resource("get", "/metrics"),
    ];
    let mut worst = Duration::ZERO;
    for q in &queries {
        let times: Vec<Duration> = (0..21)
            .map(|_| {
                let t = Instant::now();
                let r = index.who_can(q);
                let d = t.elapsed();
                std::hint::black_box(r.subjects.len());
                d
            })
            .collect();
        let m = median(times);
        worst = worst.max(m);
        println!(
            "who-can {:<58} median {} ({} subjects)",
            format!("{q:?}").chars().take(58).collect::<String>(),
            ms(m),
            index.who_can(q).subjects.len()
        );
    }
    println!("who-can worst median:   {}", ms(worst));

    let user = UserInfo::user("user-7", &["group-3"]);
    let t = Instant::now();
    for q in &queries {
        std::hint::black_box(index.can_i(&user, q).allowed);
    }
    println!(
        "can-i x{}:               {}",
        queries.len(),
        ms(t.elapsed())
    );

    let t = Instant::now();
    let risks = index.risky_grants(&RiskOptions::default());
    println!(
        "risky grants:           {} ({} grants)",
        ms(t.elapsed()),
        risks.len()
    );

    let runs: Vec<Duration> = (0..3)
        .map(|_| {
            let fresh = RbacIndex::build(&input);
            let t = Instant::now();
            let paths = fresh.escalations(None);
            let d = t.elapsed();
            std::hint::black_box(paths.len());
            d
        })
        .collect();
    let paths = index.escalations(None);
    let longest = paths.iter().map(|p| p.steps.len()).max().unwrap_or(0);
    println!(
        "all escalation paths:   median {} ({} subjects reach cluster admin, longest {} steps)",
        ms(median(runs)),
        paths.len(),
        longest
    );
    let t = Instant::now();
    let one = index.escalations(Some(&Principal::User {
        name: "user-7".to_owned(),
    }));
    println!(
        "one subject (cached):   {} ({} path)",
        ms(t.elapsed()),
        one.len()
    );
}
