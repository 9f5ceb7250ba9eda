//! The phase machine on small streams: which phase and mode each signal leads to, and the
//! records that come of it.

use super::*;
use crate::segment::infer::test_screen::replay;

fn read(bytes: &[u8], lossy: bool, finish: bool) -> Segmenter {
    let mut seg = Segmenter::new(None);
    replay(&mut seg, Some(80), bytes, lossy, finish);
    seg
}

fn commands(seg: &Segmenter) -> Vec<(&str, &str)> {
    seg.records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some((c.command.as_str(), c.output.as_str())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_prompt_line_left_with_a_line_feed_is_entered_until_the_next_one() {
    let seg = read(b"$ ls\r\n", false, false);
    assert!(matches!(&seg.phase, Phase::Entered(t) if t.text == "$ ls"));
    assert_eq!(seg.mode, Delimiting::LineFeeds);
    let seg = read(b"$ ls\r\nfile\r\n$ pwd\r\n", false, false);
    assert!(matches!(&seg.phase, Phase::Entered(t) if t.text == "$ pwd"));
    let held = seg.pending.as_ref().map(|p| p.cmd.command.as_str());
    assert_eq!(held, Some("ls"), "the first line was Enter");
}

#[test]
fn a_full_screen_program_is_output_of_the_line_that_started_it() {
    let seg = read(
        b"$ echo a\r\na\r\n$ vim x\r\n\x1b[?1049hhello\x1b[?1049l$ ",
        false,
        true,
    );
    assert_eq!(
        commands(&seg),
        [
            ("echo a", "a"),
            ("vim x", "[full-screen program: 5 characters not shown]")
        ]
    );
}

#[test]
fn while_a_full_screen_program_runs_the_phase_says_so() {
    let seg = read(b"$ top\r\n\x1b[?1049h\x1b[Htop - 10:00", false, false);
    assert!(matches!(seg.phase, Phase::FullScreen));
    let held = seg.pending.as_ref().map(|p| p.cmd.command.as_str());
    assert_eq!(held, Some("top"));
}

#[test]
fn editor_marks_end_line_feed_delimiting() {
    let seg = read(b"\x1b[?2004h$ ls\x1b[?2004l\r\nfile\r\n", false, false);
    assert_eq!(seg.mode, Delimiting::EditorMarks);
    assert!(matches!(seg.phase, Phase::Output));
    let p = seg.pending.as_ref().expect("a command held");
    assert_eq!(p.cmd.command, "ls");
    assert!(p.cmd.evidence.contains(Evidence::BracketedPaste));
    assert!(!p.cmd.evidence.contains(Evidence::LineFeed));
}

#[test]
fn a_line_entered_before_the_first_editor_mark_comes_first() {
    // dash starting bash: the line dash submitted is a command before bash's first one.
    let seg = read(
        b"$ bash\r\n\x1b[?2004h$ whoami\x1b[?2004l\r\nroot\r\n\x1b[?2004h$ ",
        false,
        true,
    );
    assert_eq!(commands(&seg), [("bash", ""), ("whoami", "root")]);
}

#[test]
fn prompt_marks_place_the_typing_and_do_not_change_the_mode() {
    let seg = read(
        b"\x1b]133;A\x07$ \x1b]133;B\x07\x1b[?2004hls\x1b[?2004l\r\n\x1b]133;C\x07file\r\n",
        false,
        false,
    );
    assert_eq!(
        seg.mode,
        Delimiting::EditorMarks,
        "bracketed paste was seen"
    );
    let p = seg.pending.as_ref().expect("a command held");
    assert_eq!(
        (p.cmd.prompt.as_str(), p.cmd.command.as_str()),
        ("$ ", "ls")
    );
    assert!(p.cmd.evidence.contains(Evidence::PromptMark));
    // Marks alone leave a session delimited by line feeds.
    let seg = read(b"\x1b]133;A\x07$ \x1b]133;B\x07ls\r\n", false, false);
    assert_eq!(seg.mode, Delimiting::LineFeeds);
}

#[test]
fn an_editor_starting_away_from_a_printed_mark_re_anchors_the_line() {
    // A program printed A and B; the shell's editor then starts on a row below.
    let seg = read(
        b"\x1b]133;A\x07$ \x1b]133;B\x07\r\n\x1b[?2004h[u@h ~]$ id\x1b[?2004l\r\r\n",
        false,
        false,
    );
    let p = seg.pending.as_ref().expect("a command held");
    assert_eq!(p.cmd.command, "id");
    assert!(p.cmd.evidence.contains(Evidence::BracketedPaste));
    assert!(!p.cmd.evidence.contains(Evidence::PromptMark));
}

#[test]
fn lossy_lines_ignore_editor_marks() {
    let seg = read(b"\x1b[?2004h$ ls\x1b[?2004l\r\n", true, false);
    assert_eq!(seg.mode, Delimiting::LossyLines);
    assert!(matches!(&seg.phase, Phase::Entered(t) if t.text == "$ ls"));
}

#[test]
fn a_line_feed_with_zsh_editor_on_is_a_listing_and_only_the_end_makes_it_a_command() {
    let bytes = b"\x1b[?1h% git ch\r\n";
    let seg = read(bytes, true, false);
    assert!(matches!(seg.phase, Phase::Listing(_)));
    let seg = read(b"\x1b[?1h% git ch\r\ncheckout cherry\r\n", true, false);
    assert!(matches!(seg.phase, Phase::Output) && seg.pending.is_none());
    let seg = read(bytes, true, true);
    let c = seg.records.iter().find_map(|r| match r {
        Record::Command(c) => Some(c),
        _ => None,
    });
    let c = c.expect("the line cut off by the end of the input");
    assert_eq!(c.command, "git ch");
    assert!(c.cancelled && c.evidence.contains(Evidence::EndOfInput));
}

#[test]
fn shell_quirks_decide_how_a_continuation_joins() {
    let mut seg = Segmenter::new(None);
    seg.shell = Some(Shell::Bash);
    replay(&mut seg, Some(80), b"$ echo a\\\r\n> b\r\n$ ", false, true);
    assert_eq!(commands(&seg), [("echo ab", "")]);
    let mut seg = Segmenter::new(None);
    seg.shell = Some(Shell::Zsh);
    replay(&mut seg, Some(80), b"$ echo a\\\r\n> b\r\n$ ", false, true);
    assert_eq!(commands(&seg), [("echo a\\\nb", "")]);
}

#[test]
fn a_tab_echoed_on_a_line_makes_its_blanks_uncertain() {
    // No line editor: the terminal echoes a typed TAB as HT, which the screen shows as blanks.
    let seg = read(b"$ printf 'a\tb'\r\na\tb$ id\r\n$ ", false, true);
    let first = seg.records.iter().find_map(|r| match r {
        Record::Command(c) => Some(c),
        _ => None,
    });
    let c = first.expect("a command");
    assert_eq!(c.command, "printf 'a     b'"); // 'a' at column 10, the TAB to 16
    assert!(c.evidence.contains(Evidence::TabOnLine));
    assert_eq!(c.doubts, [crate::record::Doubt::TabAsSpaces]);
    assert!(c.uncertain && !c.suspicious);
    let seg = read(b"$ ls\r\n$ ", false, true);
    assert!(
        commands(&seg).len() == 1
            && seg.records.iter().all(|r| match r {
                Record::Command(c) => c.doubts.is_empty(),
                _ => true,
            })
    );
}

#[test]
fn an_edit_that_left_text_past_the_cursor_in_a_cleaned_line_is_uncertain() {
    // readline moved back 9 columns and typed over `two three`; the agent deleted the
    // `ESC[K` that erased the rest, so `three` stays on the row after the cursor.
    let seg = read(
        b"sh-5.2$ echo one two three\x08\x08\x08\x08\x08\x08\x08\x08\x08four\r\nfour\r\nsh-5.2$ id\r\n",
        true,
        true,
    );
    let cmds: Vec<&crate::record::Command> = seg
        .records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(cmds[0].command, "echo one fourthree");
    assert!(cmds[0].evidence.contains(Evidence::EditInCleanedLine));
    assert_eq!(cmds[0].doubts, [crate::record::Doubt::LossyEdit]);
    // The kernel's erase (`\b \b`) at the end of the line leaves nothing behind.
    let seg = read(b"$ lss\x08 \x08\r\nx\r\n$ id\r\n", true, true);
    let c = seg.records.iter().find_map(|r| match r {
        Record::Command(c) => Some(c),
        _ => None,
    });
    let c = c.expect("a command");
    assert_eq!(c.command, "ls");
    assert!(!c.evidence.contains(Evidence::EditInCleanedLine), "{c:?}");
}
