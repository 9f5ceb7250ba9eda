//! Editing the rows in place: erase (EL, ED, ECH), insert (ICH) and delete (DCH), the
//! control functions line editors redraw with.

use super::*;

impl Screen {
    /// `CSI n K` (EL).
    pub fn erase_in_line(&mut self, mode: u16) {
        if self.alt {
            return;
        }
        self.touched();
        let col = self.col;
        let row = self.cur();
        match mode {
            0 => row.blank_from(col),
            1 => {
                for c in row.cells_mut().iter_mut().take(col + 1) {
                    *c = BLANK;
                }
            }
            _ => row.clear(),
        }
    }

    /// `CSI n J` (ED). A full clear keeps what was on the rows as finished output, the way a
    /// terminal pushes the screen into its scrollback.
    pub fn erase_in_display(&mut self, mode: u16) {
        if self.alt {
            return;
        }
        self.touched();
        match mode {
            0 => {
                self.erase_in_line(0);
                let keep = (self.row - self.base + 1) as usize;
                self.rows.truncate(keep);
            }
            1 => {
                for r in self.top.max(self.base)..self.row {
                    self.row_mut(r).clear();
                }
                self.erase_in_line(1);
            }
            _ => {
                // Everything on screen moves to history; the cursor keeps its column on a
                // fresh row, which becomes the new top for absolute positioning.
                let col = self.col;
                self.row = self.last_row() + 1;
                self.ensure_row(self.row);
                self.top = self.row;
                self.col = col;
            }
        }
    }

    /// `CSI n @` (ICH).
    pub fn insert_blanks(&mut self, n: usize) {
        if self.alt {
            return;
        }
        self.touched();
        self.pending_wrap = false;
        let col = self.col;
        let limit = self.width.unwrap_or(MAX_COLS);
        let row = self.cur();
        if row.len() > col {
            let n = n.min(limit.saturating_sub(col));
            let cells = row.cells_mut();
            let tail: Vec<Cell> = cells.drain(col..).collect();
            cells.extend(std::iter::repeat_n(BLANK, n));
            cells.extend(tail);
            cells.truncate(limit);
        }
    }

    /// `CSI n P` (DCH).
    pub fn delete_chars(&mut self, n: usize) {
        if self.alt {
            return;
        }
        self.touched();
        self.pending_wrap = false;
        let col = self.col;
        let row = self.cur();
        if row.len() > col {
            let end = (col + n).min(row.len());
            row.cells_mut().drain(col..end);
        }
    }

    /// `CSI n X` (ECH).
    pub fn erase_chars(&mut self, n: usize) {
        if self.alt {
            return;
        }
        self.touched();
        let col = self.col;
        let row = self.cur();
        let end = (col + n).min(row.len());
        for c in row.cells_mut().iter_mut().take(end).skip(col) {
            *c = BLANK;
        }
    }
}
