//! The `export` subcommand (see docs/cli.md): a design's TypeScript handlers, CDK app, ASL,
//! rule patterns, JSON Schemas or AsyncAPI document, written under `--out`. Core makes the
//! files; this module only writes them and names each one it wrote.

use std::path::{Component, Path, PathBuf};

use eventlab_core::export::{export, ExportTarget};

use crate::args::Arguments;
use crate::design::load_design;
use crate::{CommandResult, Failure, Outcome};

/// `eventlab export DESIGN.json --to ts|cdk|asl|rules|schemas|asyncapi --out DIR`
pub fn run(raw: &[String]) -> CommandResult {
    let arguments = Arguments::parse(raw, &[], &["to", "out"])?;
    let [path] = arguments.expect_positionals("DESIGN.json")? else {
        unreachable!()
    };
    let names: Vec<&str> = ExportTarget::ALL.iter().map(|t| t.name()).collect();
    let target = match arguments.option("to") {
        Some(name) => ExportTarget::from_name(name).ok_or_else(|| {
            Failure::new(format!("--to is one of {}, got '{name}'", names.join(", ")))
        })?,
        None => {
            return Err(Failure::new(format!(
                "--to is required: one of {}",
                names.join(", ")
            )))
        }
    };
    let out = arguments
        .option("out")
        .ok_or_else(|| Failure::new("--out DIR is required"))?;
    let loaded = load_design(path)?;
    for file in export(&loaded.design, target) {
        let destination = inside(Path::new(out), &file.path)?;
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| Failure::new(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(&destination, &file.text)
            .map_err(|e| Failure::new(format!("cannot write {}: {e}", destination.display())))?;
        println!("{}", destination.display());
    }
    Ok(Outcome::Clean)
}

/// The file's place under `out`; a path that would leave it (an id such as `../x` made safe
/// by core, but checked again here) is refused.
fn inside(out: &Path, relative: &str) -> Result<PathBuf, Failure> {
    let relative = Path::new(relative);
    let normal = relative
        .components()
        .all(|c| matches!(c, Component::Normal(_)));
    if !normal {
        return Err(Failure::new(format!(
            "refusing to write {} outside --out",
            relative.display()
        )));
    }
    Ok(out.join(relative))
}
