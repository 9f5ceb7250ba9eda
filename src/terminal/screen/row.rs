//! One row of cells, and the plain text kept beside it while the row is plain.
//!
//! Most rows only ever receive printable ASCII written left to right (output lines, prompts,
//! typing). For those the row keeps its text as it is written, so reading it back is a copy
//! rather than a walk over cells. Any other change (a wide or combining character, an
//! insert, a delete) drops that text and the cells alone tell what the row shows.

use crate::limits::MAX_COLS;
use crate::terminal::shortcuts;

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
}

pub(crate) const BLANK: Cell = Cell {
    ch: ' ',
    mark: '\0',
    era: 0,
};

/// One row. While it is plain (only printable ASCII without marks was ever written on it,
/// with at most overwrites in one era), it is kept as its bytes and the eras of their runs;
/// the first other change turns it into cells, which it then stays.
#[derive(Clone, Debug, Default)]
pub(crate) struct Row {
    /// The cells, when the row is not plain (empty while it is).
    cells: Vec<Cell>,
    /// The characters of a plain row, one byte per cell.
    text: Vec<u8>,
    /// For a plain row: where each run of one era starts, and its era (the first starts at
    /// 0, eras of neighbours differ).
    runs: Vec<(usize, u32)>,
    /// The row is kept as `text` and `runs`.
    plain: bool,
    /// This row continues the one above it (it was reached by autowrap).
    pub wrapped: bool,
    /// Characters were dropped because the row reached [`MAX_COLS`].
    pub truncated: bool,
    /// A TAB (HT) moved the cursor along this row since it was last erased: blanks on it may
    /// stand for a TAB, which a screen shows as spaces.
    pub tabbed: bool,
    /// A backspace moved the cursor back along this row since it was last erased: the line
    /// on it was edited.
    pub backed: bool,
}

/// The buffers of a row, kept for a row to come.
pub(crate) type Buffers = (Vec<Cell>, Vec<u8>, Vec<(usize, u32)>);

impl Row {
    pub(crate) fn new() -> Row {
        Row::reuse(Buffers::default())
    }

    /// An empty row on buffers kept from an evicted one.
    pub(crate) fn reuse((mut cells, mut text, mut runs): Buffers) -> Row {
        cells.clear();
        text.clear();
        runs.clear();
        Row {
            cells,
            text,
            runs,
            plain: true,
            wrapped: false,
            truncated: false,
            tabbed: false,
            backed: false,
        }
    }

    /// Empty the row for reuse as a new one.
    pub(crate) fn reset(&mut self) {
        self.clear();
        self.wrapped = false;
        self.truncated = false;
    }

    /// A row of the given cells (re-wrapping).
    pub(crate) fn from_cells(cells: Vec<Cell>, wrapped: bool, truncated: bool) -> Row {
        Row {
            cells,
            wrapped,
            truncated,
            ..Row::default()
        }
    }

    pub(crate) fn into_buffers(self) -> Buffers {
        (self.cells, self.text, self.runs)
    }

    pub fn len(&self) -> usize {
        if self.plain {
            self.text.len()
        } else {
            self.cells.len()
        }
    }

    /// Era of the cell at `i` of a plain row.
    fn era_at(&self, i: usize) -> u32 {
        self.runs
            .iter()
            .rev()
            .find(|&&(start, _)| start <= i)
            .map_or(0, |&(_, era)| era)
    }

    /// The character at column `i` (without its era, which takes a search).
    pub fn ch(&self, i: usize) -> Option<char> {
        if self.plain {
            self.text.get(i).map(|&b| b as char)
        } else {
            self.cells.get(i).map(|c| c.ch)
        }
    }

    pub fn cell(&self, i: usize) -> Option<Cell> {
        if self.plain {
            let &b = self.text.get(i)?;
            Some(Cell::new(b as char, self.era_at(i)))
        } else {
            self.cells.get(i).copied()
        }
    }

