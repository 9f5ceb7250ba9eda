//! Every cap in `src/limits.rs` has a test that goes past it and checks what its doc says
//! happens there. A test for cap `MAX_X` is named `past_max_x…`, here or next to the code
//! it caps when the cap is internal; `every_cap_has_a_test_past_it` holds the list complete.

use ttyscribe::limits::*;
use ttyscribe::{Command, Config, Record, parse};

const PROMPT: &str = "[ec2-user@ip-10-0-1-11 ~]$ ";

/// bash 5.1 with bracketed paste: each `(typed, output lines)` is typed at a prompt, submitted
/// and answered, and a last prompt waits.
fn bash(steps: &[(&str, &[&str])]) -> Vec<u8> {
    let mut log = Vec::new();
    for (typed, output) in steps {
        log.extend(b"\x1b[?2004h");
        log.extend(PROMPT.as_bytes());
        log.extend(typed.as_bytes());
        log.extend(b"\r\n\x1b[?2004l\r");
        for line in *output {
            log.extend(line.as_bytes());
            log.extend(b"\r\n");
        }
    }
    log.extend(b"\x1b[?2004h");
    log.extend(PROMPT.as_bytes());
    log
}

fn commands(records: &[Record]) -> Vec<&Command> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[allow(dead_code)] // TEMP
fn errors(records: &[Record]) -> Vec<&ttyscribe::ErrorRecord> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Error(e) => Some(e),
            _ => None,
        })
        .collect()
}

#[test]
fn past_max_cols_a_row_of_unknown_width_is_cut_and_flagged() {
    let long = "x".repeat(MAX_COLS + 500);
    let typed = format!("echo {long}");
    let log = bash(&[(&typed, &[long.as_str()]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    // The prompt and the command share the row, so the row's cap bounds both together.
    assert_eq!(cmds[0].prompt.len() + cmds[0].command.len(), MAX_COLS);
    assert!(typed.starts_with(&cmds[0].command));
    assert_eq!(cmds[0].output.len(), MAX_COLS);
    assert!(cmds[0].truncated);
    // The cut lost nothing of the records after it.
    assert_eq!(cmds[1].command, "ls");
    assert_eq!(cmds[1].output, "a.txt");
    assert!(!cmds[1].truncated);
}

#[test]
fn past_max_rows_rows_leaving_the_window_become_output_whole() {
    let lines: Vec<String> = (0..MAX_ROWS * 4).map(|i| format!("line {i:04}")).collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = bash(&[
        ("seq -f 'line %04g' 0 1023", &refs),
        ("pwd", &["/home/ec2-user"]),
    ]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    // The window bounds memory only: every line scrolled out of it is in the output.
    assert_eq!(cmds[0].output, lines.join("\n"));
    assert!(!cmds[0].truncated);
    assert_eq!(cmds[1].command, "pwd");
    assert_eq!(cmds[1].output, "/home/ec2-user");
}

#[test]
fn past_max_output_whole_lines_from_the_start_are_kept_and_flagged() {
    // Lines of 100 bytes, so the cap falls inside one.
    let lines: Vec<String> = (0..MAX_OUTPUT / 100 * 2)
        .map(|i| format!("{i:06} {}", "y".repeat(93)))
        .collect();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    let log = bash(&[("cat big.log", &refs), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    let out = &cmds[0].output;
    assert!(out.len() <= MAX_OUTPUT, "{} bytes", out.len());
    assert!(cmds[0].truncated);
    // Whole lines from the first: as many as fit.
    let kept = out.split('\n').count();
    assert_eq!(*out, lines[..kept].join("\n"));
    assert!(lines[..=kept].join("\n").len() >= MAX_OUTPUT);
    assert_eq!(cmds[1].output, "a.txt");
    assert!(!cmds[1].truncated);
}

#[test]
fn past_max_command_a_long_wrapped_line_is_cut_and_flagged() {
    // A known width wraps the line instead of cutting each row at MAX_COLS.
    let cols = 4000;
    let typed = format!("echo {}", "z".repeat(MAX_COMMAND + 10_000));
    let log = bash(&[(&typed, &["z"]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default().with_cols(cols));
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    assert_eq!(cmds[0].prompt.trim_end(), PROMPT.trim_end());
    assert!(cmds[0].command.len() <= MAX_COMMAND);
    assert!(cmds[0].command.len() > MAX_COMMAND - cols);
    assert!(typed.starts_with(&cmds[0].command));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
    assert!(!cmds[1].truncated);
}

/// bash's `> ` continuation prompts, each line a new edit joined to the command.
fn continued(lines: &[String]) -> Vec<u8> {
    let mut log = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        log.extend(b"\x1b[?2004h");
        log.extend(if i == 0 { PROMPT } else { "> " }.as_bytes());
        log.extend(line.as_bytes());
        log.extend(b"\r\n\x1b[?2004l\r");
    }
    log.extend(b"done\r\n");
    log.extend(bash(&[("ls", &["a.txt"])]));
    log
}

#[test]
fn past_max_command_continuation_lines_are_cut_and_flagged() {
    let mut lines = vec!["cat <<'EOF'".to_owned()];
    lines.extend((0..MAX_COMMAND / 1000 + 10).map(|i| format!("{i:04}{}", "w".repeat(996))));
    lines.push("EOF".to_owned());
    let records = parse(&continued(&lines), Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    assert!(
        cmds[0].command.len() <= MAX_COMMAND,
        "{}",
        cmds[0].command.len()
    );
    assert!(lines.join("\n").starts_with(&cmds[0].command));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
    assert!(!cmds[1].truncated);
}

#[test]
fn past_max_command_rows_continuation_lines_are_cut_and_flagged() {
    let mut lines = vec!["cat <<'EOF'".to_owned()];
    lines.extend((0..MAX_COMMAND_ROWS * 2).map(|i| format!("row {i}")));
    lines.push("EOF".to_owned());
    let records = parse(&continued(&lines), Config::default());
    let cmds = commands(&records);
    assert_eq!(cmds.len(), 2, "{records:#?}");
    let kept = cmds[0].command.split('\n').count();
    assert!(kept <= MAX_COMMAND_ROWS, "{kept} lines");
    assert_eq!(cmds[0].command, lines[..kept].join("\n"));
    assert!(cmds[0].truncated);
    assert_eq!(cmds[1].command, "ls");
}

#[test]
fn past_max_command_rows_a_pasted_buffer_is_cut_and_flagged() {
    // One edit of many lines: a paste bash shows with a newline for each, as zsh does a
    // multi-line buffer.
    let lines: Vec<String> = (0..MAX_COMMAND_ROWS * 2)
        .map(|i| format!("echo {i} \\"))
        .collect();
    let typed = lines.join("\r\n");
    let log = bash(&[(&typed, &[]), ("ls", &["a.txt"])]);
    let records = parse(&log, Config::default());
    let cmds = commands(&records);
    assert!(cmds.len() >= 2, "{records:#?}");
    let first = cmds[0];
    assert!(first.command.split('\n').count() <= MAX_COMMAND_ROWS);
    assert!(first.truncated, "{first:#?}");
    assert_eq!(cmds.last().map(|c| c.command.as_str()), Some("ls"));
}
