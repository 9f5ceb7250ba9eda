//! Cutting the replayed stream into prompt → command → output records.
//!
//! The segmenter watches the [`Signal`]s of the terminal and reads the screen at the moments
//! that matter. All the guessing in ttyscribe lives here. In pseudo-code:
//!
//! ```text
//! on editor start (OSC 133 A/B, CSI ?2004h):
//!     rows since the last command are its output
//!     remember where the cursor is (the anchor) and start a new era on the screen
//! on editor end (OSC 133 C, CSI ?2004l):
//!     the command is on the rows from the anchor (or the last reprinted prompt) to the row
//!     the cursor is on (or just left with a line feed)
//!     if the prompt was drawn before the editor started, it is what precedes the anchor;
//!     otherwise split the first row into prompt and text with the prompt learner
//! on line feed, in a session with no editor marks at all (dash, mksh, old bash):
//!     a finished row that starts with a learned prompt was a submitted command
//! a line whose prompt is a continuation (`> `, `dquote> `) right after a command with no
//! output joins it; a line ending in `^C` was abandoned; a line still open at the end of
//! the input was cut off. Both are records with `cancelled: true`.
//! ```
//!
//! [`signals`] says what each terminal signal does, [`editor`] keeps the line editor's start
//! and [`line`] reads the line in stages when the editor lets go of it, [`linefeed`] finds
//! lines submitted without editor marks, [`prompt`] learns prompts, [`shell`] knows just
//! enough shell syntax to group lines, [`infer`] reads what the shell's habits reveal on the
//! screen (the width, an echoed `^C`, lines mksh scrolled sideways).
//!
//! A command is held until the next command line arrives, since only then are its output and
//! its continuation lines known; `finish` releases the last one.

mod doubt;
mod editor;
mod habit;
pub(crate) mod infer;
mod keys;
mod line;
mod linefeed;
mod phase;
pub(crate) mod prompt;
mod quirks;
mod shell;
mod signals;
pub(crate) mod spare;
#[cfg(test)]
mod tests;
mod typing;

use editor::Rows;
pub(crate) use phase::Delimiting;
use phase::Phase;

use regex::Regex;

use crate::limits::{MAX_ALTERNATIVES, MAX_COMMAND, MAX_COMMAND_ROWS, MAX_OUTPUT};
use crate::record::{Command, Evidence, EvidenceSet, Output, Record, Shell, Span};
use crate::terminal::view::{Mark, Observer, Pos, Screen, Signal, utf8 as screen_text};
use crate::timestamp::{Seconds, Timestamp};
use prompt::{Found, Learner};

/// Bytes reserved for an output when its first line comes.
const OUTPUT_START: usize = 256;

/// A command waiting for its output and continuation lines.
#[derive(Debug)]
struct Pending {
    cmd: Command,
    /// The command's output text until it is emitted (UTF-8).
    output: Vec<u8>,
    output_lines: usize,
    /// A line of output did not fit under [`MAX_OUTPUT`]: the output stops there.
    output_full: bool,
    /// Row the command's last line was on.
    end_row: u64,
    /// The rows the command was read from, when the width was unknown then.
    rows: Option<Rows>,
    /// Its line ended in a bell (a completion attempt), without editor marks to tell
    /// whether Enter followed.
    bell: bool,
    /// Lines of the command, its continuation lines included, held to [`MAX_COMMAND_ROWS`].
    lines: usize,
    /// The signal its line ended at.
    end_tick: u64,
}

