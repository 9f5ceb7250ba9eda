//! zsh's right prompt (`RPROMPT`): after the left prompt it jumps the cursor over blank cells
//! to the right and draws a decoration there (a clock, a git branch), then jumps back. The
//! screen stamps cells drawn after such a jump [`DETACHED`]; they are not part of the line.

use crate::terminal::view::{DETACHED, FIRST_ERA, Screen};

// Reading from the first era on is what leaves the detached cells out.
const _: () = assert!(DETACHED < FIRST_ERA);

/// The text of the logical line starting at `line`, without a right prompt drawn on it.
pub(crate) fn without_rprompt(screen: &Screen, line: u64) -> String {
    screen.line_text(line, 0, FIRST_ERA)
}

#[cfg(test)]
mod tests {
    use super::super::test_screen::draw;
    use super::without_rprompt;

    #[test]
    fn a_decoration_after_a_jump_is_left_out() {
        let s = draw(Some(40), |_| {}, b"% \x1b[30C[12:00]\r\x1b[2Cls -l");
        assert_eq!(s.row_text(0), format!("% ls -l{}[12:00]", " ".repeat(25)));
        assert_eq!(without_rprompt(&s, 0), "% ls -l");
    }

    #[test]
    fn text_after_a_one_column_move_stays() {
        let s = draw(Some(40), |_| {}, b"% ls\x1b[Cx");
        assert_eq!(without_rprompt(&s, 0), "% ls x");
    }
}
