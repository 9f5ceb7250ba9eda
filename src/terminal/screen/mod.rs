//! The geometry of the rows the shell draws on: cells, cursor, pending wrap, width.
//!
//! This is not a full screen. It is a window of the most recent rows (at most
//! [`MAX_ROWS`](crate::limits::MAX_ROWS)), addressed by absolute row numbers that grow for the
//! whole session, so that the segmenter can hold on to a position while the shell redraws
//! around it. Rows that leave the window are rendered to text and queued as finished output.
//!
//! Autowrap follows xterm: printing in the last column leaves the cursor there with a
//! *pending wrap*; the next printable character moves to a new row marked `wrapped`, so a
//! logical line (a row and its wrapped continuations) can be read back whole.
//!
//! Printing is in [`print`]; how the width is learned, in [`width`]; reading text back, in
//! [`read`]; erasing, inserting and deleting, in [`edit`]; one row, in [`row`]; what is kept
//! of rows for the segmenter, in [`kept`]; the calls the segmenter makes, in [`calls`].

use std::collections::VecDeque;

use unicode_width::UnicodeWidthChar;

use super::op::{Bytes, Mode, Op};

mod calls;
mod edit;
mod kept;
mod print;
mod read;
mod row;
mod width;

pub(crate) use kept::Snapshots;
use kept::{Evicted, MAX_SNAPSHOTS};

pub(crate) use row::{BLANK, Buffers, Cell, Row, WIDE_TAIL, utf8};

use super::view::Rules;
use crate::limits::{MAX_COLS, MAX_ROWS};
use crate::terminal::shortcuts;

/// Fewest characters a row must show for its snapshot at CR to be kept: a window mksh
/// scrolled sideways is a line wider than the terminal, and shorter rows redrawn at CR
/// (`sh-4.2$ \r`) add nothing.
const MIN_SNAPSHOT_CHARS: usize = 16;

/// Cell buffers kept for reuse (see `Screen::spare`).
const MAX_SPARE_ROWS: usize = 8;

/// The era of the cells written before the segmenter starts one.
pub(crate) const FIRST_ERA: u32 = 1;

/// The era of cells written after a jump over blank cells past the end of their row: read
/// from any era on, they are left out.
pub(crate) const DETACHED: u32 = 0;

/// A position that survives re-wrapping: the absolute row where a logical line starts and an
/// offset in cells from the start of that line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub line: u64,
    pub off: usize,
}

