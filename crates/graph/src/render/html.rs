//! One self-contained HTML page with an interactive map of the paths.
//!
//! The page embeds Cytoscape.js (vendored, `crates/graph/vendor/`) and its own script and style, and
//! a Content-Security-Policy that forbids every network request: it works offline and leaks
//! nothing when opened. Everything from manifests (names, labels, evidence) reaches the page only
//! as JSON inside `<script type="application/json">`, with `<`, `>`, `&` and U+2028/U+2029 escaped
//! so no text can close the element, and the script builds the DOM with `textContent`, never
//! `innerHTML`.

use std::collections::HashMap;

use serde::Serialize;

use crate::model::{EdgeKind, Evidence, NodeKind};
use crate::paths::{Entry, PathReport, Target};

/// Cytoscape.js 3.34.4, minified (MIT; see `crates/graph/vendor/README.md`).
pub const VENDORED_JS: &str = include_str!("../../vendor/cytoscape.min.js");
const MAP_JS: &str = include_str!("map.js");
const MAP_CSS: &str = include_str!("map.css");

/// No network, no plugins, no frames; only the inline script and style of the page itself.
const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

#[derive(Serialize)]
struct MapData<'a> {
    title: String,
    nodes: Vec<MapNode>,
    edges: Vec<MapEdge<'a>>,
    paths: Vec<MapPath>,
    /// Node ids where paths start (roots of the layout).
    starts: Vec<String>,
    cuts: Vec<MapCut<'a>>,
    notes: &'a [String],
    truncated: bool,
}

#[derive(Serialize)]
struct MapNode {
    id: String,
    label: String,
    /// `NodeKind`'s serde tag: workload, service, secret, ...
    #[serde(rename = "type")]
    kind: String,
    findings: Vec<&'static str>,
}

#[derive(Serialize)]
struct MapEdge<'a> {
    id: String,
    from: String,
    to: String,
    kind: EdgeKind,
    evidence: &'a Evidence,
    /// 1-based numbers of the paths using this edge.
    paths: Vec<usize>,
}

#[derive(Serialize)]
struct MapPath {
    cost: u32,
    start: String,
    edges: Vec<String>,
}

#[derive(Serialize)]
struct MapCut<'a> {
    edge: Option<String>,
    text: String,
    evidence: &'a Evidence,
    paths_cut: usize,
}

/// The page for a report: the union of its paths as a map, the paths, the cuts and the notes.
pub fn html(report: &PathReport) -> String {
    let data = map_data(report);
    // Serialising plain structs of strings and numbers cannot fail; an empty object keeps the page
    // valid if it ever did.
    let json = serde_json::to_string(&data).unwrap_or_else(|_| "{}".to_owned());
    let mut page = String::with_capacity(VENDORED_JS.len() + json.len() + 8192);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"");
    page.push_str(CSP);
    page.push_str(
        "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    page.push_str("<title>kubeward risk map</title>\n<style>\n");
    page.push_str(MAP_CSS);
    page.push_str("</style>\n</head>\n<body>\n");
    page.push_str(concat!(
        "<header><h1>kubeward risk map</h1><p id=\"subtitle\"></p></header>\n",
        "<main>\n<div id=\"map\" role=\"img\" aria-label=\"attack path map\"></div>\n",
        "<aside id=\"side\"><section id=\"details\"><h2>Details</h2>",
        "<p class=\"hint\">Click a node or an edge to see its evidence.</p></section>\n",
        "<section><h2>Legend</h2><ul id=\"legend\"></ul></section></aside>\n</main>\n",
        "<section id=\"lists\"><div><h2>Fixes that cut the most paths</h2><ol id=\"cuts\"></ol></div>\n",
        "<div><h2>Paths</h2><ol id=\"paths\"></ol></div>\n",
        "<div><h2>Notes</h2><ul id=\"notes\"></ul></div></section>\n",
    ));
    page.push_str("<script type=\"application/json\" id=\"kubeward-data\">");
    page.push_str(&escape_json_for_html(&json));
    page.push_str("</script>\n<script>\n");
    page.push_str(VENDORED_JS);
    page.push_str("\n</script>\n<script>\n");
    page.push_str(MAP_JS);
    page.push_str("</script>\n</body>\n</html>\n");
    page
}

