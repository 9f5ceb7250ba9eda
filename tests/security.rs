//! Output that imitates the shell's own marks must not hide, rename or swallow the commands
//! typed after it. Byte streams shaped like the bash 5.2 sessions of `corpus/` (title, PS1,
//! bracketed paste around the typing), with a program printing the marks.

use ttyscribe::{Config, Evidence, Record, parse};

const PS1: &str = "[ec2-user@ip-10-0-1-11 ~]$ ";

/// What bash 5.2 writes for a typed line and the output of running it.
fn bash(typed: &str, output: &str) -> String {
    format!("\x1b]0;ec2-user@ip-10-0-1-11:~\x07\x1b[?2004h{PS1}{typed}\r\n\x1b[?2004l\r{output}")
}

/// The same with shell integration: OSC 133 A/B/C/D around it.
fn bash_marked(typed: &str, output: &str) -> String {
    format!(
        "\x1b]133;A\x07\x1b[?2004h{PS1}\x1b]133;B\x07{typed}\r\n\x1b[?2004l\r\x1b]133;C\x07{output}\x1b]133;D;0\x07"
    )
}

/// What dash writes: no editor marks at all.
fn dash(typed: &str, output: &str) -> String {
    format!("$ {typed}\r\n{output}")
}

fn commands(log: &str) -> Vec<ttyscribe::Command> {
    parse(log.as_bytes(), Config::default())
        .into_iter()
        .filter_map(|r| match r {
            Record::Command(c) => Some(c),
            _ => None,
        })
        .collect()
}

fn texts(log: &str) -> Vec<String> {
    commands(log).into_iter().map(|c| c.command).collect()
}

#[test]
fn one_printed_prompt_start_does_not_hide_later_commands() {
    let log = [
        bash("cat mark.txt", "\x1b]133;A"),
        bash("sudo rm -rf /var/log/audit", ""),
        bash("history -c", ""),
        bash("whoami", "root\r\n"),
        format!("\x1b[?2004h{PS1}"),
    ]
    .concat();
    assert_eq!(
        texts(&log),
        [
            "cat mark.txt",
            "sudo rm -rf /var/log/audit",
            "history -c",
            "whoami"
        ]
    );
}

#[test]
fn a_printed_prompt_start_in_a_session_without_editor_marks_hides_nothing() {
    // No later ESC ends the string the mark opened: a terminal would swallow every line.
    let log = [
        dash("cat mark.txt", "\x1b]133;A\r\n"),
        dash("sudo rm -rf /var/log/audit", ""),
        dash("whoami", "root\r\n"),
        "$ ".to_owned(),
    ]
    .concat();
    assert_eq!(
        texts(&log),
        ["cat mark.txt", "sudo rm -rf /var/log/audit", "whoami"]
    );
}

#[test]
fn an_unterminated_string_does_not_swallow_the_lines_after_it() {
    for opener in ["\x1b]0;", "\x1b]133;A", "\x1bP", "\x1b_"] {
        let log = [
            dash("printf '...'", &format!("{opener}oops\r\n")),
            dash("id", "uid=0(root)\r\n"),
            "$ ".to_owned(),
        ]
        .concat();
        assert_eq!(texts(&log), ["printf '...'", "id"], "{opener:?}");
    }
}

#[test]
fn a_printed_report_does_not_rename_the_next_command() {
    let log = [
        bash_marked("cat notes.txt", "notes\r\n\x1b]133;A\x1b]633;E;ls -la\x07"),
        bash_marked("sudo rm -rf /var/log/audit", ""),
        format!("\x1b]133;A\x07\x1b[?2004h{PS1}"),
    ]
    .concat();
    let cmds = commands(&log);
    let got: Vec<&str> = cmds.iter().map(|c| c.command.as_str()).collect();
    assert_eq!(got, ["cat notes.txt", "sudo rm -rf /var/log/audit"]);
    assert!(
        cmds.iter()
            .all(|c| !c.evidence.contains(Evidence::ShellReported)),
        "{cmds:#?}"
    );
}

