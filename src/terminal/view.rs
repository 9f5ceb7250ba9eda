//! The screen as the segmenter sees it, and the questions the screen asks of it.
//!
//! The terminal knows geometry: rows, the cursor, the pending wrap, wide characters, eras.
//! What shells draw is the segmenter's knowledge (`segment::infer`). The dependency goes
//! one way: `segment` reads the screen through what this module exports (the [`Screen`]'s
//! read methods and a few named calls), and nothing under `terminal` uses `segment`.
//!
//! A few inferences are needed while bytes are drawn, between two signals: the margin a
//! shell reveals by how it wraps, which changes where the very next character goes. For
//! those the screen is given [`Rules`] when the terminal is made: plain functions that read
//! the screen and return a fact, which the screen then applies itself. They are called only
//! on the rare spots where the fact can hold (a CR after a row ending in a space), so they
//! cost nothing per byte.

pub(crate) use super::screen::{DETACHED, FIRST_ERA, Pos, Row, Screen, utf8};

/// A row of one mark and spaces up to the cursor (zsh's and fish's `PROMPT_SP`): the screen
/// is as wide as the logical line is long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PromptSp {
    pub mark: char,
    /// First row of the logical line.
    pub line: u64,
    pub width: usize,
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
        margin_up: |_, _, _| None,
    };
}
