//! Lines a shell scrolls sideways instead of wrapping (mksh).
//!
//! mksh shows a window of a line wider than the terminal, with a marker in the last used
//! column: `<` (more on the left), `>` (more on the right) or `*` (both). When the cursor
//! leaves the window it redraws another one after a CR. The screen keeps what each window
//! showed (`Screen::snapshots`); the line is put back together from the last window leftwards,
//! each older window adding what lies to the left of the newest text it overlaps, until a
//! window that starts with the prompt is reached.

/// Shortest overlap believed between two windows of the same line.
const MIN_OVERLAP: usize = 4;

/// A window without its scroll marker, if it has one.
pub(crate) fn window(row: &str) -> Option<&str> {
    let t = row.trim_end();
    let inner = t.strip_suffix(['<', '>', '*'])?;
    Some(inner.trim_end())
}

/// The whole line, if `last` is a scrolled window and the older windows reach back to a
/// prompt (`starts_with_prompt`).
pub(crate) fn unscroll(
    last: &str,
    snapshots: &[&str],
    starts_with_prompt: impl Fn(&str) -> bool,
) -> Option<String> {
    let mut line: Vec<char> = window(last)?.chars().collect();
    let mut used = vec![false; snapshots.len()];
    loop {
        if starts_with_prompt(&line.iter().collect::<String>()) {
            return Some(line.into_iter().collect());
        }
        let mut extended = false;
        for (i, snap) in snapshots.iter().enumerate().rev() {
            if used[i] {
                continue;
            }
            let w: Vec<char> = window(snap).unwrap_or(snap.trim_end()).chars().collect();
            // The smallest shift at which this window agrees with the start of the line.
            let found = (1..w.len()).find(|&p| {
                let n = (w.len() - p).min(line.len());
                n >= MIN_OVERLAP && w[p..p + n] == line[..n]
            });
            if let Some(p) = found {
                used[i] = true;
                let mut joined = w[..p].to_vec();
                if w.len() - p > line.len() {
                    joined.extend_from_slice(&w[p..]);
                } else {
                    joined.extend_from_slice(&line);
                }
                line = joined;
                extended = true;
                break;
            }
        }
        if !extended {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_stitched_back_to_the_prompt() {
        let snaps = [
            "$ echo one two three four",
            "two three four five six seven   <",
            "$ echo ONE two three fou>",
        ];
        let last = "three four five six seven eight   <";
        let got = unscroll(last, &snaps, |t| t.starts_with("$ "));
        assert_eq!(
            got.as_deref(),
            Some("$ echo ONE two three four five six seven eight")
        );
        assert_eq!(
            unscroll("no marker here", &snaps, |t| t.starts_with("$ ")),
            None
        );
    }
}
