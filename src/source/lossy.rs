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
//! The rules are read off the line's [`Op`]s, made by the terminal's own [`Parser`]: which
//! bytes are a sequence, and which, is the parser's knowledge alone. The repair is a list of
//! CRs (and a space) to insert at op boundaries, written out with the line.
//!
//! What cannot be undone is documented in `LOSSY.md` (repository root) and flagged on the records: a line whose
//! editing sequences were stripped keeps only its `\b`s, CR-redrawn prompts read twice
//! (handled by the segmenter), a TAB reads as a space, damaged UTF-8 reads as U+FFFD.

use memchr::memmem::Finder;
use std::sync::LazyLock;

use crate::terminal::{Op, Parser, Sink};

/// Fewest spaces after a `PROMPT_SP` mark.
const MIN_PROMPT_SP: usize = 8;

/// Longest piece of a line the agent puts in one event (3.1.1856.0 and later; 200,000
/// before): a last element of exactly this length was cut, and continues in the next event.
pub(crate) const CUT_AT: [usize; 2] = [33_000, 200_000];

/// What the repair needs to know of an op of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Printed text: characters, runs of them joined.
    Text,
    /// SGR, with its one parameter (or [`SGR_MANY`](crate::terminal::op::SGR_MANY)).
    Sgr(u16),
    /// `ESC ( B`, G0 set to ASCII: part of fish's `sgr0`.
    AsciiG0,
    /// CUF written with a count (longer than a bare `CSI C`): fish moves this way, after a CR.
    CufCounted,
    /// An OSC string of any kind.
    Osc,
    /// Anything else: controls, other sequences.
    Other,
}

/// An op of the line and the bytes it was read from.
#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Collects the ops of a line as [`Tok`]s.
#[derive(Default)]
struct Toks(Vec<Tok>);

impl Sink for Toks {
    fn op(&mut self, op: Op<'_>, start: u64, end: u64) {
        let (start, end) = (start as usize, end as usize);
        let kind = match op {
            Op::Print(_) | Op::PrintChar(_) => Kind::Text,
            Op::Sgr(p) => Kind::Sgr(p),
            Op::Scs {
                set: b'(',
                charset: b'B',
            } => Kind::AsciiG0,
            Op::Cuf(_) if end - start > 3 => Kind::CufCounted,
            Op::Title(_)
            | Op::Cwd(_)
            | Op::Mark(_)
            | Op::CommandLine { .. }
            | Op::IgnoredOsc(_) => Kind::Osc,
            _ => Kind::Other,
        };
        if let Some(last) = self.0.last_mut() {
            // A sequence vte read ends, for the parser, with the piece it was given; it
            // really ends where the next op starts.
            if last.start < start {
                last.end = last.end.min(start);
            }
            if kind == Kind::Text && last.kind == Kind::Text && last.end == start {
                last.end = end;
                return;
            }
        }
        self.0.push(Tok { kind, start, end });
    }
}

/// A cleaned line and its ops; a line with no ESC has no sequences, and no ops are made for
/// it (most lines: the parser is not run for them).
struct Line<'a> {
    text: &'a str,
    toks: &'a [Tok],
}

impl Line<'_> {
    /// The op starting at byte `at`, if one does.
    fn tok_at(&self, at: usize) -> Option<(usize, &Tok)> {
        let i = self.toks.partition_point(|t| t.start < at);
        self.toks.get(i).filter(|t| t.start == at).map(|t| (i, t))
    }

    /// Past the SGR and `ESC ( B` sequences starting at `at`.
    fn skip_styles(&self, mut at: usize) -> usize {
        while let Some((_, t)) = self.tok_at(at) {
            match t.kind {
                Kind::Sgr(_) | Kind::AsciiG0 => at = t.end,
                _ => break,
            }
        }
        at
    }

    /// Whether byte `at` is printed text (not inside a sequence).
    fn is_text(&self, at: usize) -> bool {
        if self.toks.is_empty() {
            return true;
        }
        let i = self.toks.partition_point(|t| t.end <= at);
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == Kind::Text && t.start <= at)
    }
}