#[derive(Debug)]
pub(crate) struct Screen {
    rows: VecDeque<Row>,
    /// Absolute number of `rows[0]`.
    base: u64,
    row: u64,
    col: usize,
    pending_wrap: bool,
    width: Option<usize>,
    autowrap: bool,
    saved: Option<(u64, usize)>,
    /// Row that absolute vertical positioning (`CSI H`) counts from.
    top: u64,
    /// Current era: cells are stamped with it when written. The segmenter starts a new era
    /// (`new_era`) when it knows the prompt has been drawn, so prompt cells can be told from
    /// typed ones.
    era: u32,
    /// Inside the alternate screen nothing is drawn on the rows.
    pub(super) alt: bool,
    /// Bytes of printable text that went to the alternate screen.
    alt_chars: u64,
    /// Set by the segmenter while the shell's line editor is active.
    editing: bool,
    /// Set by the segmenter when the shell gives no editor marks: rows that start with a
    /// prompt may be edited lines.
    line_mode: bool,
    /// Keep [`snapshots`](Self::snapshots) of the row at CR. Off for CloudWatch lines: the
    /// agent deleted the CRs of sideways redraws, so the only CRs in a line are those put
    /// back around `PROMPT_SP` and at its end, which show nothing a window could add.
    keep_snapshots: bool,
    /// The cells the last two printed characters replaced, and where: an echo over the
    /// line (`^C`) can be taken back.
    shadow: [(u64, usize, Option<Cell>); 2],
    /// Finished rows that left the window, rendered, waiting for the segmenter.
    evicted: Evicted,
    /// Rows before this one were already read by the segmenter: they leave the window
    /// without being rendered.
    read_upto: u64,
    /// Cell buffers of evicted rows, kept for new rows (at most [`MAX_SPARE_ROWS`]).
    spare: Vec<Buffers>,
    /// Rows at or after this absolute row are not evicted while possible.
    pin: u64,
    /// The cursor does not move up above this row (set for cleaned CloudWatch lines, whose
    /// upward moves were meant for a wrapped layout the cleanup lost).
    floor: u64,
    /// The row the last line feed left, until something is printed.
    lf_from: Option<u64>,
    /// Carriage returns in a row just before the cursor's current spot.
    cr_run: u8,
    /// How many carriage returns came right before the last line feed (mksh ends a
    /// submitted line with two, a redraw with one).
    crs_before_lf: u8,
    /// The last operation printed text ending at this (row, column); a CR keeps it.
    printed_to: Option<(u64, usize)>,
    /// A line feed came right after text ended at (row, column).
    margin_candidate: Option<(u64, usize)>,
    /// Text printed now follows a jump past the end of the row (see `move_cols`): its cells
    /// are stamped [`DETACHED`], not with the era.
    floating: bool,
    /// Since the last line feed, the cursor went back up before anything was printed.
    up_before_print: bool,
    /// `up_before_print` as it was when the last line feed came.
    went_back_before_lf: bool,
    /// A space was the last thing printed, at this (row, col).
    last_space: Option<(u64, usize)>,
    /// A readline margin wrap seen but not yet confirmed: (row, logical column of the space).
    wrap_candidate: Option<(u64, usize)>,
    /// How many times the width was learned or changed from the stream.
    width_changes: u32,
    /// Rows at or after `pin` left the window since it was set.
    truncated: bool,
    /// The width in force was measured on a `PROMPT_SP` line.
    width_from_prompt_sp: bool,
    /// Rows as they were before each CR on the current line, without editor marks (see
    /// `carriage_return`); the segmenter clears them at each line feed.
    snapshots: Snapshots,
    /// The mark of the last `PROMPT_SP` line seen (`%` or `#` for zsh, `⏎` for fish).
    prompt_sp_mark: Option<char>,
    /// `PROMPT_SP` lines seen so far.
    prompt_sps: u32,
    /// Row and column of the last CR away from column 0.
    last_cr: (u64, usize),
    /// What the shells' habits say at the spots geometry alone cannot decide.
    rules: Rules,
}

impl Screen {
    pub fn new(width: Option<usize>) -> Screen {
        let mut rows = VecDeque::new();
        rows.push_back(Row::new());
        Screen {
            rows,
            base: 0,
            row: 0,
            col: 0,
            pending_wrap: false,
            width: width.filter(|&w| w > 1).map(|w| w.min(MAX_COLS)),
            autowrap: true,
            saved: None,
            top: 0,
            era: FIRST_ERA,
            alt: false,
            alt_chars: 0,
            editing: false,
            line_mode: true,
            keep_snapshots: true,
            shadow: [(u64::MAX, 0, None); 2],
            evicted: Evicted::default(),
            read_upto: 0,
            spare: Vec::new(),
            pin: 0,
            floor: 0,
            lf_from: None,
            up_before_print: false,
            floating: false,
            printed_to: None,
            cr_run: 0,
            crs_before_lf: 0,
            margin_candidate: None,
            went_back_before_lf: false,
            last_space: None,
            wrap_candidate: None,
            width_changes: 0,
            truncated: false,
            prompt_sp_mark: None,
            prompt_sps: 0,
            last_cr: (u64::MAX, 0),
            snapshots: Snapshots::default(),
            width_from_prompt_sp: false,
            rules: Rules::NONE,
        }
    }

    /// Infer what the shell reveals while drawing with `rules` (see [`Rules`]).
    pub fn set_rules(&mut self, rules: Rules) {
        self.rules = rules;
    }

    /// Force the width (given by the user or recorded in the input).
    pub fn set_width(&mut self, width: usize) {
        if width > 1 {
            self.width = Some(width.min(MAX_COLS));
        }
    }

    pub fn width(&self) -> Option<usize> {
        self.width
    }

    pub fn cursor(&self) -> (u64, usize) {
        (self.row, self.col)
    }

