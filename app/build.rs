//! Embeds every example design in designs/ (sorted by file name), so adding an example is
//! adding a file: the app's "Examples" list is generated from the folder at build time.

use std::fmt::Write;

fn main() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../designs");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.file_name().to_string_lossy().to_string())
                .filter(|name| name.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut code = String::from("/// (file stem, JSON text) of every example design.\n");
    code.push_str("pub const EXAMPLE_DESIGNS: &[(&str, &str)] = &[\n");
    for name in &names {
        let path = folder.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        let stem = name.trim_end_matches(".json");
        let _ = writeln!(
            code,
            "    ({stem:?}, include_str!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let out =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("examples.rs");
    std::fs::write(out, code).unwrap_or_default();
}