/// JSON safe inside a `<script>` element: nothing in it can end the element or start a comment,
/// and the line separators JavaScript once treated as newlines are escaped. Only string contents
/// can hold these characters, where the `\u` escapes mean the same.
fn escape_json_for_html(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

fn map_data(report: &PathReport) -> MapData<'_> {
    let mut ids: HashMap<&NodeKind, String> = HashMap::new();
    let mut nodes: Vec<MapNode> = Vec::new();
    let mut edge_ids: HashMap<(String, EdgeKind, String), usize> = HashMap::new();
    let mut edges: Vec<MapEdge<'_>> = Vec::new();
    let mut paths = Vec::new();
    let mut starts: Vec<String> = Vec::new();
    for (pi, path) in report.paths.iter().enumerate() {
        let start = node_id(&mut ids, &mut nodes, &path.start);
        if !starts.contains(&start) {
            starts.push(start.clone());
        }
        let mut path_edges = Vec::new();
        for step in &path.steps {
            let from = node_id(&mut ids, &mut nodes, &step.from);
            let to = node_id(&mut ids, &mut nodes, &step.to);
            if let Some(n) = nodes.iter_mut().find(|n| n.id == to) {
                for f in &step.target_findings {
                    if !n.findings.contains(f) {
                        n.findings.push(f);
                    }
                }
            }
            let key = (from.clone(), step.edge, to.clone());
            let e = *edge_ids.entry(key).or_insert_with(|| {
                edges.push(MapEdge {
                    id: format!("e{}", edges.len()),
                    from,
                    to,
                    kind: step.edge,
                    evidence: &step.evidence,
                    paths: Vec::new(),
                });
                edges.len() - 1
            });
            if edges[e].paths.last() != Some(&(pi + 1)) {
                edges[e].paths.push(pi + 1);
            }
            path_edges.push(edges[e].id.clone());
        }
        paths.push(MapPath {
            cost: path.cost,
            start: path.start.to_string(),
            edges: path_edges,
        });
    }
    let cuts = report
        .cuts
        .iter()
        .map(|cut| {
            let key = (
                ids.get(&cut.from).cloned().unwrap_or_default(),
                cut.edge,
                ids.get(&cut.to).cloned().unwrap_or_default(),
            );
            MapCut {
                edge: edge_ids.get(&key).map(|&i| edges[i].id.clone()),
                text: format!("remove {} --{}--> {}", cut.from, cut.edge, cut.to),
                evidence: &cut.evidence,
                paths_cut: cut.paths_cut,
            }
        })
        .collect();
    MapData {
        title: format!(
            "from {} to {}: {} path{}",
            entry_text(&report.from),
            target_text(&report.to),
            report.paths.len(),
            if report.paths.len() == 1 { "" } else { "s" }
        ),
        nodes,
        edges,
        paths,
        starts,
        cuts,
        notes: &report.notes,
        truncated: report.truncated,
    }
}

/// The page id of a node, added on first use.
fn node_id<'a>(
    ids: &mut HashMap<&'a NodeKind, String>,
    nodes: &mut Vec<MapNode>,
    kind: &'a NodeKind,
) -> String {
    ids.entry(kind)
        .or_insert_with(|| {
            let id = format!("n{}", nodes.len());
            nodes.push(MapNode {
                id: id.clone(),
                label: kind.to_string(),
                kind: kind_tag(kind),
                findings: Vec::new(),
            });
            id
        })
        .clone()
}

fn kind_tag(kind: &NodeKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.get("type").and_then(|t| t.as_str()).map(str::to_owned))
        .unwrap_or_default()
}

fn entry_text(entry: &Entry) -> String {
    match entry {
        Entry::Internet => "the internet".into(),
        Entry::AnyPod => "any pod".into(),
        Entry::Workload { namespace, name } => format!("workload {namespace}/{name}"),
    }
}

fn target_text(target: &Target) -> String {
    match target {
        Target::ClusterAdmin => "cluster-admin".into(),
        Target::Secrets => "Secrets".into(),
        Target::Nodes => "nodes".into(),
        Target::Metadata => "the metadata endpoint".into(),
        Target::Object { namespace, name } => format!("{namespace}/{name}"),
        Target::Group { name, .. } => format!("asset group {name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_cannot_close_the_script_element() {
        let s = escape_json_for_html("{\"a\":\"</script><!-- & \u{2028}\u{2029}\"}");
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back["a"], "</script><!-- & \u{2028}\u{2029}");
    }
}