pub(crate) struct Segmenter {
    learner: Learner,
    /// What the line on screen is doing.
    phase: Phase,
    /// What delimits lines in this session.
    mode: Delimiting,
    /// The command read last, held for its output and continuation lines.
    pending: Option<Pending>,
    /// Output before the first command.
    orphan: Option<Output>,
    /// The orphan's output text until it is emitted (UTF-8).
    orphan_text: Vec<u8>,
    orphan_lines: usize,
    orphan_full: bool,
    /// The logged keystrokes, once some came (see [`keys`]).
    keys: Option<Box<keys::Keys>>,
    /// Where recent writes of the output began, when the input keeps them apart.
    writes: Option<typing::Writes>,
    /// Time of the chunk being read, when the input has a clock: given to commands
    /// submitted in it.
    time: Option<Timestamp>,
    /// When the cursor's row got its first bytes: the time of the chunk its line feed came
    /// in, or of the next chunk when the line feed ended its chunk.
    row_time: Option<Timestamp>,
    /// The last chunk ended with a line feed: the next chunk's time is the row's.
    row_time_next: bool,
    /// The current chunk's time is the current row's (see [`Segmenter::chunk_ended`]).
    row_time_fresh: bool,
    /// When the prompt of the line being read was drawn: the end of the command before.
    prompt_time: Option<Timestamp>,
    /// Fewest CRs seen before the line feed of a submitted line (mksh: 2, or 3 in a
    /// transcript); a line feed after fewer may be a redraw.
    enter_crs: Option<u8>,
    /// The terminal width at the last signal.
    width: Option<usize>,
    /// Input up to here belongs to records already emitted.
    emitted_upto: u64,
    /// Cursor-key mode (DECCKM) is on.
    cursor_keys: bool,
    /// Offset just after the last line feed: where a line-feed-submitted command started.
    line_start_offset: u64,
    /// First row not yet taken as output.
    out_row: u64,
    pub records: Vec<Record>,
    /// Row on which the editor last switched bracketed paste off (CloudWatch lines).
    editor_off_row: Option<u64>,
    /// Where the last BEL rang (row, column).
    bell_at: Option<(u64, usize)>,
    cwd: Option<String>,
    /// Buffers for reading a command line, kept between commands.
    lines_buf: Vec<String>,
    lens_buf: Vec<usize>,
    /// Strings of records already read, for the next ones.
    pub spare: spare::Spare,
    /// The shell guessed from how it draws.
    pub shell: Option<Shell>,
    pub commands: usize,
    last_offset: u64,
    /// How this shell draws its prompts.
    habits: habit::Habits,
    /// What is known of the line feed that submitted the line being accepted.
    enter: habit::Enter,
    /// Streamed CloudWatch events read so far (0: the input has no events).
    pub event: u64,
    /// The event the last line feed came in.
    line_start_event: u64,
    /// Input offset of the last line feed.
    lf_at: u64,
    /// Signals seen so far: the order of things in a session, which input offsets are not
    /// in a CloudWatch batch (its events share one offset).
    tick: u64,
    /// The signal the line being accepted ended at, if not the current one (a line read
    /// when the next one came).
    line_tick: Option<u64>,
}

impl Segmenter {
    pub fn new(user_prompt: Option<Regex>) -> Segmenter {
        Segmenter {
            learner: Learner::new(user_prompt),
            phase: Phase::Output,
            mode: Delimiting::LineFeeds,
            pending: None,
            orphan: None,
            orphan_text: Vec::new(),
            orphan_lines: 0,
            orphan_full: false,
            line_start_offset: 0,
            cursor_keys: false,
            emitted_upto: 0,
            width: None,
            enter_crs: None,
            time: None,
            row_time: None,
            row_time_next: false,
            row_time_fresh: false,
            keys: None,
            writes: None,
            prompt_time: None,
            out_row: 0,
            records: Vec::new(),
            bell_at: None,
            editor_off_row: None,
            cwd: None,
            lines_buf: Vec::new(),
            lens_buf: Vec::new(),
            spare: spare::Spare::default(),
            shell: None,
            commands: 0,
            last_offset: 0,
            habits: habit::Habits::default(),
            enter: habit::Enter::Unknown,
            event: 0,
            line_start_event: 0,
            lf_at: 0,
            tick: 0,
            line_tick: None,
        }
    }

    // ---- time ---------------------------------------------------------------------------

    /// The next chunk was written at `time` (`None`: the input has no clock).
    pub fn set_time(&mut self, time: Option<Timestamp>) {
        self.time = time;
        self.row_time_fresh = std::mem::take(&mut self.row_time_next);
        if self.row_time_fresh {
            self.row_time = time;
        }
    }

    /// The chunk read last had a line feed (`line_feed`), and after its last one (or in all
    /// of it) nothing was drawn, only controls (`blank_tail`): then the row below starts at
    /// the next chunk's time. A shell's `\r\n` after Enter and its next prompt come in two
    /// writes when the command took time, and the prompt's time ends the command.
    pub fn chunk_ended(&mut self, line_feed: bool, blank_tail: bool) {
        self.row_time_next = blank_tail && (line_feed || self.row_time_fresh);
    }

    // ---- output ---------------------------------------------------------------------------

    fn push_output_line(&mut self, line: &str) {
        self.push_output_with(|buf| buf.extend_from_slice(line.as_bytes()));
    }

