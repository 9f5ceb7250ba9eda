//! The records ttyscribe produces: one `session` record, then one `command` record per line
//! the shell received (or that was typed and abandoned), plus `output` for text no command
//! owns and `error` for bad input.

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind};
use crate::source::InputFormat;
use crate::timestamp::{Seconds, Timestamp};

/// Byte range `[start, end)` of the input a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Span {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

/// Which signal placed a record's boundaries. Listed from most to least trustworthy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Evidence {
    /// OSC 133/633 semantic prompt marks written by the shell.
    PromptMark,
    /// OSC 633 `E`: the shell reported the command line itself.
    ShellReported,
    /// The logged keystrokes, read as a line editor reads them, typed this line: output
    /// cannot forge what was typed.
    Keystrokes,
    /// The line editor's bracketed-paste switch (`CSI ? 2004 h` … `l`).
    BracketedPaste,
    /// The prompt was already on the row when the editor started (zsh draws it first).
    PromptBeforeEditor,
    /// The prompt matched one learned earlier in this session.
    LearnedPrompt,
    /// The prompt matched the user's `--prompt` pattern.
    UserPrompt,
    /// Only the generic shape of a prompt (`$ `, `# `, `% `, `> `) was found: a guess.
    PromptShape,
    /// No prompt could be told apart from the typed text: the whole line is the command.
    NoPrompt,
    /// The line was submitted by a line feed echoed by the terminal (no line editor marks).
    LineFeed,
    /// The line continues the previous one (PS2 prompt, here-document, open quote).
    Continuation,
    /// `^C` was echoed: the line was abandoned.
    Interrupt,
    /// The input ended while the line was being typed.
    EndOfInput,
    /// bash expanded `!!`/`!word`/`^old^new` and printed the line it ran; that line is the
    /// command.
    HistoryExpansion,
    /// The line was wider than the terminal and scrolled sideways (mksh); it was put back
    /// together from the windows shown, which is a reconstruction, not a reading.
    Unscrolled,
    /// The command's text was re-wrapped after the terminal width was learned or changed.
    WidthInferred,
    /// The shell's report of the command line (OSC 633 `E`) says something other than the
    /// screen shows. The screen's text is kept, since any program can print such a report;
    /// the report is in `alternatives`.
    ShellReportDiffers,
    /// A TAB moved the cursor along the line's rows (a terminal echoing a typed TAB, with no
    /// line editor): blanks in the command may stand for a TAB.
    TabOnLine,
    /// The shell set the window title before each of its prompts (it did before the first
    /// one, which no program can have printed), and not before this one.
    TitleMissing,
    /// zsh switched the keypad to application mode for each of its lines, and not for
    /// this one.
    KeypadMissing,
    /// The line feed that ended the line came after another number of CRs than the
    /// shell's do: a file holding CR LF, printed through the terminal's CR-LF mapping, ends
    /// its lines with CR CR LF.
    EnterUnlikeShell,
    /// The prompt names another `user@host` than the shell's prompts did, and no command
    /// before it (`ssh`, `su`, `sudo -i`, a nested shell, `exit`) changes the shell.
    UserHostDiffers,
    /// The line's prompt arrived in the same CloudWatch event as the line before it: the
    /// agent sends what it read each second, so a prompt and a line typed within one
    /// upload tick, or printed at once by a program, arrive together.
    SameEventAsOutput,
    /// The cursor went back along the line (an edit) in a line the SSM agent cleaned: the
    /// moves and erasures that placed the edit may be among what it deleted.
    EditInCleanedLine,
    /// zsh and fish mark each of their prompts with `PROMPT_SP` (a line of blanks after a
    /// `%` or `⏎`); this prompt had none.
    PromptSpMissing,
    /// The command before printed a file or text (`cat`, `head`, `printf` …), and showed
    /// nothing before this prompt: this prompt and line may be what it printed.
    AfterSilentPrinter,
    /// A transcript's `Script started on` line was shown before this prompt, and its `Script
    /// done on` line not yet: `script` writes those lines to its log, never to the terminal,
    /// so a transcript is being printed and this prompt may be one of its.
    InPrintedTranscript,
    /// Keystrokes were logged, and no line typed since the command before is this one.
    NeverTyped,
    /// The prompt, the line and the line feed that ended it came in one write of the
    /// terminal's output (one asciicast event, ttyrec frame or `script` timing entry): a shell
    /// echoes typed text as it is typed, a program prints its output at once.
    PrintedAtOnce,
}

