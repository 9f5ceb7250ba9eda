//! An interrupt echoed over the line: the terminal (or bash's and fish's editor) prints `^C`
//! at the cursor when Ctrl-C is typed. The line that was abandoned is what it covered.

use crate::terminal::view::Screen;

/// If the last two characters printed were `^C` side by side on `row`, put back what they
/// covered and return true.
pub(crate) fn undo_echo(screen: &mut Screen, row: u64) -> bool {
    let [(r0, c0), (r1, c1)] = screen.last_printed();
    let side_by_side = r0 == row && r1 == row && c1 == c0 + 1;
    let shown = screen
        .row(row)
        .map(|rw| (rw.cell(c0).map(|c| c.ch), rw.cell(c1).map(|c| c.ch)));
    if !side_by_side || shown != Some((Some('^'), Some('C'))) {
        return false;
    }
    screen.uncover_last_printed();
    true
}

#[cfg(test)]
mod tests {
    use super::super::test_screen::draw;
    use super::undo_echo;

    fn undone(bytes: &[u8]) -> (bool, String) {
        let mut s = draw(None, |_| {}, bytes);
        let row = s.cursor().0;
        let undone = undo_echo(&mut s, row);
        (undone, s.row_text(row))
    }

    #[test]
    fn an_echo_at_the_end_of_the_line_is_taken_back() {
        assert_eq!(undone(b"$ sleep 10^C"), (true, "$ sleep 10".into()));
    }

    #[test]
    fn what_the_echo_covered_comes_back() {
        assert_eq!(
            undone(b"$ echo abcd\x08\x08^C"),
            (true, "$ echo abcd".into())
        );
        assert_eq!(undone(b"$ echo abcd\x08^C"), (true, "$ echo abcd".into()));
    }

    #[test]
    fn anything_else_stays() {
        assert_eq!(undone(b"$ echo ^C."), (false, "$ echo ^C.".into()));
        assert_eq!(undone(b"$ echo ^\x1b[C"), (false, "$ echo ^".into()));
        assert_eq!(undone(b"$ echo ^\r\nC"), (false, "C".into()));
    }
}
