//! Editing the rows in place: erase (EL, ED, ECH), insert (ICH) and delete (DCH), the
//! control functions line editors redraw with.

use super::*;

impl Screen {
    /// `CSI n K` (EL).
    #[inline]
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
                let end = (col + 1).min(row.len());
                row.erase(0, end);
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
            row.insert_blanks(col, n.min(limit.saturating_sub(col)), limit);
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
            row.delete(col, end);
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
        row.erase(col, end);
    }
}