impl Evidence {
    /// Every kind, in order.
    pub const ALL: [Evidence; 29] = [
        Evidence::PromptMark,
        Evidence::ShellReported,
        Evidence::Keystrokes,
        Evidence::BracketedPaste,
        Evidence::PromptBeforeEditor,
        Evidence::LearnedPrompt,
        Evidence::UserPrompt,
        Evidence::PromptShape,
        Evidence::NoPrompt,
        Evidence::LineFeed,
        Evidence::Continuation,
        Evidence::Interrupt,
        Evidence::EndOfInput,
        Evidence::HistoryExpansion,
        Evidence::Unscrolled,
        Evidence::WidthInferred,
        Evidence::ShellReportDiffers,
        Evidence::TabOnLine,
        Evidence::TitleMissing,
        Evidence::KeypadMissing,
        Evidence::EnterUnlikeShell,
        Evidence::UserHostDiffers,
        Evidence::SameEventAsOutput,
        Evidence::EditInCleanedLine,
        Evidence::PromptSpMissing,
        Evidence::AfterSilentPrinter,
        Evidence::InPrintedTranscript,
        Evidence::NeverTyped,
        Evidence::PrintedAtOnce,
    ];

    fn bit(self) -> u32 {
        1 << self as u32
    }

    /// The name records give it (`"bracketed_paste"`).
    pub fn name(self) -> &'static str {
        match self {
            Evidence::PromptMark => "prompt_mark",
            Evidence::ShellReported => "shell_reported",
            Evidence::Keystrokes => "keystrokes",
            Evidence::BracketedPaste => "bracketed_paste",
            Evidence::PromptBeforeEditor => "prompt_before_editor",
            Evidence::LearnedPrompt => "learned_prompt",
            Evidence::UserPrompt => "user_prompt",
            Evidence::PromptShape => "prompt_shape",
            Evidence::NoPrompt => "no_prompt",
            Evidence::LineFeed => "line_feed",
            Evidence::Continuation => "continuation",
            Evidence::Interrupt => "interrupt",
            Evidence::EndOfInput => "end_of_input",
            Evidence::HistoryExpansion => "history_expansion",
            Evidence::Unscrolled => "unscrolled",
            Evidence::WidthInferred => "width_inferred",
            Evidence::ShellReportDiffers => "shell_report_differs",
            Evidence::TabOnLine => "tab_on_line",
            Evidence::TitleMissing => "title_missing",
            Evidence::KeypadMissing => "keypad_missing",
            Evidence::EnterUnlikeShell => "enter_unlike_shell",
            Evidence::UserHostDiffers => "user_host_differs",
            Evidence::SameEventAsOutput => "same_event_as_output",
            Evidence::EditInCleanedLine => "edit_in_cleaned_line",
            Evidence::PromptSpMissing => "prompt_sp_missing",
            Evidence::AfterSilentPrinter => "after_silent_printer",
            Evidence::InPrintedTranscript => "in_printed_transcript",
            Evidence::NeverTyped => "never_typed",
            Evidence::PrintedAtOnce => "printed_at_once",
        }
    }
}