#[test]
fn a_report_that_differs_from_the_screen_stands_beside_it() {
    // The report comes while the line is being edited (a program run from a key binding
    // could print it): the screen's line is the command, the report an alternative.
    let log = format!(
        "\x1b[?2004h{PS1}\x1b]633;E;ls -la\x07sudo rm -rf /var/log/audit\r\n\x1b[?2004l\r\x1b[?2004h{PS1}"
    );
    let cmds = commands(&log);
    assert_eq!(cmds.len(), 1, "{cmds:#?}");
    assert_eq!(cmds[0].command, "sudo rm -rf /var/log/audit");
    assert!(cmds[0].evidence.contains(Evidence::ShellReportDiffers));
    assert_eq!(cmds[0].alternatives, ["ls -la"]);
}

#[test]
fn printed_marks_around_a_command_do_not_swallow_the_real_ones() {
    let forged = "\x1b]133;A\x07$ \x1b]133;B\x07rm -rf /\r\n\x1b]133;C\x07";
    let log = [
        bash("cat runbook.txt", forged),
        bash("whoami", "root\r\n"),
        bash("sudo cat /etc/shadow", "root:*:19000:0:99999:7:::\r\n"),
        format!("\x1b[?2004h{PS1}"),
    ]
    .concat();
    let cmds = commands(&log);
    let got: Vec<&str> = cmds.iter().map(|c| c.command.as_str()).collect();
    // The editor of this session marks every line it reads; the printed one is output.
    assert_eq!(got, ["cat runbook.txt", "whoami", "sudo cat /etc/shadow"]);
    assert!(cmds[0].output.contains("rm -rf /"), "{:?}", cmds[0].output);
    let shadow = cmds.iter().find(|c| c.command == "sudo cat /etc/shadow");
    assert_eq!(
        shadow.map(|c| c.output.as_str()),
        Some("root:*:19000:0:99999:7:::")
    );
}

#[test]
fn an_honest_integrated_session_reads_exactly_with_its_marks() {
    let log = [
        bash_marked("echo hi", "hi\r\n"),
        bash_marked("ls", "a  b\r\n"),
        format!("\x1b]133;A\x07\x1b[?2004h{PS1}"),
    ]
    .concat();
    let cmds = commands(&log);
    let got: Vec<(&str, &str, &str)> = cmds
        .iter()
        .map(|c| (c.prompt.as_str(), c.command.as_str(), c.output.as_str()))
        .collect();
    assert_eq!(got, [(PS1, "echo hi", "hi"), (PS1, "ls", "a  b")]);
    assert!(
        cmds.iter()
            .all(|c| c.evidence.contains(Evidence::PromptMark))
    );
}

#[test]
fn a_report_after_the_editor_confirms_the_line() {
    // bash-preexec reports the line after readline let go of it, before 133 C.
    let log = format!(
        "\x1b]133;A\x07\x1b[?2004h{PS1}\x1b]133;B\x07ls -l\r\n\x1b[?2004l\r\x1b]633;E;ls -l\x07\x1b]133;C\x07total 0\r\n\x1b]133;D;0\x07\x1b]133;A\x07\x1b[?2004h{PS1}"
    );
    let cmds = commands(&log);
    assert_eq!(cmds.len(), 1, "{cmds:#?}");
    assert_eq!(cmds[0].command, "ls -l");
    assert!(cmds[0].evidence.contains(Evidence::ShellReported));
    assert!(cmds[0].alternatives.is_empty());
}

// ---- prompts printed by programs: the shell's habits ------------------------------------

/// The bytes bash writes for a prompt and a typed line, as a file would hold them for `cat`
/// to print: through the terminal's CR-LF mapping each LF the file holds becomes CR LF, so a
/// file written with CR LF prints CR CR LF.
fn printed(title: bool, typed: &str, crlf: bool) -> String {
    let title = if title {
        "\x1b]0;ec2-user@ip-10-0-1-11:~\x07"
    } else {
        ""
    };
    let nl = if crlf { "\r\r\n" } else { "\r\n" };
    format!("{title}\x1b[?2004h{PS1}{typed}{nl}\x1b[?2004l\r")
}

