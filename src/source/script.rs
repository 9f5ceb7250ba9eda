//! `script(1)` transcripts: the SSM agent's S3 log.
//!
//! The agent runs `script <sid>.log -c "cat …/ipcTempFile.log"`, so the file is the pty byte
//! stream with a header line before it and a footer line after it:
//!
//! ```text
//! Script started on 2024-10-15 21:22:05+00:00 [COMMAND="cat /var/lib/amazon/ssm/i-0123…/session/orchestration/<sid>/Standard_Stream/ipcTempFile.log" <not executed on terminal>]\n
//! <body: every \n of the session as \r\n, so \r\n became \r\r\n>
//! \nScript done on 2024-10-15 21:23:10+00:00 [COMMAND_EXIT_CODE="0"]\n
//! ```
//!
//! Header and footer come in every util-linux variant (`%c` dates, `+0000`, `+00:00`, with and
//! without the bracket) and the BSD form (`Command: …`, `Command exit status: N`). Their times
//! become [`Timestamp`]s: a `%c` date in the C locale (`Tue Oct 15 21:22:05 2024`) names no
//! zone and is read as UTC; a date in another locale's words is not read (no time).
//!
//! The body is passed on unchanged, borrowed from the input. The extra CR that `script`'s
//! pty added before every LF needs no undoing: a second CR moves the cursor to column 0
//! where the first one already put it, so the terminal draws `\r\r\n` exactly as `\r\n`, and
//! a bare `\n` of the session (`\r\n` here) lands at column 0 as the agent's viewer showed it.
//! Offsets in records therefore point into the transcript the user has.

use crate::error::{Error, Location};
use crate::limits::MAX_SCRIPT_LINE;
use crate::record::Session;
use crate::timestamp::Timestamp;

use super::{Body, Chunk};

pub(crate) const MAGIC: &[u8] = b"Script started on ";
pub(crate) const MAGIC_BOM: &[u8] = b"\xef\xbb\xbfScript started on ";
const DONE: &[u8] = b"Script done on ";
const BSD_STATUS: &[u8] = b"Command exit status: ";
/// The agent's trailer for NonInteractiveCommands sessions, right before the footer.
const EXIT_CODE: &[u8] = b"EXIT_CODE: ";

/// A problem with the header line (always line 1), found at byte `at`.
fn header_error(at: u64, message: String) -> Error {
    Error::Malformed {
        location: Location {
            input: None,
            line: Some(1),
            byte: at,
        },
        format: "script",
        message,
    }
}

/// Whether `head` starts like a transcript.
pub(crate) fn looks_like(head: &[u8]) -> bool {
    head.starts_with(MAGIC) || head.starts_with(MAGIC_BOM)
}

#[derive(Debug, Default)]
pub(crate) struct Transcript {
    in_header: bool,
    header: Vec<u8>,
    /// Bytes after the last LF that may be the start of the footer, with their offset.
    held: Vec<u8>,
    held_at: u64,
    /// Header lines after the first (BSD `Command: …`).
    after_header: bool,
    meta: Meta,
}

#[derive(Debug, Default, Clone)]
struct Meta {
    start_time: Option<Timestamp>,
    end_time: Option<Timestamp>,
    exit_code: Option<i32>,
    end_message: Option<String>,
    session_id: Option<String>,
    instance_id: Option<String>,
    plugin: Option<String>,
    columns: Option<usize>,
}

impl Transcript {
    pub fn new(expect_header: bool) -> Transcript {
        Transcript {
            in_header: expect_header,
            ..Transcript::default()
        }
    }

