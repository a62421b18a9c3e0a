//! Escaping text for HTML. The page and the simulator's worker both build read-only blocks as
//! HTML text (the exercise cards, the comparison table, the timeline's marks and the canvas
//! badges as SVG): everything from a design goes through here, so a shared design can never put
//! markup into the page.

/// `text` with `&`, `<`, `>`, `"` and `'` escaped: safe in element content and in quoted
/// attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_are_escaped() {
        assert_eq!(
            super::escape(r#"<b a="1" b='2'>&</b> ok"#),
            "&lt;b a=&quot;1&quot; b=&#39;2&#39;&gt;&amp;&lt;/b&gt; ok"
        );
    }
}
