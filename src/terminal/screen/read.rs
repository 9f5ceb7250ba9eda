//! Reading the rows back: logical lines (a row and its wrapped continuations), positions
//! that survive re-wrapping, and text.

use std::borrow::Cow;

use super::*;

impl Screen {
    /// First row of the logical line that contains row `r`.
    pub fn logical_start(&self, r: u64) -> u64 {
        let mut r = r.max(self.base);
        while r > self.base && self.row(r).is_some_and(|row| row.wrapped) {
            r -= 1;
        }
        r
    }

    /// Last row of the logical line that contains row `r`.
    pub fn logical_end(&self, r: u64) -> u64 {
        let mut r = r;
        while self.row(r + 1).is_some_and(|row| row.wrapped) {
            r += 1;
        }
        r
    }

    /// Offset of (row, col) from the start of its logical line.
    pub fn logical_offset(&self, r: u64, col: usize) -> usize {
        let line = self.logical_start(r);
        let mut off = col;
        for x in line..r {
            off += self
                .row(x)
                .map_or(0, |row| row.len().max(self.width.unwrap_or(0)));
        }
        off
    }

    pub fn pos(&self, r: u64, col: usize) -> Pos {
        Pos {
            line: self.logical_start(r),
            off: self.logical_offset(r, col),
        }
    }

    /// Absolute (row, col) of a logical position, if its line is still in the window.
    pub fn abs(&self, p: Pos) -> Option<(u64, usize)> {
        self.row(p.line)?;
        let mut r = p.line;
        let mut off = p.off;
        loop {
            let len = self
                .row(r)
                .map_or(0, |row| row.len().max(self.width.unwrap_or(0)));
            let next_wrapped = self.row(r + 1).is_some_and(|row| row.wrapped);
            if off < len || !next_wrapped {
                return Some((r, off));
            }
            off -= len;
            r += 1;
        }
    }

    /// Text of the logical line starting at `line`, from logical offset `from`, keeping only
    /// cells written in era `min_era` or later (older cells read as blanks), right-trimmed.
    pub fn line_text(&self, line: u64, from: usize, min_era: u32) -> String {
        self.line_str(line, from, min_era).into_owned()
    }

    /// [`line_text`](Self::line_text), borrowed from the row when the line is one plain row
    /// all recent enough (most lines are): its bytes are the text.
    pub fn line_str(&self, line: u64, from: usize, min_era: u32) -> Cow<'_, str> {
        self.line_in(line, from, min_era, Vec::new)
    }

    /// [`line_str`](Self::line_str), reading a line that cannot be borrowed into the buffer
    /// `buffer` gives (emptied first).
    pub fn line_in(
        &self,
        line: u64,
        from: usize,
        min_era: u32,
        buffer: impl FnOnce() -> Vec<u8>,
    ) -> Cow<'_, str> {
        if let Some(row) = self.row(line)
            && !self.row(line + 1).is_some_and(|n| n.wrapped)
            && let Some(bytes) = row.plain_text(from, min_era)
            && let Ok(text) = std::str::from_utf8(bytes)
        {
            return Cow::Borrowed(text);
        }
        // The rows of the line, each with how many cells of it count.
        let rows = (line..).map_while(|r| {
            let row = self.row(r).filter(|row| r == line || row.wrapped)?;
            let continues = self.row(r + 1).is_some_and(|n| n.wrapped);
            // A row that wrapped is full: its blank tail is part of the line.
            let span = if continues {
                row.len().max(self.width.unwrap_or(0))
            } else {
                row.len()
            };
            Some((row, span))
        });
        let mut out = buffer();
        out.clear();
        out.reserve(rows.clone().map(|(_, span)| span).sum());
        let mut off = 0usize;
        for (row, span) in rows {
            let skip = from.saturating_sub(off).min(span);
            row.push_cells_from(skip, min_era, &mut out);
            // The blank tail of a full row that was erased.
            let blank = (span - skip).saturating_sub(row.len().saturating_sub(skip));
            out.resize(out.len() + blank, b' ');
            off += span;
        }
        let blanks = out.iter().rev().take_while(|&&b| b == b' ').count();
        out.truncate(out.len() - blanks);
        Cow::Owned(row::utf8(out))
    }

    /// Where the last two characters printed went (row, column), older first.
    pub fn last_printed(&self) -> [(u64, usize); 2] {
        let [(r0, c0, _), (r1, c1, _)] = self.shadow;
        [(r0, c0), (r1, c1)]
    }

    /// Put back what the last two characters printed covered (a cell, or nothing past the
    /// end of the row), and forget it: an echo that was not part of the line.
    pub fn uncover_last_printed(&mut self) {
        let shadow = std::mem::replace(&mut self.shadow, [(u64::MAX, 0, None); 2]);
        for (r, c, old) in shadow {
            if self.row(r).is_none() {
                continue;
            }
            let cells = self.row_mut(r).cells_mut();
            match old {
                Some(cell) => {
                    if let Some(x) = cells.get_mut(c) {
                        *x = cell;
                    }
                }
                None => cells.truncate(c),
            }
        }
    }

    /// Text of one row, right-trimmed.
    pub fn row_text(&self, r: u64) -> String {
        self.row(r).map(|row| row.text(0, 0)).unwrap_or_default()
    }
}