/// Where to put back what the cleanup deleted: (byte of the line, what goes before it).
type Inserts = Vec<(usize, &'static str)>;

/// The repair of a session's lines: a parser and buffers kept from one line to the next.
pub(crate) struct Repair {
    parser: Parser,
    toks: Toks,
    ins: Inserts,
}

impl Default for Repair {
    fn default() -> Repair {
        Repair {
            parser: Parser::exact(),
            toks: Toks::default(),
            ins: Inserts::new(),
        }
    }
}

impl std::fmt::Debug for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repair").finish_non_exhaustive()
    }
}

impl Repair {
    /// Append the bytes a terminal would have received for one cleaned `sessionData` line,
    /// ending with the line feed the agent split on (unless the line was cut, see
    /// [`CUT_AT`]).
    pub(crate) fn restore_line(&mut self, text: &str, cut: bool, out: &mut Vec<u8>) {
        self.toks.0.clear();
        self.ins.clear();
        if memchr::memchr(0x1b, text.as_bytes()).is_some() {
            self.parser.advance(text.as_bytes(), 0, &mut self.toks);
            if !self.parser.between_sequences() {
                // Each line is read on its own: a sequence it left open ends with it.
                self.parser = Parser::exact();
            }
        }
        restore(text, &self.toks.0, &mut self.ins, out);
        if !cut {
            out.extend_from_slice(b"\r\n");
        }
    }
}

fn restore(text: &str, toks: &[Tok], ins: &mut Inserts, out: &mut Vec<u8>) {
    let line = Line { text, toks };
    let first = prompt_sp(&line, 0, None, ins);
    inner_prompt_sp(&line, first, ins);
    sequence_crs(&line, ins);
    // Inserts at one spot keep the order they were found in: PROMPT_SP's first.
    ins.sort_by_key(|&(at, _)| at);
    let mut done = 0;
    for &(at, what) in ins.iter() {
        out.extend_from_slice(&text.as_bytes()[done..at]);
        out.extend_from_slice(what.as_bytes());
        done = at;
    }
    out.extend_from_slice(&text.as_bytes()[done..]);
}

/// The CRs the shells send around their sequences (see the table above).
fn sequence_crs(line: &Line<'_>, ins: &mut Inserts) {
    let toks = line.toks;
    let fish = toks.iter().any(|t| t.kind == Kind::AsciiG0);
    for (k, t) in toks.iter().enumerate() {
        match t.kind {
            // fish only ever moves right by a count after a CR.
            Kind::CufCounted if fish => ins.push((t.start, "\r")),
            // zsh ends its attribute reset with a CR before moving to the prompt's end.
            Kind::Sgr(24)
                if !fish
                    && toks
                        .get(k + 1)
                        .is_some_and(|n| n.kind == Kind::CufCounted && n.start == t.end) =>
            {
                ins.push((t.end, "\r"));
            }
            // fish sets the title, resets colours, then goes to column 0 to draw a prompt or
            // a command's output.
            Kind::Osc if fish => ins.push((line.skip_styles(t.end), "\r")),
            _ => {}
        }
    }
}

/// A `PROMPT_SP` run starting at byte `start` (after styles): its CRs put back; returns
/// where its mark is. `fish`: the run must be fish's form (mark, spaces, mark) or must not
/// be; `None` takes the form the line has.
fn prompt_sp(
    line: &Line<'_>,
    start: usize,
    fish: Option<bool>,
    ins: &mut Inserts,
) -> Option<usize> {
    let text = line.text;
    let at = line.skip_styles(start);
    let mark = text[at..]
        .chars()
        .next()
        .filter(|c| matches!(c, '%' | '#' | '⏎'))?;
    let spaces_at = line.skip_styles(at + mark.len_utf8());
    let spaces = text.as_bytes()[spaces_at..]
        .iter()
        .take_while(|&&c| c == b' ')
        .count();
    if spaces < MIN_PROMPT_SP {
        return None;
    }
    let tail = spaces_at + spaces;
    let second = text[tail..].starts_with(mark);
    if fish.unwrap_or(second) {
        // fish: mark, spaces, CR, mark and a space, CR.
        ins.push((tail, "\r"));
        let after = tail + mark.len_utf8();
        if text[after..].starts_with(' ') {
            ins.push((after + 1, "\r"));
        } else {
            ins.push((after, " \r"));
        }
    } else {
        // zsh: mark, spaces, CR, a space, CR (the space is the one the cleanup left over).
        ins.push((tail - 1, "\r"));
        ins.push((tail, "\r"));
    }
    Some(at)
}

