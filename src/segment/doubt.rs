//! How sure a command record is: its [`Doubt`]s, derived once the record is complete from
//! the evidence the segmenter recorded for each decision and from its text, so that no
//! decision sets a flag of its own and every flag says why.

use crate::record::{Command, Doubt, Evidence, EvidenceSet};

/// The width a terminal opens with (xterm, the AWS console's and the CLI's default): where
/// the width was never learned, a longer line may have wrapped.
const DEFAULT_WIDTH: usize = 80;

/// What the session tells about a command beyond its own evidence.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Context {
    /// Read from the SSM agent's cleaned-up lines.
    pub lossy: bool,
    /// The terminal width, if known.
    pub width: Option<usize>,
    /// The shell is fish (its blocks end with `end`).
    pub fish: bool,
}

/// Each doubt, in the order records list them, with the evidence that raises it (others
/// are read from the text too, in [`weigh`]).
const RAISED_BY: [(Doubt, &[Evidence]); 14] = [
    (Doubt::ReportDiffers, &[Evidence::ShellReportDiffers]),
    (Doubt::Unscrolled, &[Evidence::Unscrolled]),
    (Doubt::CutByEndOfInput, &[Evidence::EndOfInput]),
    (Doubt::DamagedText, &[]),
    (Doubt::LossyWrap, &[]),
    (Doubt::TabAsSpaces, &[Evidence::TabOnLine]),
    (Doubt::HistorySearch, &[]),
    (
        Doubt::PromptUnlikeShell,
        &[
            Evidence::TitleMissing,
            Evidence::KeypadMissing,
            Evidence::EnterUnlikeShell,
            Evidence::UserHostDiffers,
            Evidence::PromptSpMissing,
        ],
    ),
    (Doubt::ArrivedWithOutput, &[Evidence::SameEventAsOutput]),
    (Doubt::LossyEdit, &[Evidence::EditInCleanedLine]),
    (Doubt::Incomplete, &[]),
    (
        Doubt::PromptInOutput,
        &[Evidence::AfterSilentPrinter, Evidence::InPrintedTranscript],
    ),
    (Doubt::NotTyped, &[Evidence::NeverTyped]),
    (Doubt::PrintedAtOnce, &[Evidence::PrintedAtOnce]),
];

/// Set `doubts`, `suspicious` and `uncertain` on a finished command.
pub(super) fn weigh(c: &mut Command, cx: Context) {
    let e = c.evidence;
    let doubtful: EvidenceSet = RAISED_BY
        .iter()
        .flat_map(|(_, kinds)| kinds.iter().copied())
        .collect();
    // This runs on every command: most are read from a raw log, ASCII, with no evidence of
    // doubt, and are done with here.
    if !cx.lossy
        && c.doubts.is_empty()
        && !e.intersects(doubtful)
        && c.command.is_ascii()
        && c.prompt.is_ascii()
    {
        // Only blanks standing for a TAB can be doubted here.
        let tab = two_blanks(c.command.as_bytes()) && blanks_to_tab_stop(c);
        if tab {
            c.doubts.push(Doubt::TabAsSpaces);
        }
        c.suspicious = false;
        c.uncertain = tab;
        return;
    }
    // The cleaned lines draw a history search over the line it found; elsewhere the editor
    // redraws the prompt before the line is read, so only U+FFFD is looked for.
    let (damaged, search) = if cx.lossy {
        let (d, s) = rare_marks(c.command.as_bytes());
        let (dp, sp) = rare_marks(c.prompt.as_bytes());
        (d || dp, s || sp)
    } else {
        let fffd =
            |t: &str| memchr::memchr(FFFD[0], t.as_bytes()).is_some() && t.contains('\u{fffd}');
        (fffd(&c.command) || fffd(&c.prompt), false)
    };
    let wide = cx.lossy && {
        let first = c.command.lines().next().unwrap_or("");
        let len = c.prompt.chars().count() + first.chars().count();
        len >= cx.width.unwrap_or(DEFAULT_WIDTH)
    };
    for (d, kinds) in RAISED_BY {
        let holds = kinds.iter().any(|&k| e.contains(k))
            || match d {
                Doubt::DamagedText => damaged,
                Doubt::LossyWrap => wide,
                Doubt::TabAsSpaces => !cx.lossy && blanks_to_tab_stop(c),
                Doubt::HistorySearch => search,
                Doubt::Incomplete => {
                    cx.lossy && !c.cancelled && !super::shell::is_complete(&c.command, cx.fish)
                }
                _ => false,
            };
        if holds && !c.doubts.contains(&d) {
            c.doubts.push(d);
        }
    }
    c.suspicious = c.doubts.iter().any(|d| d.suspicious());
    c.uncertain = c.doubts.iter().any(|d| d.uncertain());
}

