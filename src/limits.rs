//! Every cap that keeps memory bounded, in one place.
//!
//! ttyscribe runs inside log pipelines on endless input, so no buffer grows with the input.
//! Each constant says what happens when input goes past it: nothing is an error, the excess
//! is dropped and the record that lost something carries `truncated: true`.

/// Widest row the screen model keeps when the terminal width is unknown. Characters printed
/// past this column are dropped (the row is marked truncated).
pub const MAX_COLS: usize = 4096;

/// Rows kept in the screen window above the cursor. Older rows are handed to the segmenter
/// as finished output lines, exactly as a terminal scrolls them into its scrollback.
pub const MAX_ROWS: usize = 256;

/// Bytes of an OSC string (window title, cwd, prompt mark) kept by the escape parser; a
/// longer OSC is cut to this length (a command line a shell reports in one is flagged
/// `truncated`).
pub const MAX_OSC: usize = 1024;

/// Bytes of output kept per command record. The output kept is whole lines from the start:
/// the first line that would pass the cap and every line after it are dropped, and the
/// record is flagged `truncated`.
pub const MAX_OUTPUT: usize = 64 * 1024;

/// Bytes of one command (after all edits). Longer commands are cut and flagged `truncated`.
pub const MAX_COMMAND: usize = 64 * 1024;

/// Other readings of a command line kept on its record (`alternatives`: reports of the
/// line the shell gave that differ from the screen). Later ones are dropped; the evidence
/// still says the readings differed.
pub const MAX_ALTERNATIVES: usize = 4;

/// Rows one command may span (wrapped rows and continuation lines together).
pub const MAX_COMMAND_ROWS: usize = 128;

/// Strings of each kind (prompt, command, output) a session keeps from records the caller
/// has read, to hold the text of later records (see `Scribe::feed_each`); more are freed.
pub const MAX_SPARE: usize = 32;

/// Largest string kept that way: a bigger one is freed. With [`MAX_SPARE`], a session keeps
/// at most 3 × 32 × 4 KiB = 384 KiB of spare strings.
pub const MAX_SPARE_BYTES: usize = 4 * 1024;

/// Largest line buffer a JSON Lines `Encoder` keeps between records: the buffer of a longer
/// record is freed after it is written.
pub const MAX_KEPT_LINE: usize = 1 << 20;

/// Longest prompt whose JSON a JSON Lines `Encoder` keeps for the next record; a longer one
/// is written each time.
pub const MAX_KEPT_PROMPT: usize = 4096;

/// Prompt shapes remembered by the prompt learner.
pub const MAX_PROMPT_TEMPLATES: usize = 8;

/// Bytes of a `script` header or footer line that the transcript reader buffers while it
/// decides whether the line is one. A longer first line is treated as session content.
pub const MAX_SCRIPT_LINE: usize = 8 * 1024;

/// Sessions one input keeps live at once (a terminal, a segmenter and an event orderer's
/// state each). An input may hold any number of sessions: past this, the least recently
/// active one is finished (its records and a session record saying `closed_early` are
/// emitted) and a later event of it starts a continuation (`part` 2, 3, …).
pub const MAX_SESSIONS: usize = 1024;

/// Events one session's orderer may hold back while it waits for earlier ones (a Logs
/// Insights export, which comes newest first, holds at most 10,000 rows). Past it the oldest
/// goes out, possibly out of order, and the input gets an error saying so.
pub const MAX_HELD: usize = 16_384;

/// Bytes of event data the orderer holds back over all sessions. Past it the least recently
/// active session's events are released whole.
pub const MAX_HELD_BYTES: usize = 64 << 20;

/// Ids of sessions finished early under [`MAX_SESSIONS`] that are remembered, so that a
/// continuation knows its `part` number; the oldest are forgotten first (a continuation of a
/// forgotten one says `part` is unknown by leaving it out).
pub const MAX_CLOSED_REMEMBERED: usize = 65_536;

/// Leading bytes of an input buffered to tell its format (and, inside CloudWatch inputs, its
/// shape) before deciding on what is there: only whitespace, a BOM or the start of a header
/// can keep the decision waiting that long.
pub const MAX_SNIFF: usize = 4096;

/// Longest ttyrec frame believed: a recorder writes what one `read` of the pty gave (a few
/// KiB). Frames are streamed, never held, so this is a plausibility bound on a header, not a
/// buffer: a larger length means the framing is damaged.
pub const MAX_TTYREC_FRAME: usize = 16 << 20;

/// Compressed bytes of a gzip-wrapped transcript, raw log or recording inflated at a time:
/// deflate expands at most ~1032 to 1, so one step makes at most ~2.1 MiB, held in a buffer
/// of at most twice that.
pub const MAX_GZIP_STEP: usize = 2048;

/// Compressed bytes gathered at most before deciding what a gzip stream holds (normally the
/// first [`MAX_SNIFF`] decompressed bytes decide much sooner).
pub const MAX_GZIP_SNIFF: usize = 64 << 10;

/// Typed lines (from logged keystrokes) held until a command line matches them: lines typed
/// to programs are never matched, so the oldest are forgotten past this many.
pub const MAX_TYPED_LINES: usize = 256;

/// Released events each session's orderer remembers (time and digest), to drop re-sends that
/// come after the reorder window.
pub const RECENT_EVENTS: usize = 64;

/// Longest line (or CSV record) of a line-oriented CloudWatch shape. A CloudWatch event is at
/// most 1 MiB; a subscription record carries a base64'd gzip batch (a Lambda payload is at
/// most 6 MB) and wrapping re-escapes a message, so 8 MiB leaves room. A longer line is
/// reported and skipped; so is an element of a spread document (see [`SPREAD_BYTES`]).
pub const MAX_LINE_BYTES: usize = 8 << 20;

/// A JSON value whose end is not within its first this many bytes is read element by element
/// (its top-level array, or its object's event list), so it is never held whole.
pub const SPREAD_BYTES: usize = 1 << 20;

/// Largest JSON value held whole (one that spans lines and is no spread list: a pretty-printed
/// object without an event list). A larger one is reported and skipped up to the next line
/// that starts with `{` or `[`.
pub const MAX_DOCUMENT_BYTES: usize = 256 << 20;

/// Most bytes a subscription record's `awslogs.data` may decompress to; the rest is reported
/// and dropped.
pub const MAX_PAYLOAD_BYTES: usize = 64 << 20;

/// Subscription payloads nested in subscription payloads are read this deep.
pub const MAX_PAYLOAD_DEPTH: u8 = 2;

/// Gzip inside gzip is read this many levels deep; deeper is reported.
pub const MAX_GZIP_DEPTH: u8 = 2;

/// Longest gzip header kept (FEXTRA, file name and comment included); a longer one is
/// reported and the member skipped.
pub const MAX_GZIP_HEADER: usize = 64 * 1024;

/// Gzip member starts remembered to place events in the input (older ones are forgotten:
/// an event is then placed at the oldest member remembered).
pub const MAX_GZIP_MEMBERS: usize = 4096;
