//! Renders the guided exercises' Markdown to HTML at build time and writes the catalog the page
//! shows (`build/exercises.rs`), so the page never carries a Markdown parser nor the exercises'
//! texts and starting designs in its own bundle.

#[path = "build/exercises.rs"]
mod exercises;

fn main() {
    let out_dir = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    exercises::generate(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../exercises"),
        &out_dir,
    );
}