    pub fn last(&self) -> Option<Cell> {
        self.cell(self.len().checked_sub(1)?)
    }

    /// The characters of the cells.
    pub fn chars(&self) -> impl Iterator<Item = char> + '_ {
        // One of the two is empty.
        let (text, cells) = if self.plain {
            (&self.text[..], &[][..])
        } else {
            (&[][..], &self.cells[..])
        };
        text.iter()
            .map(|&b| char::from(b))
            .chain(cells.iter().map(|c| c.ch))
    }

    /// Whether a cell in `range` holds the right half of a wide character.
    pub fn has_wide_tail(&self, range: std::ops::Range<usize>) -> bool {
        !self.plain
            && self
                .cells
                .get(range.start..range.end.min(self.cells.len()))
                .is_some_and(|c| c.iter().any(|c| c.ch == WIDE_TAIL))
    }

    /// A copy of the cells.
    pub fn to_cells(&self) -> Vec<Cell> {
        (0..self.len()).filter_map(|i| self.cell(i)).collect()
    }

    /// The cells, to change in any way: the row is no longer plain.
    pub(crate) fn cells_mut(&mut self) -> &mut Vec<Cell> {
        if self.plain {
            self.cells.clear();
            for (k, &(start, era)) in self.runs.iter().enumerate() {
                let end = self.runs.get(k + 1).map_or(self.text.len(), |r| r.0);
                let bytes = self.text.get(start..end).unwrap_or_default();
                self.cells
                    .extend(bytes.iter().map(|&b| Cell::new(b as char, era)));
            }
            self.text.clear();
            self.runs.clear();
            self.plain = false;
        }
        &mut self.cells
    }

    pub(crate) fn put(&mut self, col: usize, cell: Cell) {
        if col >= MAX_COLS {
            self.truncated = true;
            return;
        }
        if (' '..='~').contains(&cell.ch) && cell.mark == '\0' {
            self.write_ascii(col, &[cell.ch as u8], cell.era);
            return;
        }
        let cells = self.cells_mut();
        if cells.len() <= col {
            cells.resize(col + 1, BLANK);
        }
        cells[col] = cell;
    }

    /// Append `bytes` of era `era` to a plain row.
    fn push_plain(&mut self, bytes: &[u8], era: u32) {
        if bytes.is_empty() {
            return;
        }
        if self.runs.last().is_none_or(|&(_, e)| e != era) {
            self.runs.push((self.text.len(), era));
        }
        self.text.extend_from_slice(bytes);
    }

    /// Append printable ASCII of era `era` if the row is plain and `col` is its end;
    /// returns whether it did.
    pub(crate) fn append_ascii(&mut self, col: usize, text: &[u8], era: u32) -> bool {
        if !self.plain || col != self.text.len() {
            return false;
        }
        self.push_plain(text, era);
        true
    }

    /// Write printable ASCII from `col` (which may be past the end: blanks fill the gap).
    pub(crate) fn write_ascii(&mut self, col: usize, text: &[u8], era: u32) {
        let end = col + text.len();
        if self.plain {
            let len = self.text.len();
            if col >= len {
                let gap = col - len;
                if gap > 0 {
                    if self.runs.last().is_none_or(|&(_, e)| e != 0) {
                        self.runs.push((len, 0));
                    }
                    self.text.resize(col, b' ');
                }
                self.push_plain(text, era);
                return;
            }
            let over = len.min(end) - col;
            self.text[col..col + over].copy_from_slice(&text[..over]);
            self.set_era(col, col + over, era);
            self.push_plain(&text[over..], era);
            return;
        }
        let cells = self.cells_mut();
        if cells.len() < col {
            cells.resize(col, BLANK);
        }
        let over = cells.len().min(end) - col;
        for (cell, &b) in cells[col..col + over].iter_mut().zip(text) {
            *cell = Cell::new(b as char, era);
        }
        cells.extend(text[over..].iter().map(|&b| Cell::new(b as char, era)));
    }

    /// Give the cells `col..end` of a plain row (all within its text) era `era`.
    fn set_era(&mut self, col: usize, end: usize, era: u32) {
        if col >= end {
            return;
        }
        // The run that covers `end` goes on after the range.
        let after = (end < self.text.len()).then(|| self.era_at(end));
        let first = self.runs.partition_point(|r| r.0 < col);
        let last = self.runs.partition_point(|r| r.0 <= end);
        let mut new = [(col, era), (end, 0)];
        let n = match after {
            Some(e) => {
                new[1].1 = e;
                2
            }
            None => 1,
        };
        self.runs.splice(first..last, new[..n].iter().copied());
        self.runs.dedup_by(|later, earlier| later.1 == earlier.1);
    }

    /// `n` blanks at `col` (within the row), the cells from there moving right; the row is
    /// then cut at `limit`.
    pub(crate) fn insert_blanks(&mut self, col: usize, n: usize, limit: usize) {
        if !self.plain {
            let cells = &mut self.cells;
            cells.splice(col..col, std::iter::repeat_n(BLANK, n));
            cells.truncate(limit);
            return;
        }
        if n == 0 {
            return self.blank_from(limit);
        }
        let after = self.era_at(col);
        self.text.splice(col..col, std::iter::repeat_n(b' ', n));
        for run in self.runs.iter_mut().filter(|r| r.0 >= col) {
            run.0 += n;
        }
        let at = self.runs.partition_point(|r| r.0 < col);
        self.runs.splice(at..at, [(col, 0), (col + n, after)]);
        self.runs.dedup_by(|later, earlier| later.1 == earlier.1);
        self.blank_from(limit);
    }

    /// Delete the cells `col..end` (within the row), the cells after them moving left.
    pub(crate) fn delete(&mut self, col: usize, end: usize) {
        if !self.plain {
            self.cells.drain(col..end);
            return;
        }
        let after = (end < self.text.len()).then(|| self.era_at(end));
        self.text.drain(col..end);
        let first = self.runs.partition_point(|r| r.0 < col);
        let last = self.runs.partition_point(|r| r.0 <= end);
        let rest = after.map(|e| (end, e));
        self.runs.splice(first..last, rest);
        for run in self.runs.iter_mut().filter(|r| r.0 >= end) {
            run.0 -= end - col;
        }
        self.runs.dedup_by(|later, earlier| later.1 == earlier.1);
    }

    /// Blank the cells `col..end` (within the row) in place.
    pub(crate) fn erase(&mut self, col: usize, end: usize) {
        if col >= end {
            return;
        }
        if !self.plain {
            self.cells[col..end].fill(BLANK);
            return;
        }
        self.text[col..end].fill(b' ');
        self.set_era(col, end, 0);
    }

    /// Erase from `col` to the end of the row.
    pub(crate) fn blank_from(&mut self, col: usize) {
        if self.plain {
            if col < self.text.len() {
                self.text.truncate(col);
                let keep = self.runs.partition_point(|&(start, _)| start < col);
                self.runs.truncate(keep);
            }
        } else {
            self.cells.truncate(col);
        }
    }

    /// Erase the whole row.
    pub(crate) fn clear(&mut self) {
        self.cells.clear();
        self.text.clear();
        self.runs.clear();
        self.plain = true;
        self.tabbed = false;
        self.backed = false;
    }

    /// Rendered text of the row from `from`, blanks as spaces, right-trimmed.
    pub fn text(&self, from: usize, min_era: u32) -> String {
        let mut s = Vec::new();
        self.push_text(from, min_era, &mut s);
        utf8(s)
    }

    /// Append the row's text from `from` to `out`, as UTF-8 (see [`text`](Self::text)).
    pub fn push_text(&self, from: usize, min_era: u32, out: &mut Vec<u8>) {
        if let Some(bytes) = self.plain_text(from, min_era) {
            out.extend_from_slice(bytes);
            return;
        }
        let start = out.len();
        self.push_cells_from(from, min_era, out);
        let blanks = out[start..]
            .iter()
            .rev()
            .take_while(|&&b| b == b' ')
            .count();
        out.truncate(out.len() - blanks);
    }

    /// The short path of [`push_text`](Self::push_text): the text of a plain row from `from`,
    /// right-trimmed, as its own bytes, when [`plain_from`](Self::plain_from) gives them.
    #[inline]
    pub(crate) fn plain_text(&self, from: usize, min_era: u32) -> Option<&[u8]> {
        if !shortcuts() {
            return None;
        }
        let bytes = self.plain_from(from, min_era)?;
        let end = bytes.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
        Some(&bytes[..end])
    }

    /// The bytes of a plain row from `from`, if none of them is older than era `min_era`
    /// (those read as blanks: see [`push_cells_from`](Self::push_cells_from)).
    pub(crate) fn plain_from(&self, from: usize, min_era: u32) -> Option<&[u8]> {
        if !self.plain {
            return None;
        }
        let bytes = self.text.get(from..).unwrap_or_default();
        if self.runs.is_empty() && !bytes.is_empty() {
            return None;
        }
        if min_era > 0 && !bytes.is_empty() {
            // The run covering `from` and every later one.
            let first = self.runs.partition_point(|r| r.0 <= from).saturating_sub(1);
            if self.runs[first..].iter().any(|&(_, era)| era < min_era) {
                return None;
            }
        }
        Some(bytes)
    }

    /// Append the text of the cells from `from`, not trimmed (see [`push_cells`]).
    pub(crate) fn push_cells_from(&self, from: usize, min_era: u32, out: &mut Vec<u8>) {
        if !self.plain {
            return push_cells(self.cells.get(from..).unwrap_or_default(), min_era, out);
        }
        for (k, &(start, era)) in self.runs.iter().enumerate() {
            let end = self.runs.get(k + 1).map_or(self.text.len(), |r| r.0);
            let bytes = self.text.get(start.max(from)..end).unwrap_or_default();
            if era < min_era {
                out.resize(out.len() + bytes.len(), b' ');
            } else {
                out.extend_from_slice(bytes);
            }
        }
    }
}

