//! What the segmenter reads of the screen beyond its rows, and the few things it may ask of
//! it (see [`crate::terminal::view`]): each call says what it is for, so that no shell
//! policy is written into the screen's state from outside.

use super::*;

impl Screen {
    /// The cursor is at the margin with the next character going to a new row.
    pub fn pending_wrap(&self) -> bool {
        self.pending_wrap
    }

    /// Rows at or after this one are kept in the window while possible (the line being read).
    pub fn pin(&self) -> u64 {
        self.pin
    }

    /// The segmenter says the shell's line editor is active.
    pub fn editing(&self) -> bool {
        self.editing
    }

    /// The segmenter says the shell gives no editor marks.
    pub fn line_mode(&self) -> bool {
        self.line_mode
    }

    /// The width in force was measured on a `PROMPT_SP` line.
    pub fn width_from_prompt_sp(&self) -> bool {
        self.width_from_prompt_sp
    }

    /// Where the last CR on `row` away from column 0 found the cursor, if the last such CR
    /// was on it.
    pub fn cr_col(&self, row: u64) -> Option<usize> {
        (self.last_cr.0 == row).then_some(self.last_cr.1)
    }

    /// `PROMPT_SP` lines seen so far (zsh and fish mark each prompt with one).
    pub fn prompt_sps(&self) -> u32 {
        self.prompt_sps
    }

    /// The mark of the last `PROMPT_SP` line seen.
    pub fn prompt_sp_mark(&self) -> Option<char> {
        self.prompt_sp_mark
    }

    /// Start a new era: cells written from now on are told from those before (a prompt
    /// from what is typed after it). Returns it.
    pub fn new_era(&mut self) -> u32 {
        self.era += 1;
        self.era
    }

    /// Keep rows from `row` on in the window while possible (the line being read); whether
    /// any of them left it since is [`lost_pinned`](Self::lost_pinned).
    pub fn pin_at(&mut self, row: u64) {
        self.pin = row;
        self.truncated = false;
    }

    /// Rows at or after the pin left the window since [`pin_at`](Self::pin_at).
    pub fn lost_pinned(&self) -> bool {
        self.truncated
    }

    /// Whether the shell's line editor is active (for the [`Rules`]).
    pub fn set_editing(&mut self, on: bool) {
        self.editing = on;
    }

    /// Whether the shell gives no editor marks, so that rows starting with a prompt may be
    /// edited lines (for the [`Rules`]).
    pub fn set_line_mode(&mut self, on: bool) {
        self.line_mode = on;
    }

    /// Rows before `row` were read already: leaving the window, they need not be rendered.
    pub fn read_before(&mut self, row: u64) {
        self.read_upto = row;
    }

    /// The cursor goes no higher than `row` (for cleaned CloudWatch lines, whose upward
    /// moves were meant for a wrapped layout the cleanup lost).
    pub fn set_floor(&mut self, row: u64) {
        self.floor = row;
    }

    /// Keep snapshots of the row at each CR (see [`snapshots`](Self::snapshots)).
    pub fn set_keep_snapshots(&mut self, on: bool) {
        self.keep_snapshots = on;
    }

    /// The rows as they were before each CR on the current line.
    pub fn snapshots(&self) -> &Snapshots {
        &self.snapshots
    }

    pub fn clear_snapshots(&mut self) {
        self.snapshots.clear();
    }

    /// Hand each row that left the window unread, oldest first, to `each` with its absolute
    /// number, and forget them.
    pub fn drain_evicted(&mut self, mut each: impl FnMut(u64, &[u8])) {
        let mut start = 0;
        for &(row, end) in &self.evicted.rows {
            each(row, &self.evicted.text[start..end]);
            start = end;
        }
        self.evicted.text.clear();
        self.evicted.rows.clear();
    }

    /// The row the last line feed left, until something is printed.
    pub fn lf_from(&self) -> Option<u64> {
        self.lf_from
    }

    /// How many carriage returns came right before the last line feed.
    pub fn crs_before_lf(&self) -> u8 {
        self.crs_before_lf
    }

    /// Whether the cursor went back up before printing, after the line feed before the last.
    pub fn went_back_before_lf(&self) -> bool {
        self.went_back_before_lf
    }

    /// Characters printed on the alternate screen since it was entered.
    pub fn alt_chars(&self) -> u64 {
        self.alt_chars
    }

    /// How many times the width was learned or changed from the stream.
    pub fn width_changes(&self) -> u32 {
        self.width_changes
    }
}
