//! zsh's and fish's `PROMPT_SP`: before each prompt they print one mark (`%` or `#` for zsh,
//! `⏎` for fish) and spaces up to the last column, then CR, so that output without a final
//! newline stays visible. The number of columns filled is the width.

use crate::terminal::view::{PromptSp, Row, Screen};

/// Fewest spaces after the mark for a row to count as a `PROMPT_SP` line.
const MIN_PROMPT_SP: usize = 8;

/// At a CR: whether the cursor's logical line is a mark and spaces filling it up to the
/// cursor (the screen calls this only when the cursor's row ends in a space). After output
/// that did not end in a newline the mark follows that output: still a `PROMPT_SP` line,
/// but one that tells no width.
pub(crate) fn detect(screen: &Screen) -> Option<PromptSp> {
    let (row, col) = screen.cursor();
    let line = screen.logical_start(row);
    let chars = || {
        (line..=row)
            .filter_map(|r| screen.row(r))
            .flat_map(Row::chars)
    };
    let filled = screen.logical_offset(row, col) + usize::from(screen.pending_wrap());
    // The mark is one or two characters: a third that is not a space ends the test (a
    // typed line that ends in a space, which a wrapping line editor prints at the margin).
    if screen
        .row(line)
        .and_then(|r| r.cell(2))
        .is_some_and(|c| c.ch != ' ')
    {
        return after_text(screen, row, col + usize::from(screen.pending_wrap()), line);
    }
    if chars().count() != filled || filled < MIN_PROMPT_SP + 1 {
        return None;
    }
    let mark = chars().take_while(|&c| c != ' ').count();
    if !(1..=2).contains(&mark) || chars().skip(mark).any(|c| c != ' ') {
        return None;
    }
    if filled - mark < MIN_PROMPT_SP {
        return None;
    }
    Some(PromptSp {
        mark: chars().next()?,
        line,
        width: Some(filled),
    })
}

/// A mark and at least [`MIN_PROMPT_SP`] spaces up to column `col` of `row`, after other
/// text; read backwards from there, over one wrap at most (this runs at CRs).
fn after_text(screen: &Screen, row: u64, col: usize, line: u64) -> Option<PromptSp> {
    let mut blanks = 0;
    let mut r = row;
    let mut end = col;
    loop {
        let cells = screen.row(r)?;
        let mut i = end.min(cells.len());
        while i > 0 {
            i -= 1;
            match cells.ch(i)? {
                ' ' => blanks += 1,
                mark @ ('%' | '#' | '⏎') if blanks >= MIN_PROMPT_SP => {
                    return Some(PromptSp {
                        mark,
                        line,
                        width: None,
                    });
                }
                _ => return None,
            }
        }
        if r == line || r + 1 < row {
            return None;
        }
        r -= 1;
        end = usize::MAX;
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_screen::draw;

    #[test]
    fn a_mark_and_spaces_give_the_width() {
        let s = draw(None, |_| {}, format!("%{}\r", " ".repeat(49)).as_bytes());
        assert_eq!(s.width(), Some(50));
        assert_eq!(s.prompt_sp_mark(), Some('%'));
    }

    #[test]
    fn fish_mark_is_kept() {
        let s = draw(None, |_| {}, format!("⏎{}\r", " ".repeat(29)).as_bytes());
        assert_eq!((s.width(), s.prompt_sp_mark()), (Some(30), Some('⏎')));
    }

    #[test]
    fn text_or_too_few_spaces_is_not_prompt_sp() {
        let s = draw(None, |_| {}, format!("abc{}\r", " ".repeat(40)).as_bytes());
        assert_eq!((s.width(), s.prompt_sp_mark()), (None, None));
        let s = draw(None, |_| {}, format!("%{}\r", " ".repeat(7)).as_bytes());
        assert_eq!((s.width(), s.prompt_sp_mark()), (None, None));
    }

    #[test]
    fn a_mark_after_output_counts_but_tells_no_width() {
        let s = draw(
            None,
            |_| {},
            format!("sudo reboot%{}\r", " ".repeat(20)).as_bytes(),
        );
        assert_eq!(
            (s.width(), s.prompt_sp_mark(), s.prompt_sps()),
            (None, None, 1)
        );
        let s = draw(None, |_| {}, format!("abc{}\r", " ".repeat(40)).as_bytes());
        assert_eq!(s.prompt_sps(), 0);
    }

    #[test]
    fn a_resized_terminal_moves_the_width() {
        let s = draw(
            Some(80),
            |_| {},
            format!("%{}\r", " ".repeat(59)).as_bytes(),
        );
        assert_eq!(s.width(), Some(60));
    }
}
