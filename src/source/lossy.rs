//! Undoing what the SSM agent's cleanup of streamed lines can be undone.
//!
//! Before upload the agent deletes every CR of a line, strips its CSI sequences unless the
//! line holds one its stripper rejects (then the whole line stays raw), turns TAB into a
//! space, and damages UTF-8 (`../shared/reference/ssm-log-formats.md` §4). The terminal can
//! replay what is left once the CRs that shells are known to send are put back:
//!
//! | shell output | after cleanup | put back |
//! |---|---|---|
//! | zsh `PROMPT_SP`: `%` + spaces to the margin, `\r \r` | `%` + one space more | `%` + spaces, `\r \r` (the width follows) |
//! | fish `PROMPT_SP`: `⏎` + spaces, `\r⏎ \r` | `⏎` + spaces + `⏎ ` | the two CRs |
//! | fish repaint: `\r` + `ESC[nC` before every keystroke's redraw | `ESC[nC` relative | `\r` before each `ESC[nC` on fish's lines (those carrying its `ESC(B` reset) |
//! | fish: title, colour reset, `\r`, then a prompt or a command's output | drawn after whatever preceded | `\r` after each title and its colour resets on fish's lines |
//! | zsh, back on the prompt row after a listing: `ESC[24m` `\r` `ESC[nC` | the move is relative | `\r` between `ESC[24m` and `ESC[nC` |
//!
//! What cannot be undone is documented in `LOSSY.md` (repository root) and flagged on the records: a line whose
//! editing sequences were stripped keeps only its `\b`s, CR-redrawn prompts read twice
//! (handled by the segmenter), a TAB reads as a space, damaged UTF-8 reads as U+FFFD.

use std::sync::LazyLock;

use memchr::memmem::Finder;

/// Fewest spaces after a `PROMPT_SP` mark.
const MIN_PROMPT_SP: usize = 8;

/// Longest piece of a line the agent puts in one event (3.1.1856.0 and later; 200,000
/// before): a last element of exactly this length was cut, and continues in the next event.
pub(crate) const CUT_AT: [usize; 2] = [33_000, 200_000];