/// Why a command record may be wrong: each makes it [`suspicious`](Doubt::suspicious) (the
/// line may not have been typed at the shell) or [`uncertain`](Doubt::uncertain) (its text
/// may differ from what the shell received), or both. Derived from the record's
/// [`Evidence`] and text when the record is complete, never set by hand.
///
/// ```
/// use ttyscribe::Doubt;
///
/// assert!(Doubt::ReportDiffers.suspicious() && Doubt::ReportDiffers.uncertain());
/// assert_eq!(serde_json::to_string(&Doubt::DamagedText).unwrap(), r#""damaged_text""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Doubt {
    /// The shell's report of the line (OSC 633 `E`) differs from what the screen shows: a
    /// program printed one of them. The screen's text is the command, the report is in
    /// `alternatives`.
    ReportDiffers,
    /// The line was put back together from the windows mksh scrolled it through.
    Unscrolled,
    /// The input ended while the line was on screen: what followed is unknown.
    CutByEndOfInput,
    /// The text holds U+FFFD: bytes that were not UTF-8 (the SSM agent damages multibyte
    /// characters it splits) were replaced.
    DamagedText,
    /// A line of the agent's cleaned-up CloudWatch output that was wider than the terminal:
    /// the cleanup deleted the CRs and moves that placed its wrap, so the rows may be
    /// joined wrongly.
    LossyWrap,
    /// The line holds a reverse history search prompt (`(reverse-i-search)`): the search
    /// and the line it found were drawn over each other.
    HistorySearch,
    /// A TAB moved the cursor along the line: the screen shows it as blanks, so the command
    /// may hold a TAB where it says spaces.
    TabAsSpaces,
    /// The prompt was not drawn the way this shell draws its prompts (evidence
    /// `title_missing`, `keypad_missing`, `enter_unlike_shell`, `user_host_differs`): a
    /// program may have printed the prompt and the line, or a program's own prompt (`read
    /// -e -p`, a REPL) imitates the shell's.
    PromptUnlikeShell,
    /// The prompt came in one CloudWatch event with the output before it (evidence
    /// `same_event_as_output`): a program may have printed both.
    ArrivedWithOutput,
    /// The line is not a command the shell would have run as it is (a quote or block left
    /// open, a trailing `\\`): lines that continued it were lost (CloudWatch lines).
    Incomplete,
    /// The prompt may be output of the command before it (evidence
    /// `after_silent_printer`, `in_printed_transcript`).
    PromptInOutput,
    /// The line was edited in a line the agent cleaned (evidence `edit_in_cleaned_line`):
    /// the edit's result is a reconstruction.
    LossyEdit,
    /// Keystrokes were logged and this line was never typed (evidence `never_typed`): a
    /// program printed it.
    NotTyped,
    /// The prompt and the line were printed in one write (evidence `printed_at_once`): a
    /// program printed them, or the user typed ahead while the command before ran.
    PrintedAtOnce,
}

impl Doubt {
    /// The line may not have been typed at the shell.
    pub fn suspicious(self) -> bool {
        matches!(
            self,
            Doubt::ReportDiffers
                | Doubt::PromptUnlikeShell
                | Doubt::ArrivedWithOutput
                | Doubt::PromptInOutput
                | Doubt::NotTyped
                | Doubt::PrintedAtOnce
        )
    }

    /// The text may differ from what the shell received.
    pub fn uncertain(self) -> bool {
        !matches!(
            self,
            Doubt::PromptUnlikeShell
                | Doubt::ArrivedWithOutput
                | Doubt::PromptInOutput
                | Doubt::NotTyped
                | Doubt::PrintedAtOnce
        )
    }

    /// The name records give it (`"report_differs"`).
    pub fn name(self) -> &'static str {
        match self {
            Doubt::ReportDiffers => "report_differs",
            Doubt::Unscrolled => "unscrolled",
            Doubt::CutByEndOfInput => "cut_by_end_of_input",
            Doubt::DamagedText => "damaged_text",
            Doubt::LossyWrap => "lossy_wrap",
            Doubt::HistorySearch => "history_search",
            Doubt::TabAsSpaces => "tab_as_spaces",
            Doubt::PromptUnlikeShell => "prompt_unlike_shell",
            Doubt::ArrivedWithOutput => "arrived_with_output",
            Doubt::LossyEdit => "lossy_edit",
            Doubt::PromptInOutput => "prompt_in_output",
            Doubt::Incomplete => "incomplete",
            Doubt::NotTyped => "not_typed",
            Doubt::PrintedAtOnce => "printed_at_once",
        }
    }
}

/// The evidence for a record: a set of [`Evidence`], listed (and serialized) in the order of
/// the enum, most trustworthy first. A bit set rather than a `Vec`, so a record costs one
/// allocation less.
///
/// ```
/// use ttyscribe::{Evidence, EvidenceSet};
///
/// let mut set = EvidenceSet::from([Evidence::LearnedPrompt, Evidence::BracketedPaste]);
/// set.insert(Evidence::LearnedPrompt);
/// assert!(set.contains(Evidence::BracketedPaste));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Evidence::BracketedPaste, Evidence::LearnedPrompt]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct EvidenceSet(u32);