/// Append the text of `cells` as UTF-8: cells written before era `min_era` read as blanks,
/// the right half of a wide character as nothing.
pub(crate) fn push_cells(cells: &[Cell], min_era: u32, out: &mut Vec<u8>) {
    out.reserve(cells.len());
    let mut utf8 = [0u8; 4];
    for c in cells {
        if c.ch == WIDE_TAIL {
            continue;
        }
        if c.era < min_era {
            out.push(b' ');
            continue;
        }
        if c.ch.is_ascii() {
            out.push(c.ch as u8);
        } else {
            out.extend_from_slice(c.ch.encode_utf8(&mut utf8).as_bytes());
        }
        if c.mark != '\0' {
            out.extend_from_slice(c.mark.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

/// Text built from characters is UTF-8; should it not be, what is not is shown as U+FFFD
/// rather than lost.
pub(crate) fn utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    //! A row kept plain must read back exactly as the same changes made on cells would.

    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Op {
        Ascii(usize, String, u32),
        Put(usize, char, u32),
        BlankFrom(usize),
        Clear,
        Mark(usize),
        Insert(usize, usize, usize),
        Delete(usize, usize),
        Erase(usize, usize),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0usize..30, "[ -~]{1,12}", 0u32..4).prop_map(|(c, t, e)| Op::Ascii(c, t, e)),
            2 => (0usize..30, prop::char::range(' ', '~'), 0u32..4).prop_map(|(c, ch, e)| Op::Put(c, ch, e)),
            1 => (0usize..30, prop::sample::select(vec!['é', '日', WIDE_TAIL]), 0u32..4)
                .prop_map(|(c, ch, e)| Op::Put(c, ch, e)),
            1 => (0usize..30).prop_map(Op::BlankFrom),
            1 => Just(Op::Clear),
            1 => (0usize..30).prop_map(Op::Mark),
            2 => (0usize..30, 0usize..6, 20usize..40).prop_map(|(c, n, l)| Op::Insert(c, n, l)),
            2 => (0usize..30, 0usize..8).prop_map(|(c, n)| Op::Delete(c, n)),
            2 => (0usize..30, 0usize..8).prop_map(|(c, n)| Op::Erase(c, n)),
        ]
    }

    /// The model: cells only.
    fn apply_model(cells: &mut Vec<Cell>, op: &Op) {
        match op {
            Op::Ascii(col, text, era) => {
                for (i, ch) in text.chars().enumerate() {
                    if cells.len() <= col + i {
                        cells.resize(col + i + 1, BLANK);
                    }
                    cells[col + i] = Cell::new(ch, *era);
                }
            }
            Op::Put(col, ch, era) => {
                if cells.len() <= *col {
                    cells.resize(col + 1, BLANK);
                }
                cells[*col] = Cell::new(*ch, *era);
            }
            Op::BlankFrom(col) => cells.truncate(*col),
            Op::Clear => cells.clear(),
            Op::Mark(col) => {
                if let Some(c) = cells.get_mut(*col) {
                    c.mark = '\u{301}';
                }
            }
            // As the screen calls them: only within the row.
            Op::Insert(col, n, limit) => {
                if *col < cells.len() {
                    let tail: Vec<Cell> = cells.drain(col..).collect();
                    cells.extend(std::iter::repeat_n(BLANK, *n));
                    cells.extend(tail);
                    cells.truncate(*limit);
                }
            }
            Op::Delete(col, n) => {
                if *col < cells.len() {
                    let end = (col + n).min(cells.len());
                    cells.drain(*col..end);
                }
            }
            Op::Erase(col, n) => {
                let end = (col + n).min(cells.len());
                for c in cells.iter_mut().take(end).skip(*col) {
                    *c = BLANK;
                }
            }
        }
    }

    fn apply(row: &mut Row, op: &Op) {
        match op {
            Op::Ascii(col, text, era) => row.write_ascii(*col, text.as_bytes(), *era),
            Op::Put(col, ch, era) => row.put(*col, Cell::new(*ch, *era)),
            Op::BlankFrom(col) => row.blank_from(*col),
            Op::Clear => row.clear(),
            Op::Mark(col) => {
                if let Some(c) = row.cells_mut().get_mut(*col) {
                    c.mark = '\u{301}';
                }
            }
            Op::Insert(col, n, limit) => {
                if *col < row.len() {
                    row.insert_blanks(*col, *n, *limit);
                }
            }
            Op::Delete(col, n) => {
                if *col < row.len() {
                    let end = (col + n).min(row.len());
                    row.delete(*col, end);
                }
            }
            Op::Erase(col, n) => {
                let end = (col + n).min(row.len());
                row.erase(*col, end);
            }
        }
    }

    proptest! {
        #[test]
        fn plain_rows_read_as_cells(ops in prop::collection::vec(op(), 0..24), from in 0usize..12, min_era in 0u32..4) {
            let mut row = Row::new();
            let mut model = Vec::new();
            for op in &ops {
                apply(&mut row, op);
                apply_model(&mut model, op);
                prop_assert_eq!(row.to_cells(), model.clone());
            }
            let mut expected = Vec::new();
            push_cells(model.get(from..).unwrap_or_default(), min_era, &mut expected);
            let mut got = Vec::new();
            row.push_cells_from(from, min_era, &mut got);
            prop_assert_eq!(&got, &expected);
            // The short path, where it answers, reads the same bytes.
            if let Some(bytes) = row.plain_from(from, min_era) {
                prop_assert_eq!(bytes, &expected[..]);
            }
            prop_assert_eq!(row.len(), model.len());
            prop_assert_eq!(row.last(), model.last().copied());
            prop_assert_eq!(row.has_wide_tail(0..model.len()), model.iter().any(|c| c.ch == WIDE_TAIL));
        }
    }
}