    pub fn last_row(&self) -> u64 {
        self.base + self.rows.len() as u64 - 1
    }

    pub fn first_row(&self) -> u64 {
        self.base
    }

    pub fn row(&self, r: u64) -> Option<&Row> {
        r.checked_sub(self.base)
            .and_then(|i| self.rows.get(i as usize))
    }

    fn row_mut(&mut self, r: u64) -> &mut Row {
        // The cursor row always exists: every move that leaves the window appends rows.
        let i = (r.saturating_sub(self.base)) as usize;
        let i = i.min(self.rows.len() - 1);
        &mut self.rows[i]
    }

    fn cur(&mut self) -> &mut Row {
        let r = self.row;
        self.row_mut(r)
    }

    fn max_col(&self) -> usize {
        self.width.map_or(MAX_COLS, |w| w - 1)
    }

    fn touched(&mut self) {
        self.cr_run = 0;
        self.printed_to = None;
        self.margin_candidate = None;
        self.floating = false;
        self.last_space = None;
        self.wrap_candidate = None;
    }

    /// Make sure absolute row `r` exists, appending empty rows and evicting old ones.
    fn ensure_row(&mut self, r: u64) {
        while self.last_row() < r {
            if self.rows.len() >= MAX_ROWS {
                // The window is full: the row leaving it becomes the new one, in place.
                self.retire_first();
                if let Some(mut row) = self.rows.pop_front() {
                    row.reset();
                    self.rows.push_back(row);
                }
            } else {
                let buffers = self.spare.pop().unwrap_or_default();
                self.rows.push_back(Row::reuse(buffers));
            }
            if self.rows.len() > MAX_ROWS {
                self.evict();
            }
        }
    }

    /// Make the window at most [`MAX_ROWS`] rows again (a re-wrap may have grown it).
    fn evict(&mut self) {
        while self.rows.len() > MAX_ROWS {
            self.retire_first();
            if let Some(row) = self.rows.pop_front()
                && self.spare.len() < MAX_SPARE_ROWS
            {
                self.spare.push(row.into_buffers());
            }
        }
    }

    /// The first row is about to leave the window: its text is kept for the segmenter unless
    /// it read it already, and row numbers move on.
    fn retire_first(&mut self) {
        let Some(row) = self.rows.front() else { return };
        if self.base >= self.pin {
            self.truncated = true;
        }
        if self.base >= self.read_upto {
            row.push_text(0, 0, &mut self.evicted.text);
            self.evicted.rows.push((self.base, self.evicted.text.len()));
        }
        self.base += 1;
        self.row = self.row.max(self.base);
        self.top = self.top.max(self.base);
    }

    // ---- C0 controls ----------------------------------------------------------------------

    pub fn carriage_return(&mut self) {
        if self.alt {
            return;
        }
        let space = self.last_space.take();
        self.wrap_candidate = None;
        self.cr_run = self.cr_run.saturating_add(1);
        if self.col > 0 {
            self.last_cr = (self.row, self.col);
        }
        self.detect_prompt_sp();
        if self.line_mode && self.keep_snapshots && self.snapshots.len() < MAX_SNAPSHOTS {
            // mksh scrolls a long line sideways, redrawing a window of it after CR: what
            // each window showed is all that is left of the parts scrolled away.
            let at = self.row.checked_sub(self.base).map(|i| i as usize);
            if let Some(row) = at.and_then(|i| self.rows.get(i)) {
                self.snapshots.push(row, MIN_SNAPSHOT_CHARS);
            }
        }
        if let Some((r, c)) = space
            && r == self.row
        {
            self.wrap_candidate = (self.rules.margin_wrap)(self, r, c).map(|p| (p.line, p.off));
        }
        self.col = 0;
        self.pending_wrap = false;
    }

    pub fn line_feed(&mut self) {
        if self.alt {
            return;
        }
        // A line feed right after text reached a column: if the shell then goes back up
        // before printing, it moved off a full row (fish manages the margin this way).
        let candidate = self.printed_to.filter(|&(r, _)| r == self.row);
        self.crs_before_lf = std::mem::take(&mut self.cr_run);
        self.touched();
        self.margin_candidate = candidate;
        self.went_back_before_lf = self.up_before_print;
        self.up_before_print = false;
        self.lf_from = Some(self.row);
        self.pending_wrap = false;
        self.row += 1;
        self.ensure_row(self.row);
    }