impl EvidenceSet {
    /// Add `e` (once: a set holds each kind at most once).
    /// Take `e` out.
    pub fn remove(&mut self, e: Evidence) {
        self.0 &= !e.bit();
    }

    /// Add `e`.
    pub fn insert(&mut self, e: Evidence) {
        self.0 |= e.bit();
    }

    /// Whether `e` is in the set.
    pub fn contains(&self, e: Evidence) -> bool {
        self.0 & e.bit() != 0
    }

    /// Whether the two sets hold a kind in common.
    pub fn intersects(&self, other: EvidenceSet) -> bool {
        self.0 & other.0 != 0
    }

    /// How many kinds the set holds.
    pub fn len(&self) -> usize {
        self.0.count_ones() as usize
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The kinds in the set, most trustworthy first.
    pub fn iter(&self) -> impl Iterator<Item = Evidence> + '_ {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let i = bits.trailing_zeros() as usize;
            bits &= bits.wrapping_sub(1);
            Evidence::ALL.get(i).copied()
        })
    }
}

impl<const N: usize> From<[Evidence; N]> for EvidenceSet {
    fn from(kinds: [Evidence; N]) -> Self {
        kinds.into_iter().collect()
    }
}

impl FromIterator<Evidence> for EvidenceSet {
    fn from_iter<I: IntoIterator<Item = Evidence>>(kinds: I) -> Self {
        let mut set = EvidenceSet::default();
        kinds.into_iter().for_each(|e| set.insert(e));
        set
    }
}

impl std::fmt::Debug for EvidenceSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for EvidenceSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for e in self.iter() {
            seq.serialize_element(&e)?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for EvidenceSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Kinds;
        impl<'de> Visitor<'de> for Kinds {
            type Value = EvidenceSet;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of evidence names")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<EvidenceSet, A::Error> {
                let mut set = EvidenceSet::default();
                while let Some(e) = seq.next_element::<Evidence>()? {
                    set.insert(e);
                }
                Ok(set)
            }
        }
        deserializer.deserialize_seq(Kinds)
    }
}

/// One line the shell received, or one that was typed and abandoned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Command {
    /// The command exactly as the shell received it, after every edit. Lines of a
    /// multi-line command are joined with `\n`.
    pub command: String,
    /// The prompt shown before it (the first line's, for a multi-line command).
    pub prompt: String,
    /// The output as it looked on screen: edits applied, escapes removed.
    pub output: String,
    /// The line was abandoned (Ctrl-C, or the log ended) and never ran.
    pub cancelled: bool,
    /// Input bytes from the prompt to the end of the output.
    pub span: Span,
    /// Working directory, when the shell reported it (OSC 7) or the title showed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// Time the line was submitted (Enter), when the input carries times: an asciicast's
    /// or a timing file's clock, a ttyrec frame's, CloudWatch's `eventTime` of the event
    /// that carried the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<Timestamp>,
    /// How long the command ran: from `time` to the shell's next prompt (to the end of
    /// the session for the last one), when the input carries times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duration: Option<Seconds>,
    /// The session this command belongs to, when one input holds several (CloudWatch
    /// `filter-log-events`, exports of a log group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// The signals that placed this record's boundaries.
    pub evidence: EvidenceSet,
    /// Other readings of the command line, when a source other than the screen gave one
    /// (see [`Evidence::ShellReportDiffers`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<String>,
    /// The line may not have been typed at the shell (see `doubts`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspicious: bool,
    /// The text may differ from what the shell received (see `doubts`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub uncertain: bool,
    /// Why the record is suspicious or uncertain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<Doubt>,
    /// Lines typed while the command ran that its output never showed (keystrokes logged:
    /// typed with echo off, as a password at `sudo` or `read -s`). Their text is in no
    /// record.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub hidden_input: u32,
    /// Output or command text went past a cap and was cut.
    pub truncated: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What is known about the session as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Session {
    /// The format the input was read as: `raw`, `script` or `cloudwatch`.
    pub input_format: InputFormat,
    /// SSM session id, from the transcript header's ipc path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// Managed instance id (`i-…`, `mi-…`; CloudWatch `target.id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// `userIdentity.arn` of the CloudWatch events: who started the session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_arn: Option<String>,
    /// `runAsUser` of the CloudWatch events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_as_user: Option<String>,
    /// `awsRegion` of the CloudWatch events.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// SSM plugin (`Standard_Stream`, `InteractiveCommands`, `NonInteractiveCommands`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    /// The user part of the session id (the IAM user or role session name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// Start time: the transcript header's, or the first CloudWatch event's. `None` when
    /// the header writes it in a form not read (a locale's own date format).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Timestamp>,
    /// End time: the transcript footer's, or the last CloudWatch event's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<Timestamp>,
    /// `COMMAND_EXIT_CODE` of the transcript footer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// Message in place of an exit code (`[<max output size exceeded>]`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_message: Option<String>,
    /// Terminal width recorded by `script` (`COLUMNS="…"`), when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_width: Option<usize>,
    /// Best guess of the shell, from how it draws.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shell: Option<Shell>,
    /// Terminal width in force at the end, as given or inferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<usize>,
    /// How many times the width was learned or changed from the stream.
    pub width_changes: u32,
    /// Commands and cancelled lines found.
    pub commands: usize,
    /// The session was finished before the input ended, to keep at most
    /// [`MAX_SESSIONS`](crate::limits::MAX_SESSIONS) live: its later events, if any, follow
    /// as a continuation with the same `session_id` and the next `part`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed_early: bool,
    /// Which piece of the session this record covers (1, 2, …) when it was read in pieces
    /// (see `closed_early`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<u32>,
    /// The input was gzip-compressed around a transcript, raw log or recording: spans in
    /// its records are offsets into the decompressed stream.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gzip: bool,
}

