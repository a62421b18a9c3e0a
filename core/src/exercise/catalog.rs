//! The workshop's exercises, embedded in this crate at build time so that the app and the CLI
//! carry the same curriculum and no run depends on where the files are.
//!
//! The list is written out by hand, one line per folder of `exercises/`; a test walks the
//! folder and fails when a folder is missing here, so the two cannot drift apart.

use super::spec::{load_exercise, Exercise, ExerciseError, ExerciseFiles};

/// The four files of `exercises/<folder>/`, as texts compiled into the binary.
macro_rules! embedded {
    ($folder:literal) => {
        ExerciseFiles {
            folder: $folder,
            exercise: include_str!(concat!("../../../exercises/", $folder, "/exercise.json")),
            brief: include_str!(concat!("../../../exercises/", $folder, "/brief.md")),
            start: include_str!(concat!("../../../exercises/", $folder, "/start.json")),
            solution: include_str!(concat!("../../../exercises/", $folder, "/solution.json")),
        }
    };
}

static FILES: &[ExerciseFiles<'static>] = &[
    embedded!("01-lean-events"),
    embedded!("02-correlation"),
    embedded!("03-choreography"),
    embedded!("04-lambda-chain"),
    embedded!("05-duplicates"),
    embedded!("06-lost-update"),
    embedded!("07-out-of-order"),
    embedded!("08-aggregator"),
    embedded!("09-orchestrator"),
    embedded!("10-outbox"),
    embedded!("11-hot-key"),
    embedded!("12-saga"),
    embedded!("13-event-log"),
];

/// The embedded exercises' files, in workshop order.
pub fn builtin_files() -> &'static [ExerciseFiles<'static>] {
    FILES
}

/// The embedded exercises, in workshop order.
pub fn builtin() -> Result<Vec<Exercise>, ExerciseError> {
    FILES.iter().map(load_exercise).collect()
}

/// The embedded exercise whose folder name or id is `name`.
pub fn find(name: &str) -> Option<Result<Exercise, ExerciseError>> {
    FILES.iter().map(load_exercise).find(|loaded| match loaded {
        Ok(exercise) => exercise.folder == name || exercise.id == name,
        Err(error) => error.file.split('/').next() == Some(name),
    })
}
