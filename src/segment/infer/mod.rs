//! What the shell's habits reveal about the screen: each heuristic reads the screen through
//! [`crate::terminal::view`] and returns a fact; the screen (or the segmenter) acts on it.
//!
//! Asked by the screen while it draws, through the [`RULES`] it is given: [`prompt_sp`] finds
//! zsh's and fish's `PROMPT_SP` line (the width, and which shell), [`margin`] readline's and
//! fish's ways with the margin. Used by the segmenter when it reads a line: [`interrupt`]
//! takes back a `^C` echoed over it, [`hscroll`] puts back a line mksh scrolled sideways from
//! the windows the screen kept of it at each CR, [`rprompt`] leaves out zsh's right prompt.

pub(crate) mod hscroll;
pub(crate) mod interrupt;
pub(crate) mod margin;
pub(crate) mod prompt_sp;
pub(crate) mod rprompt;

use crate::terminal::view::Rules;

/// The questions the screen asks while it draws, answered with the shells' habits.
pub(crate) const RULES: Rules = Rules {
    prompt_sp: prompt_sp::detect,
    margin_wrap: margin::readline_wrap,
    margin_confirm: margin::readline_wrap_holds,
    margin_up: margin::fish_margin,
};

#[cfg(test)]
pub(crate) mod test_screen {
    use crate::terminal::Terminal;
    use crate::terminal::view::{Observer, Screen, Signal};

    /// A screen of `width` columns (unknown with `None`) that `bytes` were drawn on, with the
    /// shells' rules; `setup` sees the screen before the bytes come.
    pub fn draw(width: Option<usize>, setup: impl FnOnce(&mut Screen), bytes: &[u8]) -> Screen {
        struct Nothing;
        impl Observer for Nothing {
            fn signal(&mut self, _: Signal, _: &mut Screen, _: u64) {}
        }
        let mut t = Terminal::with_rules(width, super::RULES);
        setup(&mut t.screen);
        t.advance(bytes, 0, &mut Nothing);
        t.screen
    }

    /// A terminal of `width` columns with the shells' rules, and `seg` watching it read
    /// `bytes` (to the end of the input, with `finish`), as a replay does; `lossy`: as the
    /// agent's cleaned-up lines.
    pub fn replay(
        seg: &mut crate::segment::Segmenter,
        width: Option<usize>,
        bytes: &[u8],
        lossy: bool,
        finish: bool,
    ) {
        let mut t = Terminal::with_rules(width, super::RULES);
        if lossy {
            seg.delimit_by(crate::segment::Delimiting::LossyLines, &mut t.screen);
        }
        t.advance(bytes, 0, seg);
        if finish {
            let end = bytes.len() as u64;
            t.finish(end, seg);
            seg.finish(&mut t.screen, end);
        }
    }
}
