//! Printing: characters and runs of ASCII at the cursor, the pending wrap at the margin, and
//! the short path for text appended to a plain row.

use super::*;

impl Screen {
    /// Whether the cursor went back up since the last line feed before printing.
    pub fn went_back(&self) -> bool {
        self.up_before_print
    }

    #[inline(never)]
    pub fn print(&mut self, ch: char) {
        if self.alt {
            self.alt_chars += 1;
            return;
        }
        self.confirm_wrap_candidate();
        self.lf_from = None;
        self.cr_run = 0;
        let w = if (' '..='~').contains(&ch) {
            1
        } else {
            match ch.width() {
                Some(0) | None => return self.print_zero_width(ch),
                Some(w) => w,
            }
        };
        if self.pending_wrap {
            self.pending_wrap = false;
            if self.autowrap {
                self.wrap_to_next_row();
            }
        }
        if let Some(width) = self.width
            && self.col + w > width
        {
            // A wide character that does not fit wraps before it is drawn; the cell it
            // leaves empty is not part of the text.
            if self.autowrap {
                let col = self.col;
                let era = self.era;
                self.cur().put(col, Cell::new(WIDE_TAIL, era));
                self.wrap_to_next_row();
            } else {
                self.col = width.saturating_sub(w);
            }
        }
        let cell = Cell::new(ch, if self.floating { DETACHED } else { self.era });
        let col = self.col;
        let old = self.cur().cell(col);
        self.shadow = [self.shadow[1], (self.row, col, old)];
        let wide_before = || {
            col > 0
                && self
                    .row(self.row)
                    .and_then(|r| r.cell(col - 1))
                    .is_some_and(|c| c.ch.width() == Some(2))
        };
        if old.is_some_and(|c| c.ch == WIDE_TAIL) && wide_before() {
            // Writing over the right half of a wide character erases it. Its left half
            // then shows nothing: the kernel's one `\b \b` for a wide character erased it
            // as one character, and that is what the shell received.
            let era = self.era;
            self.cur().put(col - 1, Cell::new(WIDE_TAIL, era));
        }
        self.cur().put(col, cell);
        if w == 2 {
            let era = self.era;
            self.cur().put(col + 1, Cell::new(WIDE_TAIL, era));
        }
        let next = col + w;
        self.printed_to = Some((self.row, next));
        self.margin_candidate = None;
        self.last_space = (ch == ' ').then_some((self.row, col));
        self.wrap_candidate = None;
        match self.width {
            Some(width) if next >= width => {
                self.col = width - 1;
                self.pending_wrap = true;
            }
            _ => {
                if next > MAX_COLS {
                    self.cur().truncated = true;
                }
                self.col = next.min(MAX_COLS);
            }
        }
    }

    /// Print a run of printable ASCII (`0x20..=0x7e`): the same as [`print`](Self::print) of
    /// each byte in turn, with the cells of each row written at once.
    pub fn print_ascii(&mut self, run: &[u8]) {
        if self.alt {
            self.alt_chars += run.len() as u64;
            return;
        }
        if self.append_ascii(run) {
            return;
        }
        let mut rest = run;
        while let Some(&b) = rest.first() {
            // At the margin: the wrap `print` would make first, then the row written at once.
            if self.pending_wrap && self.autowrap && self.wrap_candidate.is_none() && shortcuts() {
                self.pending_wrap = false;
                self.wrap_to_next_row();
                continue;
            }
            let room = match self.width {
                Some(w) => w.saturating_sub(self.col),
                None => MAX_COLS.saturating_sub(self.col),
            };
            let n = rest.len().min(room);
            // What a print resolves first (a wrap candidate, a pending wrap, a column past a
            // margin that shrank) takes `print`; the rest of a row is written at once.
            let simple = n > 0 && !self.pending_wrap && self.wrap_candidate.is_none();
            if simple && self.write_ascii(&rest[..n]) {
                self.lf_from = None;
                self.cr_run = 0;
                rest = &rest[n..];
            } else {
                self.print(b as char);
                rest = &rest[1..];
            }
        }
    }

    /// The usual print: `text` added at the end of a plain row, short of the margin. Does what
    /// [`write_ascii`](Self::write_ascii) does there, with nothing covered and nothing to
    /// wrap; returns false, having done nothing, in any other case.
    fn append_ascii(&mut self, text: &[u8]) -> bool {
        let (row, col, n) = (self.row, self.col, text.len());
        let end = col + n;
        let fits = match self.width {
            Some(w) => end < w,
            None => end <= MAX_COLS,
        };
        if n == 0 || !fits || self.pending_wrap || self.wrap_candidate.is_some() || !shortcuts() {
            return false;
        }
        let era = if self.floating { DETACHED } else { self.era };
        if !self.row_mut(row).append_ascii(col, text, era) {
            return false;
        }
        // The last two cells written (the one before them for a single byte): none of
        // them covered anything.
        let before = if n >= 2 {
            (row, end - 2, None)
        } else {
            self.shadow[1]
        };
        self.shadow = [before, (row, end - 1, None)];
        self.printed_to = Some((row, end));
        self.margin_candidate = None;
        self.last_space = (text[n - 1] == b' ').then_some((row, end - 1));
        self.col = end;
        self.lf_from = None;
        self.cr_run = 0;
        true
    }

    /// Write `text` at the cursor, all on the cursor's row, if no cell it covers holds half of
    /// a wide character (those take [`print`](Self::print)'s care). Returns whether it did.
    fn write_ascii(&mut self, text: &[u8]) -> bool {
        let (row, col, n) = (self.row, self.col, text.len());
        let era = if self.floating { DETACHED } else { self.era };
        let end = col + n;
        let last_shadow = self.shadow[1];
        let r = self.row_mut(row);
        // Past the end of the row no cell is covered (the usual case: text is appended).
        let covers = col < r.len();
        if covers && r.has_wide_tail(col..end) {
            return false;
        }
        let old = |i: usize| if covers { r.cell(i) } else { None };
        let shadow = if n >= 2 {
            [(row, end - 2, old(end - 2)), (row, end - 1, old(end - 1))]
        } else {
            [last_shadow, (row, col, old(col))]
        };
        r.write_ascii(col, text, era);
        self.shadow = shadow;
        self.printed_to = Some((row, end));
        self.margin_candidate = None;
        self.last_space = (text[n - 1] == b' ').then_some((row, end - 1));
        self.wrap_candidate = None;
        match self.width {
            Some(width) if end >= width => {
                self.col = width - 1;
                self.pending_wrap = true;
            }
            _ => self.col = end,
        }
        true
    }

    /// A combining mark (or other zero-width character) joins the cell before the cursor.
    /// A cell keeps one; a second is dropped and the row marked truncated.
    fn print_zero_width(&mut self, ch: char) {
        let col = if self.pending_wrap {
            self.col
        } else {
            self.col.saturating_sub(1)
        };
        let row = self.cur();
        match row.cells_mut().get_mut(col) {
            Some(cell) if cell.mark == '\0' => cell.mark = ch,
            Some(_) => row.truncated = true,
            None => {}
        }
    }

    fn wrap_to_next_row(&mut self) {
        self.col = 0;
        self.row += 1;
        self.ensure_row(self.row);
        let r = self.row;
        let row = self.row_mut(r);
        row.wrapped = true;
    }
}