    pub fn feed<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        let mut chunk = chunk;
        let mut offset = offset;
        if self.in_header {
            // A line feed past the cap ends no header: the line is content, as it is when the
            // cap is reached before the line feed arrives, so chunking does not matter.
            let end =
                memchr::memchr(b'\n', chunk).filter(|&i| self.header.len() + i <= MAX_SCRIPT_LINE);
            match end {
                Some(i) => {
                    self.header.extend_from_slice(&chunk[..i]);
                    self.in_header = false;
                    self.after_header = true;
                    let header = std::mem::take(&mut self.header);
                    self.read_header(&header, offset + i as u64 - header.len() as u64, out);
                    chunk = &chunk[i + 1..];
                    offset += i as u64 + 1;
                }
                None => {
                    self.header.extend_from_slice(chunk);
                    if self.header.len() > MAX_SCRIPT_LINE {
                        let at = offset + chunk.len() as u64 - self.header.len() as u64;
                        out.error(header_error(
                            at,
                            format!(
                                "the `Script started on` line is longer than {MAX_SCRIPT_LINE} bytes; reading it as session output"
                            ),
                        ));
                        self.in_header = false;
                        let h = std::mem::take(&mut self.header);
                        self.body(&h, at, out);
                    }
                    return;
                }
            }
        }
        if self.after_header && !chunk.is_empty() {
            // BSD `script` writes the command on a second header line: wait until it can
            // be told apart from session output.
            self.header.extend_from_slice(chunk);
            let h = &self.header;
            let decided = h.len() >= b"Command: ".len() || memchr::memchr(b'\n', h).is_some();
            if !decided && b"Command: ".starts_with(h) {
                return;
            }
            let start = offset + chunk.len() as u64 - self.header.len() as u64;
            let held = std::mem::take(&mut self.header);
            if held.starts_with(b"Command: ") {
                match memchr::memchr(b'\n', &held) {
                    Some(i) => {
                        self.after_header = false;
                        return self.body(&held[i + 1..], start + i as u64 + 1, out);
                    }
                    None if held.len() <= MAX_SCRIPT_LINE => {
                        self.header = held;
                        return;
                    }
                    None => {}
                }
            }
            self.after_header = false;
            return self.body(&held, start, out);
        }
        self.body(chunk, offset, out);
    }

    /// Pass body bytes on, holding back a tail that could be the footer.
    fn body<B: Body>(&mut self, chunk: &[u8], offset: u64, out: &mut B) {
        if chunk.is_empty() {
            return;
        }
        if !self.held.is_empty() {
            // Re-examine the held tail together with the new bytes.
            let mut joined = std::mem::take(&mut self.held);
            let at = self.held_at;
            let n = joined.len();
            joined.extend_from_slice(chunk);
            let keep = footer_start(&joined);
            // The chunk need not follow the held tail in the input: the plain-text events of
            // a CloudWatch session are pieces of one transcript, each at its own offset (and
            // in time order, not input order). Offsets that ran on from the tail went past
            // the end of the input.
            if offset == at + n as u64 || keep <= n {
                out.chunk(Chunk::plain(&joined[..keep], at));
                self.hold(&joined[keep..], at + keep as u64);
            } else {
                out.chunk(Chunk::plain(&joined[..n], at));
                out.chunk(Chunk::plain(&joined[n..keep], offset));
                self.hold(&joined[keep..], offset + (keep - n) as u64);
            }
            return;
        }
        let keep = footer_start(chunk);
        out.chunk(Chunk::plain(&chunk[..keep], offset));
        self.hold(&chunk[keep..], offset + keep as u64);
    }

    /// What was fed is a whole write of the session's output (a timing log says so): a tail
    /// held as the possible start of the footer is output.
    pub fn release<B: Body>(&mut self, out: &mut B) {
        if !self.in_header && !self.held.is_empty() {
            let held = std::mem::take(&mut self.held);
            out.chunk(Chunk::plain(&held, self.held_at));
        }
    }

    fn hold(&mut self, tail: &[u8], at: u64) {
        self.held.clear();
        self.held.extend_from_slice(tail);
        self.held_at = at;
    }

    pub fn finish<B: Body>(&mut self, offset: u64, out: &mut B) {
        if self.in_header {
            let h = std::mem::take(&mut self.header);
            let at = offset - h.len() as u64;
            out.error(header_error(
                at,
                "the input ends inside the `Script started on` line".into(),
            ));
            self.in_header = false;
            if !h.starts_with(MAGIC) {
                out.chunk(Chunk::plain(&h, at));
            }
            return;
        }
        let held = std::mem::take(&mut self.held);
        if held.is_empty() {
            return;
        }
        let at = self.held_at;
        match self.read_footer(&held) {
            Some(content_len) => out.chunk(Chunk::plain(&held[..content_len], at)),
            None => out.chunk(Chunk::plain(&held, at)),
        }
    }

    /// Parse the footer in `tail` (which starts at a LF); returns how many leading bytes of
    /// it are still session content, or `None` if it is not a footer.
    fn read_footer(&mut self, tail: &[u8]) -> Option<usize> {
        let t = tail.strip_suffix(b"\n").unwrap_or(tail);
        let j = memchr::memrchr(b'\n', t)?;
        let done = String::from_utf8_lossy(&t[j + 1..]);
        let rest = done.strip_prefix("Script done on ")?;
        let (time, bracket) = split_bracket(rest);
        self.meta.end_time = header_time(time);
        if let Some(b) = bracket {
            if let Some(code) = b
                .strip_prefix("COMMAND_EXIT_CODE=\"")
                .and_then(|s| s.split('"').next())
            {
                self.meta.exit_code = code.parse().ok();
            } else if let Some(msg) = b.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
                self.meta.end_message = Some(msg.to_owned());
            }
        }
        let mut content = j;
        // BSD: "\nCommand exit status: N" just before; SSM NonInteractiveCommands:
        // "EXIT_CODE: N" (the command's own status, not cat's).
        if let Some(k) = memchr::memrchr(b'\n', &t[..j]) {
            if let Some(n) = t[k + 1..j].strip_prefix(BSD_STATUS) {
                // BSD writes its own line feed before the status line.
                self.meta.exit_code = String::from_utf8_lossy(n).trim().parse().ok();
                content = k;
            } else if let Some(n) = t[k + 1..j].strip_prefix(EXIT_CODE) {
                // The agent appends the trailer right after the output's last line feed.
                self.meta.exit_code = String::from_utf8_lossy(n).trim().parse().ok();
                content = k + 1;
            }
        }
        Some(content)
    }

    fn read_header<B: Body>(&mut self, line: &[u8], at: u64, out: &mut B) {
        let bom = line.starts_with(b"\xef\xbb\xbf");
        let (line, at) = if bom {
            (&line[3..], at + 3)
        } else {
            (line, at)
        };
        let Some(rest) = line.strip_prefix(MAGIC) else {
            out.error(header_error(
                at,
                "no `Script started on` header; reading the input as session output".into(),
            ));
            let mut l = line.to_vec();
            l.push(b'\n');
            self.body(&l, at, out);
            return;
        };
        let rest = String::from_utf8_lossy(rest);
        let (time, bracket) = split_bracket(&rest);
        self.meta.start_time = header_time(time);
        if let Some(b) = bracket {
            if let Some(cmd) = b
                .split("COMMAND=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
            {
                self.read_ipc_path(cmd);
            }
            if let Some(cols) = b
                .split("COLUMNS=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
            {
                self.meta.columns = cols.parse().ok().filter(|&c: &usize| c > 1);
                if let Some(c) = self.meta.columns {
                    out.recorded_width(c);
                }
            }
        }
    }

    /// `cat /var/lib/amazon/ssm/<instance>/session/orchestration/<sid>/<plugin>/ipcTempFile.log`
    fn read_ipc_path(&mut self, cmd: &str) {
        let path = cmd.rsplit(' ').next().unwrap_or(cmd);
        let parts: Vec<&str> = path.split(['/', '\\']).collect();
        if let Some(i) = parts.iter().position(|p| *p == "orchestration") {
            self.meta.session_id = parts.get(i + 1).map(|s| s.to_string());
            self.meta.plugin = parts
                .get(i + 2)
                .filter(|p| !p.ends_with(".log"))
                .map(|s| s.to_string());
            if i >= 2 && parts[i - 1] == "session" {
                self.meta.instance_id = Some(parts[i - 2].to_owned());
            }
        }
    }

    pub fn describe(&self, s: &mut Session) {
        let m = &self.meta;
        s.start_time = m.start_time;
        s.end_time = m.end_time;
        s.exit_code = m.exit_code;
        s.end_message = m.end_message.clone();
        s.session_id = m.session_id.clone();
        s.instance_id = m.instance_id.clone();
        s.plugin = m.plugin.clone();
        s.recorded_width = m.columns;
        // Session ids are `<user or role session>-<suffix>`; the name may contain '-'.
        s.user = m
            .session_id
            .as_deref()
            .and_then(|id| id.rsplit_once('-'))
            .map(|(u, _)| u.to_owned());
    }
}

/// The time of a header or footer: RFC 3339-like (util-linux ≥ 2.35: `2024-10-15
/// 21:22:05+00:00`, `+0000`), or `%c` in the C locale (older util-linux, BSD), read as UTC.
/// The time on a `Script started on …` line.
pub(crate) fn started_at(line: &[u8]) -> Option<Timestamp> {
    let rest = line.strip_prefix(MAGIC)?;
    let rest = String::from_utf8_lossy(rest);
    header_time(split_bracket(rest.trim_end()).0)
}

fn header_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(t) = Timestamp::parse(text) {
        return Some(t);
    }
    // `%c` pads the day with a space (`Oct  5`); jiff's `%e` takes either padding.
    let words: Vec<&str> = text.split_whitespace().collect();
    let c_locale = jiff::fmt::strtime::parse("%a %b %e %H:%M:%S %Y", words.join(" ")).ok()?;
    let civil = c_locale.to_datetime().ok()?;
    let utc = jiff::tz::Offset::UTC.to_timestamp(civil).ok()?;
    Timestamp::from_millis(utc.as_millisecond())
}

