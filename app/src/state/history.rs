//! Undo and redo as stacks of inverse changes (what `apply` returns), not snapshots: exact,
//! small, and the same data a collaborative editor would need. Pure; tested natively.

use eventlab_core::design::change::{apply, ChangeError, DesignChange};
use eventlab_core::design::Design;

/// How many steps back undo reaches.
const DEPTH: usize = 200;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    undo: Vec<DesignChange>,
    redo: Vec<DesignChange>,
}

impl History {
    /// Applies an edit and records its inverse; a new edit forgets what was undone.
    pub fn edit(&mut self, design: &mut Design, change: DesignChange) -> Result<(), ChangeError> {
        let inverse = apply(design, change)?;
        self.undo.push(inverse);
        if self.undo.len() > DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last edit; false when there is none.
    pub fn undo(&mut self, design: &mut Design) -> bool {
        step(&mut self.undo, &mut self.redo, design)
    }

    /// Redoes the last undone edit; false when there is none.
    pub fn redo(&mut self, design: &mut Design) -> bool {
        step(&mut self.redo, &mut self.undo, design)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

fn step(from: &mut Vec<DesignChange>, to: &mut Vec<DesignChange>, design: &mut Design) -> bool {
    let Some(change) = from.pop() else {
        return false;
    };
    match apply(design, change) {
        Ok(inverse) => {
            to.push(inverse);
            true
        }
        // An inverse that no longer fits means the history is out of step with the design
        // (a bug); dropping the history is better than undoing the wrong thing.
        Err(_) => {
            from.clear();
            to.clear();
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rename(name: &str) -> DesignChange {
        DesignChange::SetInfo {
            name: name.into(),
            description: String::new(),
        }
    }

    #[test]
    fn undo_and_redo_walk_the_edits() {
        // Two edits undone one by one, redone, and a new edit clears the redo stack.
        let mut design = Design::default();
        let mut history = History::default();
        history.edit(&mut design, rename("a")).unwrap();
        history.edit(&mut design, rename("b")).unwrap();
        assert!(history.undo(&mut design));
        assert_eq!(design.name, "a");
        assert!(history.undo(&mut design));
        assert_eq!(design.name, "");
        assert!(!history.undo(&mut design));
        assert!(history.redo(&mut design));
        assert_eq!(design.name, "a");
        history.edit(&mut design, rename("c")).unwrap();
        assert!(!history.can_redo());
        assert!(!history.redo(&mut design));
        assert_eq!(design.name, "c");
    }

    #[test]
    fn a_failed_edit_is_not_recorded() {
        // An edit that does not fit changes nothing and leaves nothing to undo.
        let mut design = Design::default();
        let mut history = History::default();
        let bad = DesignChange::RemoveNode { id: "ghost".into() };
        assert!(history.edit(&mut design, bad).is_err());
        assert!(!history.can_undo());
    }
}
