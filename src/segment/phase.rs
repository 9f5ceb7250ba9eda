//! The segmenter's two pieces of state that say what every signal means: the [`Phase`] of
//! the line on screen, and the [`Delimiting`] mode of the session, with the [`Rules`] each
//! mode reads the stream by.
//!
//! The phase changes at every command; the mode is decided by the strongest kind of
//! delimiter the session has shown and never goes back, so a decision made once (this
//! shell marks its editor; these are the agent's cleaned-up lines) is not remade at each
//! line.

use super::editor::Edit;
use super::linefeed::Tentative;

/// What the line on screen is doing.
///
/// ```text
///            editor mark (bracketed paste on, OSC 133 A/B)
///  Output ───────────────────────────────────────────────▶ Editing ──┐ editor lets go
///    ▲ │ line feed after a prompt line (no editor marks)             │ (?2004l, 133 C)
///    │ ├──────────────────────▶ Entered ─┐ next line feed, editor,   │
///    │ │  zsh's editor still on          │ full screen, end of input │
///    │ ├──────────────────────▶ Listing ─┤  (Enter, unless redrawn)  │
///    │ │  alternate screen               │                           │
///    │ └──────────────────────▶ FullScreen                           │
///    └──────────────────────────────────┴───────────────────────────┘
/// ```
///
/// The command read last is held apart from the phase (`Segmenter::pending`): its output,
/// continuation lines and a completion redraw come while the phase moves on.
#[derive(Debug, Default)]
pub(super) enum Phase {
    /// Rows are output of the command held, or of the session before its first command.
    #[default]
    Output,
    /// The line editor holds a line, from its anchor on.
    Editing(Edit),
    /// A prompt line ended with a line feed and no editor marks: Enter, unless the shell
    /// moves back up to draw the line again.
    Entered(Tentative),
    /// The same, but zsh's editor was still on at the line feed (cursor-key mode kept on
    /// it): a completion list or a redraw, a command only if the input ends there.
    Listing(Tentative),
    /// A full-screen program has the alternate screen; nothing on it is read.
    FullScreen,
}

impl Phase {
    pub(super) fn edit(&self) -> Option<&Edit> {
        match self {
            Phase::Editing(e) => Some(e),
            _ => None,
        }
    }

    pub(super) fn edit_mut(&mut self) -> Option<&mut Edit> {
        match self {
            Phase::Editing(e) => Some(e),
            _ => None,
        }
    }
}

/// What delimits command lines in a session. It only moves down this list, to the
/// strongest delimiter seen; `LossyLines`, once reached, is kept to the end.
///
/// The shell's own marks (OSC 133 / 633) are not a mode: they place a line more exactly
/// where they come, but any program can print them, so they never turn another delimiter
/// off (a printed `133;A` once made every later line part of one edit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) enum Delimiting {
    /// No editor marks yet: a line feed after a prompt line may have submitted it (dash,
    /// mksh, bash without bracketed paste).
    #[default]
    LineFeeds,
    /// The editor switches bracketed paste on and off around each line (bash 5.1+, zsh,
    /// fish).
    EditorMarks,
    /// The SSM agent's cleaned-up CloudWatch lines: it deleted CRs and most editor marks,
    /// so lines are submitted by line feeds only.
    LossyLines,
}

/// How one delimiting mode reads the stream: each of its consequences named, so the code
/// that applies one says which it is.
#[derive(Debug)]
pub(crate) struct Rules {
    /// Bracketed paste on and off start and end an edit.
    pub editor_marks: bool,
    /// OSC 133 / 633 marks place the prompt, the typing and the Enter (as hints: see
    /// [`Delimiting`]).
    pub prompt_marks: bool,
    /// A line feed after a prompt line may be Enter.
    pub line_feeds: bool,
    /// CRs were deleted: a prompt drawn again over a row follows what it overwrote on the
    /// same row, and a prompt redrawn in place reads twice.
    pub crs_deleted: bool,
    /// Each line is final as it arrives: rows already read are not drawn over.
    pub rows_final: bool,
    /// The last line is flushed when the session ends, finished or not: a line still at its
    /// prompt then was cut off.
    pub last_line_flushed: bool,
    /// Cursor-key mode on at a line feed means zsh's editor is still on (the mark survives
    /// on zsh's raw-kept lines; editor marks do not).
    pub cursor_keys_mean_editing: bool,
}

const LINE_FEEDS: Rules = Rules {
    editor_marks: true,
    prompt_marks: true,
    line_feeds: true,
    crs_deleted: false,
    rows_final: false,
    last_line_flushed: false,
    cursor_keys_mean_editing: false,
};

const EDITOR_MARKS: Rules = Rules {
    line_feeds: false,
    ..LINE_FEEDS
};

const LOSSY_LINES: Rules = Rules {
    editor_marks: false,
    prompt_marks: false,
    line_feeds: true,
    crs_deleted: true,
    rows_final: true,
    last_line_flushed: true,
    cursor_keys_mean_editing: true,
};

impl Delimiting {
    pub(crate) const fn rules(self) -> &'static Rules {
        match self {
            Delimiting::LineFeeds => &LINE_FEEDS,
            Delimiting::EditorMarks => &EDITOR_MARKS,
            Delimiting::LossyLines => &LOSSY_LINES,
        }
    }

    /// The mode after a delimiter of kind `seen`: the stronger of the two.
    pub(crate) fn upgraded(self, seen: Delimiting) -> Delimiting {
        self.max(seen)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mode_only_moves_to_a_stronger_delimiter() {
        use Delimiting::*;
        assert_eq!(LineFeeds.upgraded(EditorMarks), EditorMarks);
        assert_eq!(LossyLines.upgraded(EditorMarks), LossyLines);
        assert_eq!(EditorMarks.upgraded(LineFeeds), EditorMarks);
    }

    #[test]
    fn each_mode_reads_one_kind_of_delimiter() {
        let r = Delimiting::LineFeeds.rules();
        assert!(r.line_feeds && r.editor_marks && !r.crs_deleted);
        let r = Delimiting::EditorMarks.rules();
        assert!(!r.line_feeds && r.editor_marks && r.prompt_marks);
        let r = Delimiting::LossyLines.rules();
        assert!(r.line_feeds && !r.editor_marks && !r.prompt_marks);
        assert!(r.crs_deleted && r.rows_final && r.last_line_flushed);
    }
}
