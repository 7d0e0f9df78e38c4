//! Capabilities as the container runtime reads them. containerd and CRI-O upper-case names and add
//! the `CAP_` prefix before applying them, so `cap_sys_admin`, `CAP_SYS_ADMIN` and `SYS_ADMIN` all
//! grant the same capability. (The Pod Security Standards compare names exactly; POD006 follows
//! them, the rules built on this module follow the runtime.)

use kubeward_model::Container;
use kubeward_source::Node;

/// `cap_net_raw` → `NET_RAW`.
pub(crate) fn normalise(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map(str::to_string)
        .unwrap_or(upper)
}

/// Items of `capabilities.add` or `capabilities.drop`, with their normalised names.
pub(crate) fn listed<'a>(container: &Container<'a>, list: &str) -> Vec<(&'a Node, String)> {
    container
        .security_field("capabilities")
        .and_then(|c| c.get(list))
        .into_iter()
        .flat_map(Node::items)
        .filter_map(|n| Some((n, normalise(&n.scalar_text()?))))
        .collect()
}

/// The first `add` item granting `capability` by its own name.
pub(crate) fn added<'a>(container: &Container<'a>, capability: &str) -> Option<&'a Node> {
    listed(container, "add")
        .into_iter()
        .find(|(_, name)| name == capability)
        .map(|(n, _)| n)
}

/// Whether `capability` is dropped, by name or through `ALL`.
pub(crate) fn is_dropped(container: &Container<'_>, capability: &str) -> bool {
    listed(container, "drop")
        .iter()
        .any(|(_, name)| name == capability || name == "ALL")
}

/// Whether the container is privileged (it then has every capability whatever the lists say).
pub(crate) fn is_privileged(container: &Container<'_>) -> bool {
    container
        .security_field("privileged")
        .and_then(Node::as_bool)
        == Some(true)
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn runtime_spellings() {
        assert_eq!(normalise("cap_net_raw"), "NET_RAW");
        assert_eq!(normalise("CAP_SYS_ADMIN"), "SYS_ADMIN");
        assert_eq!(normalise(" all "), "ALL");
    }
}
