//! Share link lengths: the plain link (design and seed, no playhead or exercise) of every
//! example design in `designs/`, against the target of the 12-node pizza design under 2,000
//! characters. Lengths, not times: they change only when the designs or the format do.

use eventlab_core::design::load_text;
use eventlab_core::share::{encode, Extras};

/// The link the target is about, and the target in characters.
const TARGET_DESIGN: &str = "pizza-choreography";
const TARGET_CHARACTERS: usize = 2_000;

fn main() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/../designs");
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .expect("designs/ is in the repo")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().to_string())
        .filter(|name| name.ends_with(".json"))
        .collect();
    names.sort();
    for name in names {
        let text = std::fs::read_to_string(format!("{folder}/{name}")).expect("readable");
        let Ok(loaded) = load_text(&text) else {
            println!("link length {name}: not a design");
            continue;
        };
        let nodes = loaded.design.nodes.len();
        let link = encode(&loaded.design, &Extras::default());
        let stem = name.trim_end_matches(".json");
        let verdict = if stem == TARGET_DESIGN {
            if link.len() < TARGET_CHARACTERS {
                format!(" (target under {TARGET_CHARACTERS}: met)")
            } else {
                format!(" (target under {TARGET_CHARACTERS}: MISSED)")
            }
        } else {
            String::new()
        };
        println!(
            "link length {stem}: {} characters, {nodes} nodes, {} bytes of JSON{verdict}",
            link.len(),
            text.len()
        );
    }
}