/// `PROMPT_SP` runs inside the line (after a command with no output, the marker follows
/// the command's own escapes on the same cleaned line, sometimes twice): fish's `⏎` +
/// spaces + `⏎ `, and zsh's reverse-video `%`/`#` + spaces. `restored`: the mark of the run
/// at the start of the line, already put back.
fn inner_prompt_sp(line: &Line<'_>, restored: Option<usize>, ins: &mut Inserts) {
    let mut from = 1;
    while let Some((i, mark_at, reverse)) = next_mark(line, from) {
        from = mark_at + 1;
        if Some(mark_at) == restored {
            continue;
        }
        let before = ins.len();
        // fish's form needs its second mark; zsh's, its reverse video.
        let fish = !reverse;
        if prompt_sp(line, i, Some(fish), ins).is_none() || (fish && !second_mark(line, mark_at)) {
            ins.truncate(before);
            continue;
        }
        from = ins.last().map_or(from, |&(at, _)| at.max(from));
    }
}

/// Whether fish's run whose first mark is at `mark_at` has its second mark after the spaces.
fn second_mark(line: &Line<'_>, mark_at: usize) -> bool {
    let mark = '⏎'.len_utf8();
    let spaces_at = line.skip_styles(mark_at + mark);
    let rest = &line.text[spaces_at..];
    rest.trim_start_matches(' ').starts_with('⏎')
}

/// The next `PROMPT_SP` mark at or after byte `from`: (where its run starts, where the mark
/// is, zsh's reverse video).
fn next_mark(line: &Line<'_>, from: usize) -> Option<(usize, usize, bool)> {
    // Built once; most lines have no mark, which a vectorised search says at once.
    static FISH: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("⏎".as_bytes()));
    let b = line.text.as_bytes().get(from..)?;
    let mut at = 0;
    let mut fish = None;
    while let Some(i) = FISH.find(&b[at..]).map(|i| from + at + i) {
        if line.is_text(i) {
            fish = Some((i, i, false));
            break;
        }
        at = i - from + 1;
    }
    let first = line.toks.partition_point(|t| t.start < from);
    let zsh = line.toks[first..]
        .iter()
        .take_while(|t| fish.is_none_or(|(f, _, _)| t.start < f))
        .find(|t| {
            t.kind == Kind::Sgr(7) && matches!(line.text.as_bytes().get(t.end), Some(b'%' | b'#'))
        })
        .map(|t| (t.start, t.end, true));
    zsh.or(fish)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn restore(s: &str) -> String {
        let mut out = Vec::new();
        Repair::default().restore_line(s, false, &mut out);
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
    fn the_ops_of_a_line_start_and_end_where_their_bytes_do() {
        let line = "\x1b]0;t\x07\x1b(Bx\u{e9}\x1b[5C\x1b[C\x1b[24m";
        let mut toks = Toks::default();
        Parser::exact().advance(line.as_bytes(), 0, &mut toks);
        let got: Vec<_> = toks.0.iter().map(|t| (t.kind, t.start, t.end)).collect();
        assert_eq!(
            got,
            [
                (Kind::Osc, 0, 6),
                (Kind::AsciiG0, 6, 9),
                (Kind::Text, 9, 12),
                (Kind::CufCounted, 12, 16),
                (Kind::Other, 16, 19),
                (Kind::Sgr(24), 19, 24),
            ]
        );
    }

    #[test]
    fn a_mark_inside_a_sequence_is_not_prompt_sp() {
        let sp = " ".repeat(9);
        let line = format!("x\x1b]0;⏎{sp}⏎ \x07> ");
        assert_eq!(restore(&line), format!("{line}\r\n"));
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