fn doubts(c: &ttyscribe::Command) -> Vec<&'static str> {
    c.doubts.iter().map(|d| d.name()).collect()
}

#[test]
fn a_printed_prompt_without_the_shells_title_is_suspicious() {
    let log = [
        bash("id -u", "1000\r\n"),
        bash("cat runbook.txt", &printed(false, "rm -rf /tmp/x", false)),
        bash("whoami", "ec2-user\r\n"),
        format!("\x1b[?2004h{PS1}"),
    ]
    .concat();
    let cmds = commands(&log);
    let forged = cmds.iter().find(|c| c.command == "rm -rf /tmp/x").unwrap();
    assert!(forged.suspicious, "{forged:?}");
    assert!(forged.evidence.contains(Evidence::TitleMissing));
    // And `cat` printed nothing before it.
    assert_eq!(doubts(forged), ["prompt_unlike_shell", "prompt_in_output"]);
    assert!(!forged.uncertain, "its text is what was printed");
    for real in ["id -u", "cat runbook.txt", "whoami"] {
        let c = cmds.iter().find(|c| c.command == real).unwrap();
        assert!(!c.suspicious && c.doubts.is_empty(), "{c:?}");
    }
}

#[test]
fn a_printed_prompt_from_a_file_holding_cr_lf_is_suspicious() {
    // Title and all, as a transcript of the same user's earlier session holds them.
    let log = [
        bash("id -u", "1000\r\n"),
        bash("cat old.log", &printed(true, "rm -rf /tmp/x", true)),
        bash("whoami", "ec2-user\r\n"),
        format!("\x1b[?2004h{PS1}"),
    ]
    .concat();
    let cmds = commands(&log);
    let forged = cmds.iter().find(|c| c.command == "rm -rf /tmp/x").unwrap();
    assert!(forged.suspicious, "{forged:?}");
    assert!(forged.evidence.contains(Evidence::EnterUnlikeShell));
    assert!(
        !cmds
            .iter()
            .find(|c| c.command == "whoami")
            .unwrap()
            .suspicious
    );
}

#[test]
fn a_byte_exact_printed_prompt_right_after_cat_is_suspicious() {
    let log = [
        bash("cat exact.txt", &printed(true, "rm -rf /tmp/x", false)),
        bash("whoami", "ec2-user\r\n"),
    ]
    .concat();
    let cmds = commands(&log);
    let forged = cmds.iter().find(|c| c.command == "rm -rf /tmp/x").unwrap();
    assert!(forged.evidence.contains(Evidence::AfterSilentPrinter));
    assert_eq!(doubts(forged), ["prompt_in_output"]);
    assert!(
        !cmds
            .iter()
            .find(|c| c.command == "whoami")
            .unwrap()
            .suspicious
    );
    // `cat` of an empty file, then a typed line: the same bytes, the same doubt.
    let log = [bash("cat empty.txt", ""), bash("whoami", "ec2-user\r\n")].concat();
    assert!(commands(&log)[1].suspicious);
    // A command whose output went elsewhere, or `printf` of an escape, leaves no doubt.
    for quiet in ["cat a.txt > b.txt", "printf '\\033c'", "echo -n"] {
        let log = [bash(quiet, ""), bash("whoami", "ec2-user\r\n")].concat();
        assert!(!commands(&log)[1].suspicious, "{quiet}");
    }
}

#[test]
fn a_byte_exact_printed_prompt_after_output_cannot_be_told_apart_in_an_untimed_log() {
    // The documented limit (SECURITY.md): every habit copied, nothing in the bytes differs.
    let file = format!("build ok\r\n{}", printed(true, "rm -rf /tmp/x", false));
    let log = [bash("cat exact.txt", &file), bash("whoami", "ec2-user\r\n")].concat();
    let forged = commands(&log)
        .into_iter()
        .find(|c| c.command == "rm -rf /tmp/x")
        .unwrap();
    assert!(!forged.suspicious, "{forged:?}");
}

