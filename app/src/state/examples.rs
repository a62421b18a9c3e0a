//! The example designs, embedded at build time from designs/*.json (see build.rs).

include!(concat!(env!("OUT_DIR"), "/examples.rs"));

use eventlab_core::design::{load_text, Design};

/// (file stem, design name) of every example that loads.
pub fn list() -> Vec<(&'static str, String)> {
    EXAMPLE_DESIGNS
        .iter()
        .filter_map(|(stem, text)| load_text(text).ok().map(|l| (*stem, l.design.name)))
        .collect()
}

/// The example with this file stem.
pub fn load(stem: &str) -> Option<Design> {
    let (_, text) = EXAMPLE_DESIGNS.iter().find(|(s, _)| *s == stem)?;
    load_text(text).ok().map(|l| l.design)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_embedded_example_loads() {
        // A broken example file would silently vanish from the list; this catches it.
        assert_eq!(super::list().len(), super::EXAMPLE_DESIGNS.len());
        assert!(!super::EXAMPLE_DESIGNS.is_empty());
    }
}