/// Whether the first line of the command has a run of blanks that ends at a tab stop (every
/// 8 columns from the start of the row): a line editor draws a TAB in the line as the
/// blanks to the next stop (readline, for a pasted TAB), so the screen cannot tell them
/// from typed blanks. (The agent's cleanup turns each TAB into one blank: on CloudWatch
/// lines this is not looked for.)
fn blanks_to_tab_stop(c: &Command) -> bool {
    let line = c.command.lines().next().unwrap_or("");
    let prompt = c.prompt.chars().count();
    if line.is_ascii() {
        // Columns are bytes: look only where two blanks start a run.
        let b = line.as_bytes();
        let mut i = 0;
        while i + 1 < b.len() {
            if b[i] == b' ' && b[i + 1] == b' ' {
                let end = i + b[i..].iter().take_while(|&&x| x == b' ').count();
                if end < b.len() && (prompt + end).is_multiple_of(8) {
                    return true;
                }
                i = end;
            } else {
                i += 1;
            }
        }
        return false;
    }
    let mut col = prompt;
    let mut run = 0;
    for ch in line.chars() {
        col += 1;
        if ch == ' ' {
            run += 1;
            continue;
        }
        if run >= 2 && (col - 1).is_multiple_of(8) {
            return true;
        }
        run = 0;
    }
    false
}

/// Whether `text` has two blanks in a row: eight bytes at a time (this runs on every
/// command, and command lines are full of single blanks).
fn two_blanks(text: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = text.chunks_exact(8);
    let mut carry = false;
    for c in &mut chunks {
        let x = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) ^ (LO * 0x20);
        // A high bit in each byte that was a blank (exact for ASCII-free zero tests: a
        // false bit can only follow a true one, which is enough to look further).
        let blanks = x.wrapping_sub(LO) & !x & HI;
        if blanks & (blanks >> 8) != 0 || (carry && blanks & 0x80 != 0) {
            return text.windows(2).any(|w| w == b"  ");
        }
        carry = blanks >> 63 != 0;
    }
    let rest = chunks.remainder();
    (carry && rest.first() == Some(&b' ')) || rest.windows(2).any(|w| w == b"  ")
}

/// U+FFFD, as UTF-8.
const FFFD: &[u8] = "\u{fffd}".as_bytes();