    /// Add a line of output, written by `write` at the end of the output buffer. The first
    /// line that would take the buffer past [`MAX_OUTPUT`] ends the output: later lines are
    /// not kept either, so the output kept is the start of what was shown.
    fn push_output_with(&mut self, write: impl FnOnce(&mut Vec<u8>)) {
        let (buf, lines, full, truncated) = match &mut self.pending {
            Some(p) => (
                &mut p.output,
                &mut p.output_lines,
                &mut p.output_full,
                &mut p.cmd.truncated,
            ),
            None => {
                let o = self.orphan.get_or_insert_with(Output::default);
                (
                    &mut self.orphan_text,
                    &mut self.orphan_lines,
                    &mut self.orphan_full,
                    &mut o.truncated,
                )
            }
        };
        if *full {
            return;
        }
        let before = buf.len();
        if *lines > 0 {
            buf.push(b'\n');
        } else {
            // Most outputs are a few lines: one allocation instead of a doubling series.
            buf.reserve(OUTPUT_START);
        }
        write(buf);
        let start = before + usize::from(*lines > 0);
        self.habits.output_line(&buf[start..]);
        if buf.len() >= MAX_OUTPUT {
            buf.truncate(before);
            *full = true;
            *truncated = true;
            return;
        }
        *lines += 1;
    }

    /// The output being collected is full: rows leaving the screen need not be rendered.
    fn output_full(&self) -> bool {
        match &self.pending {
            Some(p) => p.output_full,
            None => self.orphan_full,
        }
    }

    fn mark_truncated(&mut self) {
        match &mut self.pending {
            Some(p) => p.cmd.truncated = true,
            None => self.orphan.get_or_insert_with(Output::default).truncated = true,
        }
    }

    /// Rows `out_row .. upto` become output of the pending command.
    fn take_output(&mut self, screen: &mut Screen, upto: u64) {
        self.drain_evicted(screen);
        let from = self.out_row.max(screen.first_row());
        for r in from..upto.min(screen.last_row() + 1) {
            let Some(row) = screen.row(r) else { continue };
            self.push_output_with(|buf| row.push_text(0, 0, buf));
            if row.truncated {
                self.mark_truncated();
            }
        }
        self.out_row = self.out_row.max(upto);
    }

    fn drain_evicted(&mut self, screen: &mut Screen) {
        let from = self.out_row;
        screen.drain_evicted(|row, line| {
            if row >= from {
                self.push_output_with(|buf| buf.extend_from_slice(line));
            }
        });
        self.out_row = self.out_row.max(screen.first_row());
    }

    /// A line was read off the screen: decide whether it is a new command, continues the
    /// pending one, or is a program's prompt (output). `bell`: the line ended in a bell (see
    /// `Pending::bell`).
    fn accept(&mut self, mut cmd: Command, end_row: u64, prompt_known: bool, bell: bool) {
        // Before any prompt was learned (after, a line with none is a program's).
        if cmd.prompt.is_empty()
            && !cmd.cancelled
            && !self.learner.has_learned()
            && let Some(n) = self
                .keys
                .as_ref()
                .and_then(|k| k.typed_suffix(&cmd.command))
        {
            // The keys say where the typing began: what is before it is the prompt.
            cmd.prompt = cmd.command[..n].to_owned();
            cmd.command.drain(..n);
            cmd.evidence.remove(Evidence::NoPrompt);
        }
        if prompt_known
            && cmd.prompt.is_empty()
            && let Some((n, found)) = self.learner.match_learned(&cmd.command)
            && n > 0
        {
            // A mark put the typing before the prompt (a printed OSC 133 B right before the
            // shell drew its prompt): the learned prompt the line starts with is not typed.
            cmd.prompt = cmd.command[..n].to_owned();
            cmd.command.drain(..n);
            cmd.evidence.insert(found.evidence());
        }
        let text_empty = cmd.command.trim().is_empty();
        // A line split by a learned prompt has a prompt that the same template matches.
        let learned = cmd.evidence.contains(Evidence::LearnedPrompt)
            || self.learner.match_learned(&cmd.prompt).is_some();
        let continuation = !learned && prompt::is_continuation(&cmd.prompt);
        if continuation && self.continue_pending(&cmd, end_row) {
            if let Some(k) = &mut self.keys {
                k.continued();
            }
            return;
        }
        let unprompted = cmd.evidence.contains(Evidence::NoPrompt) && self.learner.has_learned();
        if !learned && (prompt::is_repl(&cmd.prompt) || continuation || unprompted) {
            // A program's own prompt: what was typed there is output.
            let line = format!("{}{}", cmd.prompt, cmd.command);
            self.push_output_line(line.trim_end());
            return;
        }
        if !prompt_known && !cmd.prompt.is_empty() {
            self.learner.learn(&cmd.prompt);
        } else if prompt_known && !cmd.prompt.trim().is_empty() {
            self.learner.learn(cmd.prompt.trim_start());
        }
        if let Some(p) = &self.pending
            && p.bell
            && p.cmd.prompt.trim_end() == cmd.prompt.trim_end()
            && cmd.command.starts_with(p.cmd.command.trim_end())
        {
            // The line that ended in a bell was not submitted: readline listed completions
            // below it and drew it again, longer. Its "output" was the listing.
            let start = p.cmd.span.start;
            self.pending = None;
            cmd.span.start = start;
        }
        cmd.time = cmd.time.or(self.time);
        let enter = std::mem::replace(&mut self.enter, habit::Enter::Unknown);
        let end_tick = self.line_tick.take().unwrap_or(self.tick);
        if !text_empty && !cmd.prompt.trim().is_empty() {
            let previous = self.pending.as_ref().map(|p| (&p.cmd, p.end_tick));
            let silent = self
                .pending
                .as_ref()
                .is_none_or(|p| p.output.iter().all(u8::is_ascii_whitespace));
            self.habits
                .judge(&mut cmd, end_tick, previous, silent, enter);
        }
        if !text_empty {
            let skipped = self.check_typing(&mut cmd);
            self.count_hidden(&skipped);
        }
        self.flush_pending(cmd.span.start, self.prompt_time);
        if text_empty {
            return;
        }
        // Blanks after the prompt are kept as one.
        let blank_after = cmd.prompt.ends_with(' ');
        let kept = cmd.prompt.trim_end().len();
        cmd.prompt.truncate(kept);
        if blank_after {
            cmd.prompt.push(' ');
        }
        // Most commands are one line: finding no line feed is cheaper than counting them.
        let text = cmd.command.as_bytes();
        let lines = match memchr::memchr(b'\n', text) {
            None => 1,
            Some(i) => 2 + memchr::memchr_iter(b'\n', &text[i + 1..]).count(),
        };
        self.pending = Some(Pending {
            end_tick,
            lines,
            bell,
            rows: None,
            cmd,
            output: self.spare.output(),
            output_lines: 0,
            output_full: false,
            end_row,
        });
    }

