//! The screen as the segmenter sees it, and the questions the screen asks of it.
//!
//! The terminal knows geometry: rows, the cursor, the pending wrap, wide characters, eras.
//! What shells draw is the segmenter's knowledge (`segment::infer`). The dependency goes
//! one way: `segment` sees the terminal only through what this module exports (the
//! [`Screen`]'s read methods and a few named calls, the [`Signal`]s an [`Observer`] is
//! given), and nothing under `terminal` uses `segment`; the tests below hold both.
//!
//! A few inferences are needed while bytes are drawn, between two signals: the margin a
//! shell reveals by how it wraps, which changes where the very next character goes. For
//! those the screen is given [`Rules`] when the terminal is made: plain functions that read
//! the screen and return a fact, which the screen then applies itself. They are called only
//! on the rare spots where the fact can hold (a CR after a row ending in a space), so they
//! cost nothing per byte.

pub(crate) use super::screen::{DETACHED, FIRST_ERA, Pos, Row, Screen, utf8};
pub(crate) use super::{Mark, Observer, Signal};

/// A row of one mark and spaces up to the cursor (zsh's and fish's `PROMPT_SP`): the screen
/// is as wide as the logical line is long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PromptSp {
    pub mark: char,
    /// First row of the logical line.
    pub line: u64,
    /// The width, when the mark started the line; `None` when output without a final
    /// newline came before the mark, so the spaces tell nothing of the width.
    pub width: Option<usize>,
}

/// What the screen asks whoever knows shells (see the module doc).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rules {
    /// At a CR, the cursor's row ending in a space: is it a `PROMPT_SP` line?
    pub prompt_sp: fn(&Screen) -> Option<PromptSp>,
    /// At a CR right after a space was printed at (row, column) on the cursor's row: the
    /// logical position of a margin, if this is a line editor wrapping there (readline
    /// prints a space and CR at the margin). Confirmed when text follows at that spot.
    pub margin_wrap: fn(&Screen, u64, usize) -> Option<Pos>,
    /// Text comes at the start of the row after such a margin: whether it is still believed
    /// (the screen has checked that the text is on the same logical line).
    pub margin_confirm: fn(&Screen) -> bool,
    /// Text reached (row, column), a line feed followed, and now the cursor goes back up
    /// before anything is printed: the width, if the shell moved off a full row (fish
    /// manages the margin this way).
    pub margin_up: fn(&Screen, u64, usize) -> Option<usize>,
}

impl Rules {
    /// Geometry alone: no shell is known, nothing is inferred.
    pub const NONE: Rules = Rules {
        prompt_sp: |_| None,
        margin_wrap: |_, _, _| None,
        margin_confirm: |_| false,
        margin_up: |_, _, _| None,
    };
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Code lines of the files under `dir` that name the segmenter.
    fn uses_of_segment(dir: &Path, files: &mut usize, found: &mut Vec<String>) {
        // Spelled in two halves, so that this file does not find itself.
        let needles = [concat!("crate::", "segment"), concat!("super::", "segment")];
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                uses_of_segment(&path, files, found);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            *files += 1;
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
            for line in code.filter(|l| needles.iter().any(|n| l.contains(n))) {
                found.push(format!("{}: {}", path.display(), line.trim()));
            }
        }
    }

    /// Code lines of the files under `dir` that name the terminal other than through this
    /// module.
    fn uses_of_terminal(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                uses_of_terminal(&path, found);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let code = text.lines().filter(|l| !l.trim_start().starts_with("//"));
            for line in code.filter(|l| l.contains("terminal::") && !l.contains("terminal::view")) {
                found.push(format!("{}: {}", path.display(), line.trim()));
            }
        }
    }

    /// The segmenter reads the screen through this view, so that what it may touch is
    /// listed in one place (its tests may build a terminal).
    #[test]
    fn the_segmenter_sees_the_terminal_through_the_view() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/segment");
        let mut found = Vec::new();
        uses_of_terminal(&dir, &mut found);
        assert!(
            dir.join("mod.rs").is_file(),
            "no segmenter at {}",
            dir.display()
        );
        found.retain(|l| !l.contains("use crate::terminal::Terminal;"));
        assert!(found.is_empty(), "{found:#?}");
    }

    /// The direction of the dependency is the point: once the terminal names the segmenter,
    /// shell policy can creep back into the geometry.
    #[test]
    fn nothing_in_the_terminal_uses_the_segmenter() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/terminal");
        let (mut files, mut found) = (0, Vec::new());
        uses_of_segment(&dir, &mut files, &mut found);
        assert!(
            files >= 10,
            "read only {files} files under {}",
            dir.display()
        );
        assert!(found.is_empty(), "{found:#?}");
    }
}