/// The shell a session ran, as far as it shows in how the shell draws.
///
/// ```
/// use ttyscribe::Shell;
///
/// assert_eq!("zsh".parse::<Shell>(), Ok(Shell::Zsh));
/// assert_eq!(Shell::Dash.to_string(), "dash");
/// assert_eq!(serde_json::to_string(&Shell::Fish).unwrap(), r#""fish""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Shell {
    /// bash (or a shell drawn like it: readline with bracketed paste).
    Bash,
    /// zsh: its prompt drawn before the editor starts, `PROMPT_SP`.
    Zsh,
    /// fish.
    Fish,
    /// A shell without a line editor (dash, sh, mksh without editing marks): lines are
    /// submitted by the line feed the terminal echoes.
    Dash,
}

impl Shell {
    /// The name records give it (`"bash"`).
    pub fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
            Shell::Dash => "dash",
        }
    }
}

impl std::fmt::Display for Shell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Shell {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Dash]
            .into_iter()
            .find(|sh| sh.name() == s)
            .ok_or_else(|| format!("unknown shell {s:?}"))
    }
}

/// Text on screen that belongs to no command (a banner before the first prompt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct Output {
    /// The text, as it looked on screen.
    pub output: String,
    /// Where it came from.
    pub span: Span,
    /// Cut at [`MAX_OUTPUT`](crate::limits::MAX_OUTPUT).
    pub truncated: bool,
}

/// An input error, as a record (JSONL writers print it in line with the rest).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ErrorRecord {
    /// What kind of problem, for programs to tell them apart. Written as `error_kind`:
    /// the record's own `kind` is `error`.
    #[serde(rename = "error_kind")]
    pub kind: ErrorKind,
    /// Human-readable message, including the location.
    pub message: String,
    /// Where.
    pub location: crate::error::Location,
}

impl From<&Error> for ErrorRecord {
    fn from(e: &Error) -> Self {
        ErrorRecord {
            kind: e.kind(),
            message: e.to_string(),
            location: e.location().clone(),
        }
    }
}

/// Everything ttyscribe emits, in input order. Records read back from the JSON written
/// for them ([`write::jsonl`](crate::write::jsonl), `serde_json`) are equal to them.
///
/// ```
/// let records = ttyscribe::parse(b"$ echo hi\r\nhi\r\n$ ", ttyscribe::Config::default());
/// for r in &records {
///     let mut line = Vec::new();
///     ttyscribe::write::jsonl::write(&mut line, r).unwrap();
///     assert_eq!(&serde_json::from_slice::<ttyscribe::Record>(&line).unwrap(), r);
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// Session metadata; emitted once, after the input ends.
    Session(Box<Session>),
    /// A command line.
    Command(Command),
    /// Output no command owns.
    Output(Output),
    /// Bad input, with its location; processing went on after it.
    Error(ErrorRecord),
}