    /// A line at a continuation prompt right after a command with no output yet joins that
    /// command; whether it did.
    fn continue_pending(&mut self, cmd: &Command, end_row: u64) -> bool {
        let Some(p) = &mut self.pending else {
            return false;
        };
        if p.output_lines > 0 || p.cmd.cancelled {
            return false;
        }
        if cmd.cancelled {
            // Ctrl-C at a continuation prompt abandons the whole command.
            p.cmd.cancelled = true;
            p.cmd.evidence.insert(Evidence::Interrupt);
        }
        // An endless run of continuation lines must not grow the command without bound:
        // past MAX_COMMAND_ROWS the rest of its lines are dropped (and join_continuation
        // holds it to MAX_COMMAND).
        p.lines += 1;
        if p.lines > MAX_COMMAND_ROWS {
            p.cmd.truncated = true;
        } else {
            join_continuation(&mut p.cmd, &cmd.command, quirks::of(self.shell));
        }
        p.cmd.span.end = cmd.span.end;
        p.end_row = end_row;
        p.cmd.evidence.insert(Evidence::Continuation);
        true
    }

    /// Emit the held command; its span ends where the next record starts (`end`), and it
    /// ran until the next prompt was drawn (`until`).
    fn flush_pending(&mut self, end: u64, until: Option<Timestamp>) {
        // Records tile the input: each starts where the one before it ended.
        let orphan = self.orphan.take().map(|mut o| {
            o.output = screen_text(std::mem::take(&mut self.orphan_text));
            o
        });
        if let Some(mut o) = orphan
            && !o.output.trim().is_empty()
        {
            let next = self.pending.as_ref().map_or(end, |p| p.cmd.span.start);
            let next = next.max(self.emitted_upto);
            o.span = Span {
                start: self.emitted_upto,
                end: next,
            };
            self.emitted_upto = next;
            self.records.push(Record::Output(o));
        }
        self.orphan_lines = 0;
        self.orphan_full = false;
        if let Some(p) = self.pending.take() {
            self.commands += 1;
            let mut c = p.cmd;
            c.output = screen_text(p.output);
            c.duration = c.time.zip(until).and_then(|(a, b)| Seconds::between(a, b));
            if let Some(rows) = p.rows
                && self.width.is_some()
            {
                c.command = rows.join(self.width);
                if let Some(x) = c.command.trim_end().strip_suffix("^C") {
                    c.command = x.to_owned();
                }
            }
            if quirks::of(self.shell).echoes_history_expansion
                && shell::has_history_expansion(&c.command)
            {
                // bash prints the expanded line before running it.
                if let Some((first, rest)) =
                    c.output.split_once('\n').or(Some((c.output.as_str(), "")))
                    && !first.trim().is_empty()
                {
                    c.command = first.to_owned();
                    c.output = rest.to_owned();
                    c.evidence.insert(Evidence::HistoryExpansion);
                }
            }
            // The rows of a command read before the width was known are joined only now,
            // and may make a longer line than the one cut when it was read.
            cap_command(&mut c);
            // The row the next prompt was drawn on is not output.
            let kept = c.output.trim_end_matches('\n').len();
            c.output.truncate(kept);
            c.span.start = self.emitted_upto;
            c.span.end = c.span.end.max(end).max(c.span.start);
            self.emitted_upto = c.span.end;
            let cx = doubt::Context {
                lossy: self.mode == Delimiting::LossyLines,
                width: self.width,
                fish: self.shell == Some(Shell::Fish),
            };
            doubt::weigh(&mut c, cx);
            self.records.push(Record::Command(c));
        }
    }
}