    pub fn backspace(&mut self) {
        if self.alt {
            return;
        }
        self.touched();
        self.lf_from = None;
        if self.pending_wrap {
            self.pending_wrap = false;
        }
        if self.col > 0 {
            self.cur().backed = true;
        }
        self.col = self.col.saturating_sub(1);
    }

    pub fn tab(&mut self) {
        if self.alt {
            return;
        }
        self.touched();
        self.confirm_pending_wrap_for_move();
        self.cur().tabbed = true;
        let next = (self.col / 8 + 1) * 8;
        self.col = next.min(self.max_col());
    }

    // ---- CSI cursor movement --------------------------------------------------------------

    fn confirm_pending_wrap_for_move(&mut self) {
        self.pending_wrap = false;
    }

    /// `CSI n C` (CUF), `CSI n D` (CUB).
    pub fn move_cols(&mut self, delta: isize) {
        if self.alt {
            return;
        }
        self.touched();
        self.pending_wrap = false;
        let c = self.col as isize + delta;
        // Nothing moves the cursor past the margin on purpose: the terminal grew. The new
        // width is unknown until the next margin signal.
        if let Some(w) = self.width
            && c >= w as isize
            && c < 4 * w as isize
        {
            self.width = None;
            self.width_from_prompt_sp = false;
            self.width_changes += 1;
        }
        // Text drawn after a jump over blank cells past the end of the row is apart from the
        // text before it (what it is, zsh's RPROMPT, is for the segmenter).
        let len = self.row(self.row).map_or(0, Row::len);
        self.floating = delta >= 2 && self.col >= len;
        self.col = (c.max(0) as usize).min(self.max_col());
    }

    /// `CSI n G`, `` CSI n ` `` (CHA/HPA): absolute column, 0-based here.
    pub fn set_col(&mut self, col: usize) {
        if self.alt {
            return;
        }
        self.touched();
        self.pending_wrap = false;
        self.col = col.min(self.max_col());
    }

    /// `CSI n A` (CUU), `CSI n B` (CUD), `ESC M` (RI, at most one row up).
    pub fn move_rows(&mut self, delta: i64) {
        if self.alt {
            return;
        }
        let margin = self.margin_candidate.take();
        self.touched();
        self.pending_wrap = false;
        if delta < 0 {
            if self.lf_from.is_some() {
                self.up_before_print = true;
                if let Some((r, col)) = margin
                    && let Some(width) = (self.rules.margin_up)(self, r, col)
                {
                    let line = self.logical_start(r);
                    self.set_width_on_line(line, width);
                }
            }
            let up = (-delta) as u64;
            self.row = self
                .row
                .saturating_sub(up)
                .max(self.base)
                .max(self.floor.min(self.row));
        } else {
            self.row += delta as u64;
            self.ensure_row(self.row);
        }
    }

    /// `CSI r;c H` (CUP) and `CSI r d` (VPA): rows count from the top of the last cleared
    /// screen, since the real top is not known.
    pub fn set_row(&mut self, row: usize) {
        if self.alt {
            return;
        }
        self.touched();
        self.pending_wrap = false;
        self.row = self.top + row as u64;
        self.ensure_row(self.row);
    }

    pub fn save_cursor(&mut self) {
        self.saved = Some((self.row, self.col));
    }

    pub fn restore_cursor(&mut self) {
        if self.alt {
            return;
        }
        self.touched();
        if let Some((r, c)) = self.saved {
            self.row = r.max(self.base);
            self.ensure_row(self.row);
            self.col = c.min(self.max_col());
            self.pending_wrap = false;
        }
    }

    // ---- modes --------------------------------------------------------------------------

    pub fn set_autowrap(&mut self, on: bool) {
        self.autowrap = on;
    }

