//! The `table` subcommand (see docs/cli.md).

use crate::{CommandResult, Failure};

pub fn run(_arguments: &[String]) -> CommandResult {
    Err(Failure::new("this command is not built yet"))
}
