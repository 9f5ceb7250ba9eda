//! What the parsers hand on: one [`Op`] per control function or run of text, named after the
//! ECMA-48 / DEC function it is, its parameters already resolved (a missing or zero count is
//! 1, a missing position is 1).
//!
//! The parsers ([`fast`](super::fast) and the `vte` [`Performer`](super::perform::Performer))
//! are the only code that knows byte values; [`Screen::apply`](super::Screen::apply) draws an
//! op and [`Signal::of`](super::Signal::of) says what the segmenter is told about it. An op
//! borrows its text from the input (or from vte's OSC buffer), so making one copies nothing:
//! it lives only until it has been applied.

use std::fmt;

/// Bytes of an op shown as text in its `Debug` form (the events view).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bytes<'a>(pub &'a [u8]);

impl fmt::Debug for Bytes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&String::from_utf8_lossy(self.0), f)
    }
}

/// One thing the terminal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op<'a> {
    /// A run of printable ASCII (`0x20..=0x7e` only: the screen stores it as it is).
    Print(Bytes<'a>),
    /// One character (vte prints every character this way; DEL and U+FFFD for bad UTF-8
    /// come this way from the fast path too).
    PrintChar(char),
    /// CR, carriage return.
    Cr,
    /// LF (and VT, FF, which do the same): line feed.
    Lf,
    /// BS, backspace.
    Bs,
    /// HT, character tabulation.
    Ht,
    /// BEL, outside an OSC string.
    Bel,
    /// `CSI n K` EL, erase in line (0 to the end, 1 to the start, 2 all).
    El(u16),
    /// `CSI n J` ED, erase in display.
    Ed(u16),
    /// `CSI n @` ICH, insert blanks.
    Ich(u16),
    /// `CSI n P` DCH, delete characters.
    Dch(u16),
    /// `CSI n X` ECH, erase characters.
    Ech(u16),
    /// `CSI n C` CUF (and `CSI n a` HPR), cursor forward.
    Cuf(u16),
    /// `CSI n D` CUB, cursor backward.
    Cub(u16),
    /// `CSI n A` CUU, cursor up.
    Cuu(u16),
    /// `CSI n B` CUD (and `CSI n e` VPR), cursor down.
    Cud(u16),
    /// `CSI n E` CNL, cursor next line.
    Cnl(u16),
    /// `CSI n F` CPL, cursor preceding line.
    Cpl(u16),
    /// `CSI n G` CHA (and `` CSI n ` `` HPA), to column n.
    Cha(u16),
    /// `CSI n d` VPA, to row n.
    Vpa(u16),
    /// `CSI r ; c H` CUP (and `CSI r ; c f` HVP), to row r, column c.
    Cup(u16, u16),
    /// `CSI s` SCOSC and `ESC 7` DECSC, save the cursor.
    SaveCursor,
    /// `CSI u` SCORC and `ESC 8` DECRC, restore the cursor.
    RestoreCursor,
    /// `ESC D` IND, index: down a row, as a line feed does, but not one the shell sent as such.
    Ind,
    /// `ESC E` NEL, next line.
    Nel,
    /// `ESC M` RI, reverse index.
    Ri,
    /// `CSI ? n h` (set) / `CSI ? n l` (reset): DEC private mode n.
    Mode(Mode, bool),
    /// `CSI … m` SGR: colours and attributes, nothing a row keeps. Its parameter when it has
    /// just one (`CSI 24 m`: 24; `CSI m`: 0), else [`SGR_MANY`].
    Sgr(u16),
    /// `ESC ( B` and the like, SCS: designate character set `charset` as G0 (`(`), G1 (`)`),
    /// G2 (`*`) or G3 (`+`). The screen keeps no character sets.
    Scs { set: u8, charset: u8 },
    /// `OSC 0` / `OSC 2`: the window title (the segmenter uses only that one was set).
    Title(Bytes<'a>),
    /// `OSC 7 ; url`: the working directory.
    Cwd(Bytes<'a>),
    /// `OSC 133` / `OSC 633` semantic prompt marks.
    Mark(Mark),
    /// `OSC 633 ; E ; line`: the command line as the shell reports it, still escaped the VS
    /// Code way; `cut` when the OSC string was longer than the parser keeps.
    CommandLine { line: Bytes<'a>, cut: bool },
    /// Anything else, read and ignored without touching the text around it.
    Ignored(Ignored),
    /// An OSC string of another kind (its first part), ignored.
    IgnoredOsc(Bytes<'a>),
}

/// [`Op::Sgr`] of more than one parameter.
pub(crate) const SGR_MANY: u16 = u16::MAX;

/// A DEC private mode (`CSI ? n h`/`l`) the replay cares about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// 1, DECCKM: cursor keys send application sequences.
    CursorKeys,
    /// 7, DECAWM: autowrap.
    Autowrap,
    /// 47, 1047, 1049: the alternate screen.
    AltScreen,
    /// 2004: bracketed paste.
    BracketedPaste,
    /// Any other mode (`?25` DECTCEM, …): no effect on text.
    Other(u16),
}

/// FinalTerm / VS Code shell-integration marks (but 633 `E`, an op of its own), as read from
/// the OSC string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// `A`: the prompt starts.
    PromptStart,
    /// `B`: the prompt ends, typing starts here.
    CommandStart,
    /// `C`: the command was accepted and runs.
    Executed,
    /// `D[;status]`: the command finished.
    Finished(Option<i32>),
}

/// A sequence read and left without effect: kept as an op so that the events view shows
/// everything the input held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ignored {
    /// A C0 control other than the ones above (NUL, SO, SI, CAN, SUB, …), or a C1 control.
    Control(u8),
    /// `CSI … final` with an unhandled final byte, private marker or intermediates.
    Csi(u8),
    /// `ESC x` with an unhandled final byte (`ESC =`, `ESC ( B`, …).
    Esc(u8),
    /// The start of a DCS string (its final byte); what it holds is skipped.
    Dcs(u8),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ops are made and matched once per sequence and per run of text: they stay as small as
    /// the borrowed slice they may carry, a flag and a tag (the variants carrying a slice are
    /// not nested in an enum of their own, which would need a second tag).
    #[test]
    fn ops_stay_small() {
        const { assert!(size_of::<Op<'_>>() <= 24) };
    }
}