    /// `CSI ? 1049 h` and friends.
    /// Draw one op. What the ops that change no row (BEL, SGR, OSC strings, …) mean is
    /// for the observer (see [`Signal::of`](crate::terminal::Signal::of)).
    #[inline(always)] // see `Performer::apply`
    pub fn apply(&mut self, op: &Op<'_>) {
        // Counts and positions are at least 1 (see `op`); the subtractions saturate anyway.
        let at = |n: u16| usize::from(n).saturating_sub(1);
        match *op {
            Op::Print(Bytes(run)) => self.print_ascii(run),
            Op::PrintChar(c) => self.print(c),
            Op::Cr => self.carriage_return(),
            Op::Lf | Op::Ind => self.line_feed(),
            Op::Bs => self.backspace(),
            Op::Ht => self.tab(),
            Op::El(mode) => self.erase_in_line(mode),
            Op::Ed(mode) => self.erase_in_display(mode),
            Op::Ich(n) => self.insert_blanks(n.into()),
            Op::Dch(n) => self.delete_chars(n.into()),
            Op::Ech(n) => self.erase_chars(n.into()),
            Op::Cuf(n) => self.move_cols(n as isize),
            Op::Cub(n) => self.move_cols(-(n as isize)),
            Op::Cuu(n) => self.move_rows(-i64::from(n)),
            Op::Cud(n) => self.move_rows(n.into()),
            Op::Cnl(n) => {
                self.move_rows(n.into());
                self.set_col(0);
            }
            Op::Cpl(n) => {
                self.move_rows(-i64::from(n));
                self.set_col(0);
            }
            Op::Cha(n) => self.set_col(at(n)),
            Op::Vpa(n) => self.set_row(at(n)),
            Op::Cup(row, col) => {
                self.set_row(at(row));
                self.set_col(at(col));
            }
            Op::SaveCursor => self.save_cursor(),
            Op::RestoreCursor => self.restore_cursor(),
            Op::Nel => {
                self.carriage_return();
                self.line_feed();
            }
            Op::Ri => self.move_rows(-1),
            Op::Mode(Mode::Autowrap, on) => self.set_autowrap(on),
            Op::Mode(Mode::AltScreen, on) => self.set_alternate(on),
            Op::Mode(..)
            | Op::Bel
            | Op::Sgr(_)
            | Op::Scs { .. }
            | Op::Title(_)
            | Op::Cwd(_)
            | Op::Mark(_)
            | Op::CommandLine { .. }
            | Op::Ignored(_)
            | Op::IgnoredOsc(_) => {}
        }
    }

    pub fn set_alternate(&mut self, on: bool) {
        if on && !self.alt {
            self.alt = true;
            self.alt_chars = 0;
            self.saved = Some((self.row, self.col));
        } else if !on && self.alt {
            self.alt = false;
            if let Some((r, c)) = self.saved {
                self.row = r.max(self.base);
                self.col = c;
            }
            self.pending_wrap = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(s: &mut Screen, text: &str) {
        for c in text.chars() {
            s.print(c);
        }
    }

    #[test]
    fn pending_wrap_like_xterm() {
        let mut s = Screen::new(Some(5));
        print(&mut s, "abcde");
        assert_eq!(s.cursor(), (0, 4));
        print(&mut s, "f");
        assert_eq!(s.cursor(), (1, 1));
        assert_eq!(s.line_text(0, 0, 0), "abcdef");
    }

    #[test]
    fn insert_and_delete() {
        let mut s = Screen::new(None);
        print(&mut s, "echo helo");
        s.backspace();
        s.insert_blanks(1);
        print(&mut s, "l");
        assert_eq!(s.line_text(0, 0, 0), "echo hello");
        s.move_cols(-5);
        s.delete_chars(1);
        assert_eq!(s.line_text(0, 0, 0), "echohello");
    }

    #[test]
    fn clamped_counts_are_harmless() {
        let mut s = Screen::new(Some(10));
        print(&mut s, "abc");
        s.insert_blanks(65535);
        s.delete_chars(65535);
        s.move_cols(-65535);
        s.move_rows(-65535);
        s.move_cols(65535);
        assert_eq!(s.cursor(), (0, 9));
    }
}
