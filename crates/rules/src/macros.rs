/// Declares a rule's metadata with its doc comment as the `docs` field, so the documentation lives in
/// one place — the rule file — and pages and `rules explain` are generated from it.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        $vis:vis static $name:ident = RuleMeta { $($field:ident : $value:expr),* $(,)? };
    ) => {
        $(#[doc = $doc])*
        $vis static $name: $crate::registry::RuleMeta = $crate::registry::RuleMeta {
            docs: concat!($($doc, "\n"),*),
            $($field: $value),*
        };
    };
}
