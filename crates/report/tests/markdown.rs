#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers in `common` too
mod common;

use common::*;
use kubeward_report::{Format, TextOptions};

#[test]
fn markdown_snapshot() {
    let scan = scan();
    insta::assert_snapshot!(render_to_string(
        Format::Markdown,
        &scan.report(),
        &TextOptions::default()
    ));
}

#[test]
fn hostile_text_stays_inert() {
    let mut scan = scan();
    scan.findings[1].message =
        "tag `x` | <img src=x onerror=alert(1)> [click](https://evil) @org/admins\nnext".into();
    scan.findings[1].object.as_mut().unwrap().name = "a|b`c".into();
    let out = render_to_string(Format::Markdown, &scan.report(), &TextOptions::default());
    let row = out.lines().find(|l| l.contains("evil")).unwrap();
    assert_eq!(
        row,
        "| 🟡 medium | `IMG001 image-tag-mutable` | ``Deployment payments/a\\|b`c`` | `deploy/api.yaml:11:16` | \
         tag \\`x\\` \\| &lt;img src=x onerror=alert(1)&gt; \\[click\\](https://evil) &#64;org/admins next |"
    );
}