/// Whether `text` holds U+FFFD, and the `-search)` that ends bash's and zsh's history
/// search prompts: one pass for the first byte of each, which are rare in command lines
/// (this runs on every command).
fn rare_marks(text: &[u8]) -> (bool, bool) {
    let (mut damaged, mut search) = (false, false);
    for i in memchr::memchr2_iter(FFFD[0], b')', text) {
        if text[i] == b')' {
            search |= text[..=i].ends_with(b"-search)");
        } else {
            damaged |= text[i..].starts_with(FFFD);
        }
    }
    (damaged, search)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighed(command: &str, evidence: &[Evidence]) -> Command {
        let mut c = Command {
            command: command.into(),
            evidence: evidence.iter().copied().collect(),
            ..Command::default()
        };
        weigh(&mut c, Context::default());
        c
    }

    #[test]
    fn two_blanks_anywhere() {
        for (text, want) in [
            ("", false),
            ("a b c d e f g h i j", false),
            ("a  b", true),
            ("abcdefg  ", true),
            ("abcdefgh  ", true),
            ("abcdefg h", false),
            ("abcdefg \u{a0} x", false),
            ("0123456789abcde  f", true),
            ("0123456 0 234567", false),
        ] {
            assert_eq!(two_blanks(text.as_bytes()), want, "{text:?}");
        }
        // Against the plain reading, at every offset of a long line.
        let line = "ab c  de f g hi  j k l m n o p".repeat(3);
        for i in 0..line.len() {
            let t = &line.as_bytes()[i..];
            assert_eq!(two_blanks(t), t.windows(2).any(|w| w == b"  "), "at {i}");
        }
    }

    #[test]
    fn blanks_ending_at_a_tab_stop_may_be_a_tab() {
        let at = |prompt: &str, command: &str| {
            let mut c = Command {
                command: command.into(),
                prompt: prompt.into(),
                ..Command::default()
            };
            weigh(&mut c, Context::default());
            c.doubts
        };
        // readline drew the pasted TAB of `echo 'col1\tcol2'` to column 24.
        assert_eq!(
            at("sh-5.2# ", "echo 'col1      col2'"),
            [Doubt::TabAsSpaces]
        );
        assert!(
            at("sh-5.2# ", "echo 'col1       col2'").is_empty(),
            "past the stop"
        );
        assert!(
            at("$ ", "ls -l   notes.txt").is_empty(),
            "ends at column 10"
        );
        assert!(at("sh-5.2# ", "echo 'col1 col2'").is_empty(), "one blank");
    }

    #[test]
    fn a_plain_line_has_no_doubt() {
        let c = weighed("ls", &[Evidence::BracketedPaste, Evidence::LearnedPrompt]);
        assert!(!c.suspicious && !c.uncertain && c.doubts.is_empty());
    }

    #[test]
    fn each_doubt_comes_from_its_evidence_or_text() {
        let c = weighed(
            "ls",
            &[Evidence::BracketedPaste, Evidence::ShellReportDiffers],
        );
        assert_eq!(c.doubts, [Doubt::ReportDiffers]);
        assert!(c.suspicious && c.uncertain);
        let c = weighed("vim", &[Evidence::EndOfInput]);
        assert_eq!(c.doubts, [Doubt::CutByEndOfInput]);
        assert!(!c.suspicious && c.uncertain);
        let c = weighed("echo caf\u{fffd}", &[Evidence::LineFeed]);
        assert_eq!(c.doubts, [Doubt::DamagedText]);
        let c = weighed("echo a", &[Evidence::Unscrolled]);
        assert_eq!(c.doubts, [Doubt::Unscrolled]);
        // Weighing again adds nothing.
        let mut again = c.clone();
        weigh(&mut again, Context::default());
        assert_eq!(again, c);
    }

    #[test]
    fn a_lossy_line_wider_than_the_terminal_is_uncertain() {
        let mut c = weighed("echo a fairly long line", &[Evidence::LineFeed]);
        c.prompt = "$ ".into();
        let narrow = Context {
            lossy: true,
            width: Some(20),
            fish: false,
        };
        weigh(&mut c, narrow);
        assert_eq!(c.doubts, [Doubt::LossyWrap]);
        let mut d = weighed("echo short", &[Evidence::LineFeed]);
        weigh(&mut d, narrow);
        assert!(d.doubts.is_empty(), "fits the width");
        let mut e = weighed("echo a fairly long line", &[]);
        weigh(
            &mut e,
            Context {
                lossy: false,
                ..narrow
            },
        );
        assert!(e.doubts.is_empty(), "a raw log keeps its wraps");
        let mut g = weighed(&"x".repeat(DEFAULT_WIDTH), &[]);
        weigh(
            &mut g,
            Context {
                lossy: true,
                width: None,
                fish: false,
            },
        );
        assert_eq!(
            g.doubts,
            [Doubt::LossyWrap],
            "width unknown: the default one"
        );
        let mut f = weighed("(reverse-i-search)`df': df -h", &[]);
        assert!(
            f.doubts.is_empty(),
            "a raw log's editor redraws the line before it is read"
        );
        weigh(
            &mut f,
            Context {
                lossy: true,
                width: Some(200),
                fish: false,
            },
        );
        // (Its quote is left open too.)
        assert_eq!(f.doubts, [Doubt::HistorySearch, Doubt::Incomplete]);
    }
}
