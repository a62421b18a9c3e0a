//! Reading exercises from disk (native builds only): a folder's four files, or every exercise
//! folder under a directory, in folder-name order. The browser never gets here; it uses the
//! embedded catalog.

use std::path::Path;

use super::spec::{load_exercise, Exercise, ExerciseError, ExerciseFiles};

/// Reads the exercise in one folder (`exercise.json`, `brief.md`, `start.json`, `solution.json`).
pub fn load_folder(folder: &Path) -> Result<Exercise, ExerciseError> {
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let read = |file: &str| {
        std::fs::read_to_string(folder.join(file)).map_err(|e| ExerciseError {
            file: format!("{name}/{file}"),
            message: e.to_string(),
        })
    };
    let (exercise, brief) = (read("exercise.json")?, read("brief.md")?);
    let (start, solution) = (read("start.json")?, read("solution.json")?);
    load_exercise(&ExerciseFiles {
        folder: &name,
        exercise: &exercise,
        brief: &brief,
        start: &start,
        solution: &solution,
    })
}

/// Reads every exercise folder (a subfolder with an `exercise.json`) under `directory`, sorted
/// by folder name, which starts with the exercise's number.
pub fn load_exercises_dir(directory: &Path) -> Result<Vec<Exercise>, ExerciseError> {
    let entries = std::fs::read_dir(directory).map_err(|e| ExerciseError {
        file: directory.display().to_string(),
        message: e.to_string(),
    })?;
    let mut folders: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("exercise.json").is_file())
        .collect();
    folders.sort();
    folders.iter().map(|folder| load_folder(folder)).collect()
}