/// `"<time> [<bracket>]"` → (time, bracket contents).
fn split_bracket(s: &str) -> (&str, Option<&str>) {
    match s.find(" [") {
        Some(i) if s.trim_end().ends_with(']') => {
            let b = &s[i + 2..s.trim_end().len() - 1];
            (&s[..i], Some(b))
        }
        _ => (s.trim_end_matches('\r'), None),
    }
}

/// Where, in `bytes`, a tail starts that could still become the footer: the last LF after
/// which everything is a prefix of `Script done on …` (or BSD's status line) and has no
/// LF other than the footer's own. `bytes.len()` if there is no such tail.
fn footer_start(bytes: &[u8]) -> usize {
    // The footer is at most a few lines: look at the last three LFs.
    let mut end = bytes.len();
    let mut best = bytes.len();
    for _ in 0..4 {
        let Some(i) = memchr::memrchr(b'\n', &bytes[..end]) else {
            break;
        };
        let tail = &bytes[i + 1..];
        if tail.len() > MAX_SCRIPT_LINE * 2 {
            break;
        }
        if could_be_footer(tail) {
            best = i;
        }
        end = i;
    }
    best
}

fn could_be_footer(tail: &[u8]) -> bool {
    let starts = |l: &[u8], m: &[u8]| {
        if l.len() < m.len() {
            m.starts_with(l)
        } else {
            l.starts_with(m)
        }
    };
    let lines: Vec<&[u8]> = tail.split(|&b| b == b'\n').take(4).collect();
    let mut i = 0;
    if (starts(lines[0], BSD_STATUS) || starts(lines[0], EXIT_CODE)) && !lines[0].is_empty() {
        if lines.len() == 1 {
            return true;
        }
        i = 1;
    }
    match lines.get(i) {
        Some(done) if starts(done, DONE) => match lines.len() - i {
            1 => true,
            2 => lines[i + 1].is_empty(),
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        bytes: Vec<u8>,
        errors: Vec<Error>,
    }
    impl Body for Collect {
        fn chunk(&mut self, c: Chunk<'_>) {
            self.bytes.extend_from_slice(c.bytes);
        }
        fn error(&mut self, e: Error) {
            self.errors.push(e);
        }
    }

    fn run(input: &[u8], chunk: usize) -> (Vec<u8>, Session, Vec<Error>) {
        let mut t = Transcript::new(true);
        let mut c = Collect::default();
        let mut off = 0;
        for piece in input.chunks(chunk.max(1)) {
            t.feed(piece, off, &mut c);
            off += piece.len() as u64;
        }
        t.finish(off, &mut c);
        let mut s = Session::default();
        t.describe(&mut s);
        (c.bytes, s, c.errors)
    }

    const V238: &[u8] = b"Script started on 2026-11-22 18:24:13+00:00 [COMMAND=\"cat /var/lib/amazon/ssm/i-0123456789abcdef0/session/orchestration/alice-0a1b2c3d4e5f6a7b8/Standard_Stream/ipcTempFile.log\" <not executed on terminal>]\nsh-4.2$ ls\r\r\nfile1  file2\r\r\nsh-4.2$ \nScript done on 2026-11-22 18:24:13+00:00 [COMMAND_EXIT_CODE=\"3\"]\n";

    #[test]
    fn util_linux_238_at_every_chunk_size() {
        for chunk in 1..40 {
            let (body, s, errors) = run(V238, chunk);
            assert_eq!(
                body, b"sh-4.2$ ls\r\r\nfile1  file2\r\r\nsh-4.2$ ",
                "chunk {chunk}"
            );
            assert!(errors.is_empty());
            assert_eq!(s.exit_code, Some(3));
            assert_eq!(s.session_id.as_deref(), Some("alice-0a1b2c3d4e5f6a7b8"));
            assert_eq!(s.user.as_deref(), Some("alice"));
            assert_eq!(s.instance_id.as_deref(), Some("i-0123456789abcdef0"));
            assert_eq!(s.plugin.as_deref(), Some("Standard_Stream"));
            assert_eq!(
                s.start_time.map(|t| t.to_string()).as_deref(),
                Some("2026-11-22T18:24:13Z")
            );
        }
    }

    #[test]
    fn old_variants_and_bsd() {
        let (body, s, _) = run(b"Script started on Tue Oct 15 21:22:05 2024\n$ ls\r\r\n\nScript done on Tue Oct 15 21:23:10 2024\n", 7);
        assert_eq!(body, b"$ ls\r\r\n");
        // The C locale's `%c` names no zone: read as UTC.
        assert_eq!(
            s.end_time.map(|t| t.to_string()).as_deref(),
            Some("2024-10-15T21:23:10Z")
        );
        let (body, s, _) = run(b"Script started on Tue Oct 15 21:22:05 2024\nCommand: cat /x/ipcTempFile.log\n$ ls\r\n\nCommand exit status: 2\nScript done on Tue Oct 15 21:22:05 2024\n", 5);
        assert_eq!(body, b"$ ls\r\n");
        assert_eq!(s.exit_code, Some(2));
        let (_, s, _) = run(b"Script started on 2024-10-15 21:22:05+00:00 [TERM=\"xterm\" TTY=\"/dev/pts/0\" COLUMNS=\"117\" LINES=\"9\"]\n$ \nScript done on 2024-10-15 21:22:05+00:00 [<max output size exceeded>]\n", 3);
        assert_eq!(s.recorded_width, Some(117));
        assert_eq!(s.end_message.as_deref(), Some("max output size exceeded"));
    }

    #[test]
    fn header_times_in_every_form() {
        let t = |s: &str| header_time(s).map(|t| t.to_string());
        for s in [
            "2024-10-05 21:22:05+00:00",
            "2024-10-05 23:22:05+0200",
            "Sat Oct  5 21:22:05 2024",
            "Sat Oct 5 21:22:05 2024 ",
        ] {
            assert_eq!(t(s).as_deref(), Some("2024-10-05T21:22:05Z"), "{s}");
        }
        // A weekday that is not the date's, a day that does not exist, another locale.
        assert_eq!(t("Tue Oct  5 21:22:05 2024"), None);
        assert_eq!(t("2026-02-31 10:00:00+00:00"), None);
        assert_eq!(t("sam. 05 oct. 2024 21:22:05"), None);
    }

    #[test]
    fn non_interactive_exit_code_trailer() {
        let input = b"Script started on 2024-10-15 21:22:05+00:00 [<not executed on terminal>]\nhello\r\nEXIT_CODE: 3\nScript done on 2024-10-15 21:22:05+00:00 [COMMAND_EXIT_CODE=\"0\"]\n";
        for chunk in [1, 4, 9, 200] {
            let (body, s, _) = run(input, chunk);
            assert_eq!(body, b"hello\r\n", "chunk {chunk}");
            assert_eq!(s.exit_code, Some(3));
        }
    }

    #[test]
    fn no_footer_keeps_everything() {
        let (body, s, _) = run(b"Script started on 2024-10-15 21:22:05+0000\n$ echo Script done on\r\r\nScript done on\r\r\n$ ec", 4);
        assert_eq!(body, b"$ echo Script done on\r\r\nScript done on\r\r\n$ ec");
        assert_eq!(s.end_time, None);
    }
}
