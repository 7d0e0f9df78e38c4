//! `Accept` header negotiation as the API server does it: the first media type of the client's list
//! that the server can produce wins; none -> 406. Table, protobuf and aggregated discovery are not
//! produced here, so clients that offer them with a fallback get the fallback (plain JSON), as from
//! an older server.

/// What the server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Json,
    /// `PartialObjectMetadata` / `PartialObjectMetadataList`: metadata only.
    Metadata,
}

impl Media {
    pub fn content_type(self) -> &'static str {
        match self {
            Media::Json => "application/json",
            Media::Metadata => "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1",
        }
    }
}

/// The media type to answer `accept` with; `metadata_allowed` for object requests (not discovery).
pub fn negotiate(accept: &str, metadata_allowed: bool) -> Option<Media> {
    if accept.trim().is_empty() {
        return Some(Media::Json);
    }
    for option in accept.split(',') {
        let mut parts = option.split(';').map(str::trim);
        let media_type = parts.next().unwrap_or("");
        let (mut as_kind, mut group, mut version) = (None, None, None);
        for param in parts {
            match param.split_once('=') {
                Some(("as", v)) => as_kind = Some(v),
                Some(("g", v)) => group = Some(v),
                Some(("v", v)) => version = Some(v),
                _ => {}
            }
        }
        let json_type = matches!(media_type, "application/json" | "*/*" | "application/*");
        match as_kind {
            None if json_type => return Some(Media::Json),
            Some("PartialObjectMetadataList" | "PartialObjectMetadata")
                if metadata_allowed
                    && media_type == "application/json"
                    && group == Some("meta.k8s.io")
                    && matches!(version, Some("v1" | "v1beta1")) =>
            {
                return Some(Media::Metadata);
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubectl_table_request_falls_back_to_json() {
        let accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";
        assert_eq!(negotiate(accept, true), Some(Media::Json));
    }

    #[test]
    fn metadata_only_when_asked_and_allowed() {
        let accept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
        assert_eq!(negotiate(accept, true), Some(Media::Metadata));
        assert_eq!(negotiate(accept, false), None);
    }

    #[test]
    fn aggregated_discovery_alone_is_not_acceptable() {
        let accept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
        assert_eq!(negotiate(accept, false), None);
        assert_eq!(
            negotiate(&format!("{accept},application/json"), false),
            Some(Media::Json)
        );
        assert_eq!(negotiate("application/vnd.kubernetes.protobuf", true), None);
    }
}
