//! Scanned manifests are attacker-controlled: an object name or a value may carry terminal escape
//! sequences, Markdown or HTML. These helpers make such text inert for each output medium.

use std::borrow::Cow;

/// Replaces control characters (ESC, CR, BEL, …) so that scanned text cannot move the cursor, change
/// colours or rewrite earlier lines of a terminal. Tabs become a space so that carets stay aligned.
pub(crate) fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                '\t' => ' ',
                c if is_unsafe_for_terminal(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

fn is_unsafe_for_terminal(c: char) -> bool {
    // Includes the C1 range (U+0080–U+009F): some terminals treat U+009B as CSI. Also the bidi
    // overrides, which can make a line read differently from what it is ("Trojan Source").
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Escapes text for an XML attribute or element. Characters XML 1.0 cannot carry at all, even as
/// references (most C0 controls), are replaced by U+FFFD.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Escaped so that attribute-value normalisation keeps them.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0 `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// Escapes text for a GitHub-flavoured Markdown table cell: no HTML, no emphasis, no links, no
/// mentions, no line breaks, and pipes that do not end the cell.
pub(crate) fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // An `@name` in a PR comment notifies that user or team.
            '@' => out.push_str("&#64;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' | '#' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span holding `text` verbatim, for paths and object names. The fence is longer than
/// any backtick run inside; pipes are still escaped because GFM splits table cells before parsing spans.
pub(crate) fn markdown_code(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|");
    let longest_run = cleaned.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    // A space keeps a leading or trailing backtick from merging with the fence.
    if cleaned.starts_with('`') || cleaned.ends_with('`') {
        format!("{fence} {cleaned} {fence}")
    } else {
        format!("{fence}{cleaned}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_neutralises_escapes() {
        assert_eq!(terminal("plain"), Cow::Borrowed("plain"));
        assert_eq!(
            terminal("a\u{1b}[2Jb\tc\u{9b}d\u{202E}"),
            "a\u{FFFD}[2Jb c\u{FFFD}d\u{FFFD}"
        );
    }

    #[test]
    fn xml_escapes_and_drops_illegal_chars() {
        assert_eq!(
            xml("<a href=\"x\">&'\n\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&#10;\u{FFFD}"
        );
    }

    #[test]
    fn markdown_is_inert() {
        assert_eq!(
            markdown("a|b `c` <img src=x> [l](u) @team *e*\nz"),
            "a\\|b \\`c\\` &lt;img src=x&gt; \\[l\\](u) &#64;team \\*e\\* z"
        );
        assert_eq!(markdown_code("a|b"), "`a\\|b`");
        assert_eq!(markdown_code("x``y"), "```x``y```");
        assert_eq!(markdown_code("`x"), "`` `x ``");
    }
}
