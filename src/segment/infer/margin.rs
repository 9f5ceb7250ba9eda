//! readline's wrap: at the margin it prints a space and CR, so that the cursor is at the
//! start of the next row whatever the terminal does with a pending wrap. While a line is
//! being edited, a space printed at the end of a row, a CR, then more text means the row
//! ended at that column: the screen is that wide. fish manages the margin itself: it moves
//! off a full row with a line feed and comes back up to redraw.

use crate::segment::prompt::shape_end;
use crate::terminal::view::{Pos, Screen};

/// A readline wrap is only believed at or past this column: short rows ending in a space and
/// CR are redraws (`sh-4.2$ \r`), not a margin.
const MIN_WRAP_COL: usize = 16;

/// A space printed last at (`r`, `c`), then CR: the margin it reveals, if the row is a line
/// being edited. The screen keeps it as a candidate until text follows.
pub(crate) fn readline_wrap(screen: &Screen, r: u64, c: usize) -> Option<Pos> {
    let row = screen.row(r)?;
    // A space at the start of a wrapped row already wrapped where the model expected.
    if c == 0 {
        return None;
    }
    let line = screen.logical_start(r);
    let off = screen.logical_offset(r, c);
    if off < MIN_WRAP_COL || row.len() != c + 1 {
        return None;
    }
    // PROMPT_SP padding: a mark then spaces only.
    if line == r
        && row.cell(0).is_some_and(|m| m.ch != ' ')
        && row.chars().skip(1).all(|c| c == ' ')
    {
        return None;
    }
    let text = screen.line_text(line, 0, 0);
    // A bare prompt followed by CR is a redraw (reverse-i-search), not a margin.
    if shape_end(&text).is_some_and(|n| n >= text.trim_end().len()) {
        return None;
    }
    // Outside a known editor, only rows that start with a prompt are edited lines.
    if !(screen.editing() || screen.line_mode() && shape_end(&text).is_some_and(|n| n < off)) {
        return None;
    }
    Some(Pos { line, off })
}

/// Text follows at the start of the row after a margin found by [`readline_wrap`]: it holds
/// while a line is being edited, unless the width came from a `PROMPT_SP` line.
pub(crate) fn readline_wrap_holds(screen: &Screen) -> bool {
    // A shell that marks every prompt with PROMPT_SP (zsh, fish) told us the width itself;
    // its own space-and-CR is padding of a repaint, not the margin.
    let told = screen.width().is_some() && screen.width_from_prompt_sp();
    (screen.editing() || screen.line_mode()) && !told
}

/// Text reached column `col` of row `r`, a line feed followed, and the cursor now goes back
/// up before printing: fish moved off a full row, so the screen is `col` wide, if the shell's
/// editor is active and no row of the line being read is longer.
pub(crate) fn fish_margin(screen: &Screen, r: u64, col: usize) -> Option<usize> {
    let fits = screen.width().is_none_or(|w| col < w);
    let rows_shorter = (screen.pin().max(screen.first_row())..=r)
        .all(|x| screen.row(x).is_none_or(|row| row.len() <= col));
    (fits && screen.editing() && col >= MIN_WRAP_COL && rows_shorter).then_some(col)
}

#[cfg(test)]
mod tests {
    use super::super::test_screen::draw;

    fn wrapped(editing: bool, line_mode: bool, text: &str) -> (Option<usize>, (u64, usize)) {
        let bytes = format!("{text} \ryz");
        let s = draw(
            None,
            |s| {
                s.set_editing(editing);
                s.set_line_mode(line_mode);
            },
            bytes.as_bytes(),
        );
        (s.width(), s.cursor())
    }

    #[test]
    fn space_and_cr_at_the_margin_while_editing() {
        let (width, cursor) = wrapped(true, false, &format!("$ {}", "x".repeat(28)));
        assert_eq!((width, cursor), (Some(30), (1, 2)));
    }

    #[test]
    fn outside_an_editor_the_row_must_start_with_a_prompt() {
        let text = format!("$ {}", "x".repeat(28));
        assert_eq!(wrapped(false, true, &text).0, Some(30));
        assert_eq!(wrapped(false, true, &"x".repeat(30)).0, None);
        assert_eq!(wrapped(false, false, &text).0, None);
    }

    #[test]
    fn a_width_from_prompt_sp_is_not_moved_by_a_space_and_cr() {
        let bytes = format!("%{}\r\n$ {} \ryz", " ".repeat(49), "x".repeat(28));
        let s = draw(None, |s| s.set_editing(true), bytes.as_bytes());
        assert_eq!(s.width(), Some(50));
        let bytes = format!("$ {} \ryz", "x".repeat(28));
        let s = draw(Some(50), |s| s.set_editing(true), bytes.as_bytes());
        assert_eq!(s.width(), Some(30));
    }

    #[test]
    fn short_rows_and_bare_prompts_are_redraws() {
        assert_eq!(wrapped(true, false, "sh-4.2$").0, None);
        let prompt = format!("[user@{}]$", "h".repeat(20));
        assert_eq!(wrapped(true, false, &prompt).0, None);
    }

    #[test]
    fn line_feed_off_a_full_row_then_up_while_editing() {
        let bytes = format!("> {}\n\x1b[A", "x".repeat(38));
        let s = draw(None, |s| s.set_editing(true), bytes.as_bytes());
        assert_eq!(s.width(), Some(40));
        let s = draw(None, |_| {}, bytes.as_bytes());
        assert_eq!(s.width(), None);
        let short = draw(None, |s| s.set_editing(true), b"> ls\n\x1b[A");
        assert_eq!(short.width(), None);
    }
}