#[test]
fn another_user_and_host_in_the_prompt_is_suspicious_unless_a_command_explains_it() {
    let other = "[root@db-7 ~]# ";
    let at_other = |typed: &str, out: &str| {
        format!("\x1b]0;ec2-user@ip-10-0-1-11:~\x07\x1b[?2004h{other}{typed}\r\n\x1b[?2004l\r{out}")
    };
    let forged = [
        bash("cat notes.txt", ""),
        at_other("drop database prod;", ""),
        bash("whoami", "ec2-user\r\n"),
    ]
    .concat();
    let cmds = commands(&forged);
    let c = cmds.iter().find(|c| c.command.starts_with("drop")).unwrap();
    assert!(c.evidence.contains(Evidence::UserHostDiffers), "{c:?}");
    assert!(c.suspicious);
    // After ssh the prompt rightly names another host, and after exit the first again.
    let honest = [
        bash("ssh db-7", ""),
        at_other("uptime", " 10:00 up 1 day\r\n"),
        at_other("exit", "logout\r\n"),
        bash("whoami", "ec2-user\r\n"),
    ]
    .concat();
    for c in commands(&honest) {
        assert!(!c.suspicious, "{c:?}");
    }
}

#[test]
fn prompts_inside_a_printed_transcript_are_suspicious() {
    // `script` writes its header and footer to the log, never to the terminal.
    let transcript = format!(
        "Script started on 2024-05-14 09:12:00+00:00 [TERM=\"xterm\"]\r\n{}gone\r\n\r\nScript done on 2024-05-14 09:12:09+00:00 [COMMAND_EXIT_CODE=\"0\"]\r\n",
        printed(true, "sudo cat /etc/shadow", false)
    );
    let log = [
        bash("cat old.log", &transcript),
        bash("whoami", "ec2-user\r\n"),
    ]
    .concat();
    let cmds = commands(&log);
    let forged = cmds
        .iter()
        .find(|c| c.command == "sudo cat /etc/shadow")
        .unwrap();
    assert!(
        forged.evidence.contains(Evidence::InPrintedTranscript),
        "{forged:?}"
    );
    assert!(forged.suspicious);
    let after = cmds.iter().find(|c| c.command == "whoami").unwrap();
    assert!(!after.suspicious, "the footer ended it: {after:?}");
}

#[test]
fn a_printed_prompt_mark_right_before_the_prompt_does_not_rename_the_next_command() {
    // printf of an empty 133 D/A/B: the B puts the typing where the shell then draws its
    // prompt, so the prompt read as typed text.
    let log = [
        bash("id -u", "1000\r\n"),
        bash(
            "printf '\\033]133;D;0\\007\\033]133;A\\007\\033]133;B\\007'",
            "\x1b]133;D;0\x07\x1b]133;A\x07\x1b]133;B\x07",
        ),
        bash("echo real-three", "real-three\r\n"),
        format!("\x1b[?2004h{PS1}"),
    ]
    .concat();
    let texts = texts(&log);
    assert_eq!(
        texts.last().map(String::as_str),
        Some("echo real-three"),
        "{texts:?}"
    );
}

/// screen's and tmux's window title (`ESC k title ESC \`, TERM=screen) is a string, not
/// text drawn before the typing; one left open at a line feed was not one, and its bytes are
/// read as text, as an OSC's are.
#[test]
fn a_screen_title_is_not_drawn_and_an_open_one_hides_nothing() {
    let titled = format!(
        "\x1b[?2004h{PS1}\x1bkbash\x1b\\ls -l\r\n\x1b[?2004l\rtotal 0\r\n{}",
        bash("echo after", "after\r\n")
    );
    assert_eq!(texts(&titled), ["ls -l", "echo after"]);
    let open = format!(
        "{}{}",
        dash("printf '\\033k'", "\x1bkoops\r\n"),
        dash("id -u", "1000\r\n")
    );
    let cmds = commands(&open);
    assert_eq!(cmds.len(), 2, "{cmds:?}");
    assert!(cmds[0].output.contains("oops"), "{:?}", cmds[0].output);
    assert_eq!(cmds[1].command, "id -u");
}
