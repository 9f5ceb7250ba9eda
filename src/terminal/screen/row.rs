//! One row of cells, and the plain text kept beside it while the row is plain.
//!
//! Most rows only ever receive printable ASCII written left to right (output lines, prompts,
//! typing). For those the row keeps its text as it is written, so reading it back is a copy
//! rather than a walk over cells. Any other change (a wide or combining character, an
//! insert, a delete) drops that text and the cells alone tell what the row shows.

use crate::limits::MAX_COLS;

/// Placeholder in the cell after a double-width character.
pub(crate) const WIDE_TAIL: char = '\0';

/// One cell: the character shown, a combining mark drawn over it (`'\0'` for none), and
/// the era in which it was written (see [`Screen::era`](super::Screen::era)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cell {
    pub ch: char,
    pub mark: char,
    pub era: u32,
}

impl Cell {
    pub(crate) fn new(ch: char, era: u32) -> Cell {
        Cell {
            ch,
            mark: '\0',
            era,
        }
    }

    fn push_to(&self, s: &mut String) {
        s.push(self.ch);
        if self.mark != '\0' {
            s.push(self.mark);
        }
    }
}

pub(crate) const BLANK: Cell = Cell {
    ch: ' ',
    mark: '\0',
    era: 0,
};

/// No era: the lowest era of an empty row.
const NO_ERA: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub(crate) struct Row {
    cells: Vec<Cell>,
    /// The text of the cells, while every cell holds printable ASCII with no mark.
    plain: Vec<u8>,
    /// The lowest era of the cells, or at most it, while `plain` is kept; `None` when it is
    /// not.
    plain_era: Option<u32>,
    /// This row continues the one above it (it was reached by autowrap).
    pub wrapped: bool,
    /// Characters were dropped because the row reached [`MAX_COLS`].
    pub truncated: bool,
}

impl Default for Row {
    fn default() -> Row {
        Row::reuse(Vec::new(), Vec::new())
    }
}

impl Row {
    /// An empty row on buffers kept from an evicted one.
    pub(crate) fn reuse(mut cells: Vec<Cell>, mut plain: Vec<u8>) -> Row {
        cells.clear();
        plain.clear();
        Row {
            cells,
            plain,
            plain_era: Some(NO_ERA),
            wrapped: false,
            truncated: false,
        }
    }

    /// A row of the given cells (re-wrapping).
    pub(crate) fn from_cells(cells: Vec<Cell>, wrapped: bool, truncated: bool) -> Row {
        Row {
            cells,
            plain: Vec::new(),
            plain_era: None,
            wrapped,
            truncated,
        }
    }

    /// The buffers, for a row that is to come.
    pub(crate) fn into_buffers(self) -> (Vec<Cell>, Vec<u8>) {
        (self.cells, self.plain)
    }

    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// The cells, to change in any way: the plain text is no longer kept.
    pub(crate) fn cells_mut(&mut self) -> &mut Vec<Cell> {
        self.plain_era = None;
        &mut self.cells
    }

    pub(crate) fn put(&mut self, col: usize, cell: Cell) {
        if col >= MAX_COLS {
            self.truncated = true;
            return;
        }
        let printable = (' '..='~').contains(&cell.ch) && cell.mark == '\0';
        if printable && self.plain_era.is_some() {
            self.write_ascii(col, &[cell.ch as u8], cell.era);
            return;
        }
        let cells = self.cells_mut();
        if cells.len() <= col {
            cells.resize(col + 1, BLANK);
        }
        cells[col] = cell;
    }

    /// Write printable ASCII from `col` (which may be past the end: blanks fill the gap).
    pub(crate) fn write_ascii(&mut self, col: usize, text: &[u8], era: u32) {
        let end = col + text.len();
        if self.cells.len() < col {
            if let Some(e) = &mut self.plain_era {
                *e = 0;
                self.plain.resize(col, b' ');
            }
            self.cells.resize(col, BLANK);
        }
        let over = self.cells.len().min(end) - col;
        for (cell, &b) in self.cells[col..col + over].iter_mut().zip(text) {
            *cell = Cell::new(b as char, era);
        }
        self.cells
            .extend(text[over..].iter().map(|&b| Cell::new(b as char, era)));
        if let Some(e) = &mut self.plain_era {
            *e = (*e).min(era);
            self.plain[col..col + over].copy_from_slice(&text[..over]);
            self.plain.extend_from_slice(&text[over..]);
        }
    }

    /// Erase from `col` to the end of the row.
    pub(crate) fn blank_from(&mut self, col: usize) {
        self.cells.truncate(col);
        if self.plain_era.is_some() {
            self.plain.truncate(col.min(self.plain.len()));
        }
    }

    /// Erase the whole row.
    pub(crate) fn clear(&mut self) {
        self.cells.clear();
        self.plain.clear();
        self.plain_era = Some(NO_ERA);
    }

    /// Rendered text of the row from `from`, blanks as spaces, right-trimmed.
    pub fn text(&self, from: usize, min_era: u32) -> String {
        let mut s = String::new();
        self.push_text(from, min_era, &mut s);
        s
    }

    /// Append the row's text from `from` to `out` (see [`text`](Self::text)).
    pub fn push_text(&self, from: usize, min_era: u32, out: &mut String) {
        let start = out.len();
        self.push_cells_from(from, min_era, out);
        let kept = start + out[start..].trim_end_matches(' ').len();
        out.truncate(kept);
    }

    /// Append the text of the cells from `from`, not trimmed (see [`push_cells`]).
    pub(crate) fn push_cells_from(&self, from: usize, min_era: u32, out: &mut String) {
        let plain = match self.plain_era {
            // Only printable ASCII is ever kept there, so this always succeeds.
            Some(e) if e >= min_era => {
                std::str::from_utf8(self.plain.get(from..).unwrap_or_default()).ok()
            }
            _ => None,
        };
        match plain {
            Some(text) => out.push_str(text),
            None => push_cells(self.cells.get(from..).unwrap_or_default(), min_era, out),
        }
    }
}

/// Append the text of `cells`: cells written before era `min_era` read as blanks, the right
/// half of a wide character as nothing.
pub(crate) fn push_cells(cells: &[Cell], min_era: u32, out: &mut String) {
    out.reserve(cells.len());
    for c in cells {
        if c.ch == WIDE_TAIL {
            continue;
        }
        if c.era < min_era {
            out.push(' ');
        } else {
            c.push_to(out);
        }
    }
}