/// Append the bytes a terminal would have received for one cleaned `sessionData` line,
/// ending with the line feed the agent split on (unless the line was cut, see [`CUT_AT`]).
pub(crate) fn restore_line(line: &str, cut: bool, out: &mut Vec<u8>) {
    let line = restore_prompt_sp(line);
    let line = restore_inner_prompt_sp(&line);
    // fish's `sgr0`; the searcher is built once, as building it costs more than a search.
    static FISH_SGR0: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\x1b(B"));
    let fish = FISH_SGR0.find(line.as_bytes()).is_some();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Only escape sequences are looked at; the text between them is copied as it is.
        let Some(esc) = memchr::memchr(0x1b, &b[i..]) else {
            out.extend_from_slice(&b[i..]);
            break;
        };
        out.extend_from_slice(&b[i..i + esc]);
        i += esc;
        if fish && b[i] == 0x1b && b.get(i + 1) == Some(&b'[') {
            // ESC [ digits C: fish only ever sends it after a CR.
            let digits = b[i + 2..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 && b.get(i + 2 + digits) == Some(&b'C') {
                out.push(b'\r');
            }
        }
        if !fish && b[i..].starts_with(b"\x1b[24m\x1b[") {
            // zsh ends its attribute reset with a CR before moving to the prompt's end.
            let digits = b[i + 7..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 0 && b.get(i + 7 + digits) == Some(&b'C') {
                out.extend_from_slice(b"\x1b[24m\r");
                i += 5;
                continue;
            }
        }
        if fish && b[i] == 0x1b && b.get(i + 1) == Some(&b']') {
            // fish sets the title, resets colours, then goes to column 0 to draw a prompt
            // or a command's output.
            if let Some(end) = b[i..].iter().position(|&c| c == 0x07) {
                let title_end = i + end + 1;
                let (sgr, _) = split_sgr(&line[title_end..]);
                let resume = title_end + sgr.len();
                out.extend_from_slice(&b[i..resume]);
                out.push(b'\r');
                i = resume;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    if !cut {
        out.extend_from_slice(b"\r\n");
    }
}

/// Put the CRs back into a `PROMPT_SP` run at the start of the line.
fn restore_prompt_sp(line: &str) -> std::borrow::Cow<'_, str> {
    let (_, rest) = split_sgr(line);
    let Some(mark) = rest.chars().next().filter(|c| matches!(c, '%' | '#' | '⏎')) else {
        return line.into();
    };
    let after_mark = &rest[mark.len_utf8()..];
    let (_, after_sgr) = split_sgr(after_mark);
    let spaces = after_sgr.bytes().take_while(|&c| c == b' ').count();
    if spaces < MIN_PROMPT_SP {
        return line.into();
    }
    let tail = &after_sgr[spaces..];
    let head = &line[..line.len() - after_sgr.len()];
    let mut s = String::with_capacity(line.len() + 4);
    s.push_str(head);
    if let Some(t) = tail.strip_prefix(mark) {
        // fish: mark, spaces, CR, mark and a space, CR.
        s.push_str(&after_sgr[..spaces]);
        s.push('\r');
        s.push(mark);
        let t = t.strip_prefix(' ').unwrap_or(t);
        s.push_str(" \r");
        s.push_str(t);
    } else {
        // zsh: mark, spaces, CR, a space, CR (the space is the one the cleanup left over).
        s.push_str(&after_sgr[..spaces - 1]);
        s.push_str("\r \r");
        s.push_str(tail);
    }
    s.into()
}

/// `PROMPT_SP` runs inside the line (after a command with no output, the marker follows
/// the command's own escapes on the same cleaned line, sometimes twice): fish's `⏎` +
/// spaces + `⏎ `, and zsh's reverse-video `%`/`#` + spaces. Runs already restored are left.
fn restore_inner_prompt_sp(line: &str) -> std::borrow::Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut done = 0;
    let mut from = 1;
    while let Some((i, mark, reverse)) = next_mark(line, from) {
        from = i + mark.len();
        let (_, after_sgr) = split_sgr(&line[from..]);
        let spaces = after_sgr.bytes().take_while(|&c| c == b' ').count();
        let tail = &after_sgr[spaces..];
        let fish_second = !reverse && tail.starts_with(mark);
        if spaces < MIN_PROMPT_SP || tail.starts_with('\r') || (!reverse && !fish_second) {
            continue;
        }
        // Restore this run as if it began the line, up to where the run ends.
        let mut end = line.len() - tail.len();
        if fish_second {
            end += mark.len() + usize::from(tail[mark.len()..].starts_with(' '));
        }
        let s = out.get_or_insert_with(|| String::with_capacity(line.len() + 8));
        s.push_str(&line[done..i]);
        s.push_str(&restore_prompt_sp(&line[i..end]));
        done = end;
        from = end.max(from);
    }
    match out {
        Some(mut s) => {
            s.push_str(&line[done..]);
            s.into()
        }
        None => line.into(),
    }
}

/// The next `PROMPT_SP` mark at or after byte `from`: (where, the mark, zsh's reverse video).
fn next_mark(line: &str, from: usize) -> Option<(usize, &'static str, bool)> {
    // Searchers built once; most lines have neither mark, which a vectorised search of each
    // says at once (a scan stopping at every ESC of a colourful line does not).
    static FISH: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("⏎".as_bytes()));
    static REVERSE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\x1b[7m"));
    let b = line.as_bytes().get(from..)?;
    let fish = FISH.find(b).map(|i| (from + i, "⏎", false));
    let mut at = 0;
    let mut zsh = None;
    while let Some(i) = REVERSE.find(&b[at..]).map(|i| at + i) {
        match b.get(i + 4) {
            Some(b'%') => zsh = Some((from + i, "\x1b[7m%", true)),
            Some(b'#') => zsh = Some((from + i, "\x1b[7m#", true)),
            _ => {
                at = i + 1;
                continue;
            }
        }
        break;
    }
    match (fish, zsh) {
        (Some(f), Some(z)) => Some(if f.0 < z.0 { f } else { z }),
        (f, z) => f.or(z),
    }
}

/// Split leading SGR and charset sequences (`ESC[…m`, `ESC(B`) off `s`.
fn split_sgr(s: &str) -> (&str, &str) {
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        if b[i..].starts_with(b"\x1b(B") {
            i += 3;
            continue;
        }
        if b[i..].starts_with(b"\x1b[") {
            let n = b[i + 2..]
                .iter()
                .take_while(|c| c.is_ascii_digit() || **c == b';')
                .count();
            if b.get(i + 2 + n) == Some(&b'm') {
                i += 3 + n;
                continue;
            }
        }
        break;
    }
    (&s[..i], &s[i..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restore(s: &str) -> String {
        let mut out = Vec::new();
        restore_line(s, false, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn zsh_prompt_sp() {
        let line = format!(
            "\x1b[1m\x1b[7m%\x1b[27m\x1b[1m\x1b[0m{}\x1b[0m$ ls",
            " ".repeat(10)
        );
        let want = format!(
            "\x1b[1m\x1b[7m%\x1b[27m\x1b[1m\x1b[0m{}\r \r\x1b[0m$ ls\r\n",
            " ".repeat(9)
        );
        assert_eq!(restore(&line), want);
    }

    #[test]
    fn fish_prompt_sp_and_repaints() {
        let line = format!(
            "\x1b[2m⏎\x1b(B\x1b[m{}⏎ \x1b[K> \x1b[25Cl\x1b[26C",
            " ".repeat(9)
        );
        let want = format!(
            "\x1b[2m⏎\x1b(B\x1b[m{}\r⏎ \r\x1b[K> \r\x1b[25Cl\r\x1b[26C\r\n",
            " ".repeat(9)
        );
        assert_eq!(restore(&line), want);
    }

    #[test]
    fn prompt_sp_twice_inside_a_line() {
        let sp = " ".repeat(9);
        let line = format!("x\x1b[2m⏎\x1b(B\x1b[m{sp}⏎ \x1b[K\x1b[2m⏎\x1b(B\x1b[m{sp}⏎ \x1b[K> ");
        let want = format!(
            "x\x1b[2m⏎\x1b(B\x1b[m{sp}\r⏎ \r\x1b[K\x1b[2m⏎\x1b(B\x1b[m{sp}\r⏎ \r\x1b[K> \r\n"
        );
        assert_eq!(restore(&line), want);
    }

    #[test]
    fn other_lines_unchanged() {
        assert_eq!(restore("sh-5.2$ lss\x08 \x08"), "sh-5.2$ lss\x08 \x08\r\n");
        assert_eq!(restore("[u@h ~]$ ls\x1b[5C"), "[u@h ~]$ ls\x1b[5C\r\n");
        assert_eq!(
            restore("x\x1b[A\x1b[24m\x1b[26Ccd"),
            "x\x1b[A\x1b[24m\r\x1b[26Ccd\r\n"
        );
        assert_eq!(restore("% of disk     used"), "% of disk     used\r\n");
    }
}