/// Join a continuation line to the command it continues, as the shell records it (see
/// [`quirks::Quirks::drops_backslash_newline`]). Appended in place and cut at
/// [`MAX_COMMAND`]: a here-document may go on for any number of lines, and copying the
/// command for each of them made reading one quadratic.
fn join_continuation(cmd: &mut Command, next: &str, quirks: &quirks::Quirks) {
    if cmd.command.len() >= MAX_COMMAND {
        cmd.truncated = true;
        return;
    }
    if quirks.drops_backslash_newline && cmd.command.ends_with('\\') {
        cmd.command.pop();
    } else {
        cmd.command.push('\n');
    }
    cmd.command.push_str(next);
    cap_command(cmd);
}

/// Cut a command longer than [`MAX_COMMAND`] bytes (at a character boundary) and flag it.
/// Every step that can lengthen a command ends here, since each can pass the cap on its own.
fn cap_command(cmd: &mut Command) {
    if cmd.command.len() > MAX_COMMAND {
        let mut n = MAX_COMMAND;
        while !cmd.command.is_char_boundary(n) {
            n -= 1;
        }
        cmd.command.truncate(n);
        cmd.truncated = true;
    }
}

impl Segmenter {
    /// The input ended: a line still being typed was cut off, and the held command is done.
    pub fn finish(&mut self, screen: &mut Screen, offset: u64) {
        self.last_offset = offset;
        let went_back = screen.went_back();
        let edited = match std::mem::take(&mut self.phase) {
            Phase::Entered(mut t) | Phase::Listing(mut t)
                if self.mode.rules().last_line_flushed =>
            {
                // A line still at its prompt when the session ended was cut off, unless it
                // ended the shell.
                let typed = t.text[t.prompt_len..].trim();
                let word = typed.split_whitespace().next().unwrap_or("");
                if !matches!(word, "exit" | "logout" | "quit") {
                    t.interrupted = true;
                    t.cut = true;
                }
                self.resolve_tentative(t, screen, went_back);
                false
            }
            Phase::Entered(t) => {
                self.resolve_tentative(t, screen, went_back);
                false
            }
            Phase::Editing(edit) => {
                self.end_edit(edit, screen, offset, true);
                true
            }
            Phase::Listing(_) | Phase::Output | Phase::FullScreen => false,
        };
        if !edited && self.mode.rules().line_feeds {
            self.cut_off_line(screen, offset);
        }
        self.finish_records(screen, offset);
    }

    /// The rest of the screen is output of the held command, which is done; and a last
    /// stretch of input after it is a record too.
    fn finish_records(&mut self, screen: &mut Screen, offset: u64) {
        let last = screen.last_row() + 1;
        self.take_output(screen, last);
        self.flush_pending(offset, self.time);
        let text = screen.row_text(screen.cursor().0);
        if self.emitted_upto < offset && (self.emitted_upto > 0 || !text.is_empty()) {
            // The log ended at a bare prompt (the session was cut there): that last stretch
            // of input is a record too.
            self.records.push(Record::Output(Output {
                output: text,
                span: Span {
                    start: self.emitted_upto,
                    end: offset,
                },
                truncated: false,
            }));
            self.emitted_upto = offset;
        }
        if self.shell.is_none() && self.commands > 0 {
            self.shell = Some(Shell::Dash);
        }
    }
}
