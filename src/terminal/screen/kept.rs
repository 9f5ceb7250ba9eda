//! What the screen keeps of rows for the segmenter: the rows that left the window unread,
//! and what the cursor's row showed before each CR.

use super::row::Row;

/// Row snapshots kept for one line (see `Screen::snapshots`).
pub(super) const MAX_SNAPSHOTS: usize = 64;

/// Rows that left the window unread: their text, one after another, and for each its
/// absolute row number and where its text ends.
#[derive(Debug, Default)]
pub(super) struct Evicted {
    pub(super) text: Vec<u8>,
    pub(super) rows: Vec<(u64, usize)>,
}

/// What the cursor's row showed before each CR of the current line, one after another in
/// one buffer: every CR of a line-mode session takes one, and they are needed only for the
/// rare line mksh scrolled sideways (see `carriage_return`). At most [`MAX_SNAPSHOTS`] rows
/// of at most [`MAX_COLS`](crate::limits::MAX_COLS) characters are kept, so the buffer stays under 1 MiB.
#[derive(Debug, Default)]
pub(crate) struct Snapshots {
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl Snapshots {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The snapshots, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(a, &b)| std::str::from_utf8(&self.text[a..b]).unwrap_or_default())
    }

    pub(super) fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Keep `row`'s text if it has at least `min_chars` characters and differs from the
    /// last snapshot.
    pub(super) fn push(&mut self, row: &Row, min_chars: usize) {
        let start = self.text.len();
        row.push_text(0, 0, &mut self.text);
        let new = &self.text[start..];
        let chars = new.iter().filter(|&&b| b & 0xc0 != 0x80).count();
        let last_start = self.ends.len().checked_sub(2).map_or(0, |i| self.ends[i]);
        let same = self
            .ends
            .last()
            .is_some_and(|&e| self.text[last_start..e] == *new);
        if chars < min_chars || same {
            self.text.truncate(start);
        } else {
            self.ends.push(self.text.len());
        }
    }
}
