//! The width is often unknown (an S3 transcript does not record it). Until it is learned the
//! rows are unbounded and nothing wraps. Patterns that shells print at the right margin
//! reveal it: which ones, is for the [`Rules`] the screen was given (zsh's and fish's
//! `PROMPT_SP`, readline's space and CR at the margin); applying what they find is here,
//! where the geometry lives.
//!
//! When either pattern disagrees with the width in force (the terminal was resized), the
//! width changes and the cursor's logical line is re-wrapped to it.

use super::*;

impl Screen {
    /// `PROMPT_SP` (see [`Rules::prompt_sp`]): its width is taken at once.
    pub(super) fn detect_prompt_sp(&mut self) {
        // Cheap test first, on every CR: the cursor's row must end in a space.
        let ends_in_space = self
            .row(self.row)
            .and_then(Row::last)
            .is_some_and(|c| c.ch == ' ');
        if !ends_in_space {
            return;
        }
        let Some(found) = (self.rules.prompt_sp)(self) else {
            return;
        };
        self.prompt_sps = self.prompt_sps.wrapping_add(1);
        let Some(width) = found.width else { return };
        self.prompt_sp_mark = Some(found.mark);
        self.set_width_on_line(found.line, width);
        self.width_from_prompt_sp = true;
    }

    /// A margin wrap seen at CR (see [`Rules::margin_wrap`]) is confirmed when text follows on
    /// the same spot and the rules still believe it.
    pub(super) fn confirm_wrap_candidate(&mut self) {
        let Some((line, off)) = self.wrap_candidate.take() else {
            return;
        };
        // Text follows at the start of the same logical line: the row ended where the space was.
        if self.col != 0 || self.logical_start(self.row) != line {
            return;
        }
        if !(self.rules.margin_confirm)(self) {
            return;
        }
        let logical_row_start = self.logical_offset(self.row, 0);
        // The cursor is at the start of the row that holds the space; after re-wrapping at
        // `off`, it is at the start of the row that begins with it.
        if self.width != Some(off) || logical_row_start != off {
            self.set_width_on_line(line, off);
            if let Some(p) = self.abs(Pos { line, off }) {
                self.row = p.0;
                self.col = p.1;
            }
        }
    }

    pub(super) fn set_width_on_line(&mut self, line: u64, width: usize) {
        self.width_from_prompt_sp = false;
        let width = width.clamp(2, MAX_COLS);
        if self.width == Some(width) {
            return;
        }
        let cursor = self.logical_offset(self.row, self.col);
        let cursor_line = self.logical_start(self.row);
        let old_width = self.width;
        self.width = Some(width);
        self.width_changes += 1;
        self.rewrap(line, old_width);
        if cursor_line == line
            && let Some((r, c)) = self.abs(Pos { line, off: cursor })
        {
            self.row = r;
            self.col = c.min(width - 1);
        }
    }

    /// Re-split the logical line starting at `line` into rows of the current width.
    pub(super) fn rewrap(&mut self, line: u64, old_width: Option<usize>) {
        let Some(width) = self.width else { return };
        let Some(start) = line.checked_sub(self.base).map(|i| i as usize) else {
            return;
        };
        if start >= self.rows.len() {
            return;
        }
        let mut end = start + 1;
        while end < self.rows.len() && self.rows[end].wrapped {
            end += 1;
        }
        let mut cells: Vec<Cell> = Vec::new();
        let mut truncated = false;
        for (i, row) in self.rows.range(start..end).enumerate() {
            cells.extend(row.to_cells());
            truncated |= row.truncated;
            // A row that wrapped was full at the old width, even where its tail was erased:
            // pad it so the text after it keeps its offset.
            if i + 1 < end - start {
                let pad = old_width.unwrap_or(0).saturating_sub(row.len());
                cells.extend(std::iter::repeat_n(BLANK, pad));
            }
        }
        let old = end - start;
        let mut new_rows: Vec<Row> = cells
            .chunks(width)
            .enumerate()
            .map(|(i, ch)| Row::from_cells(ch.to_vec(), i > 0, truncated))
            .collect();
        if new_rows.is_empty() {
            new_rows.push(Row::new());
        }
        let added = new_rows.len() as i64 - old as i64;
        let first_after = line + old as u64;
        self.rows.drain(start..end);
        for (i, r) in new_rows.into_iter().enumerate() {
            self.rows.insert(start + i, r);
        }
        // Rows below the line move with it.
        let shift = |r: u64| {
            if r >= first_after {
                (r as i64 + added).max(0) as u64
            } else {
                r
            }
        };
        self.row = shift(self.row);
        self.lf_from = self.lf_from.map(shift);
        self.saved = self.saved.map(|(r, c)| (shift(r), c));
        self.evict();
    }
}
