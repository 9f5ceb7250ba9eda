//! `vte::Perform`: the one place where byte values of control functions appear. Each arm
//! carries the wire form and ECMA-48 / DEC name of what it handles.

use vte::{Params, Perform};

use super::screen::Screen;
use super::{Mark, Observer, Signal};

pub(crate) struct Performer<'a, O: Observer> {
    pub screen: &'a mut Screen,
    pub observer: &'a mut O,
    pub seq_start: u64,
    pub piece_start: u64,
    pub piece_end: u64,
}

impl<O: Observer> Performer<'_, O> {
    fn signal(&mut self, s: Signal, offset: u64) {
        self.observer.signal(s, self.screen, offset);
    }
}

/// First parameter, with 0 or missing meaning `default` (the ECMA-48 rule for counts).
fn count(params: &Params, default: u16) -> usize {
    match params.iter().next().and_then(|p| p.first().copied()) {
        None | Some(0) => default as usize,
        Some(n) => n as usize,
    }
}

fn param(params: &Params, i: usize, default: u16) -> usize {
    match params.iter().nth(i).and_then(|p| p.first().copied()) {
        None | Some(0) => default as usize,
        Some(n) => n as usize,
    }
}

impl<O: Observer> Perform for Performer<'_, O> {
    fn print(&mut self, c: char) {
        self.screen.print(c);
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            0x08 => self.screen.backspace(),       // BS
            0x09 => self.screen.tab(),             // HT
            0x0d => self.screen.carriage_return(), // CR
            0x0a..=0x0c => {
                // LF, VT, FF: all move down one row
                self.screen.line_feed();
                if !self.screen.alt {
                    let at = self.piece_end.saturating_sub(1).max(self.piece_start);
                    self.signal(Signal::LineFeed, at);
                }
            }
            0x07 => {
                let at = self.piece_start;
                self.signal(Signal::Bell, at);
            }
            _ => {}
        }
    }

    fn csi_dispatch(&mut self, params: &Params, intermediates: &[u8], ignore: bool, action: char) {
        if ignore {
            return;
        }
        let private = intermediates.first() == Some(&b'?');
        if private {
            let set = match action {
                'h' => true,
                'l' => false,
                _ => return,
            };
            for p in params.iter() {
                match p.first().copied().unwrap_or(0) {
                    2004
                        // CSI ? 2004 h/l  bracketed paste: the line editor's bracket
                        if !self.screen.alt => {
                            let at = self.seq_start;
                            self.signal(Signal::BracketedPaste(set), at);
                        }
                    1049 | 1047 | 47
                        // CSI ? 1049 h/l  alternate screen
                        if set != self.screen.alt => {
                            self.screen.set_alternate(set);
                            let at = self.seq_start;
                            self.signal(Signal::AltScreen(set), at);
                        }
                    7 => self.screen.set_autowrap(set), // DECAWM
                    1
                        // CSI ? 1 h/l  DECCKM
                        if !self.screen.alt => {
                            let at = self.seq_start;
                            self.signal(Signal::CursorKeys(set), at);
                        }
                    _ => {} // ?1 DECCKM, ?25 DECTCEM, ...: no effect on text
                }
            }
            return;
        }
        if !intermediates.is_empty() {
            return;
        }
        let n = |d| count(params, d);
        match action {
            '@' => self.screen.insert_blanks(n(1)), // CSI n @  ICH
            'P' => self.screen.delete_chars(n(1)),  // CSI n P  DCH
            'X' => self.screen.erase_chars(n(1)),   // CSI n X  ECH
            'K' => self.screen.erase_in_line(param(params, 0, 0) as u16), // CSI n K  EL
            'J' => self.screen.erase_in_display(param(params, 0, 0) as u16), // CSI n J  ED
            'C' | 'a' => self.screen.move_cols(n(1) as isize), // CSI n C  CUF, HPR
            'D' => self.screen.move_cols(-(n(1) as isize)), // CSI n D  CUB
            'G' | '`' => self.screen.set_col(n(1) - 1), // CSI n G  CHA, HPA
            'A' => self.screen.move_rows(-(n(1) as i64)), // CSI n A  CUU
            'B' | 'e' => self.screen.move_rows(n(1) as i64), // CSI n B  CUD, VPR
            'E' => {
                // CSI n E  CNL
                self.screen.move_rows(n(1) as i64);
                self.screen.set_col(0);
            }
            'F' => {
                // CSI n F  CPL
                self.screen.move_rows(-(n(1) as i64));
                self.screen.set_col(0);
            }
            'H' | 'f' => {
                // CSI r ; c H  CUP
                self.screen.set_row(param(params, 0, 1) - 1);
                self.screen.set_col(param(params, 1, 1) - 1);
            }
            'd' => self.screen.set_row(n(1) - 1), // CSI n d  VPA
            's' => self.screen.save_cursor(),     // CSI s  SCOSC
            'u' => self.screen.restore_cursor(),  // CSI u  SCORC
            _ => {}                               // m (SGR) and the rest do not move text
        }
    }

    fn esc_dispatch(&mut self, intermediates: &[u8], _ignore: bool, byte: u8) {
        if !intermediates.is_empty() {
            return; // ESC ( B and other charset designations
        }
        match byte {
            b'7' => self.screen.save_cursor(),    // ESC 7  DECSC
            b'8' => self.screen.restore_cursor(), // ESC 8  DECRC
            b'M' => self.screen.move_rows(-1),    // ESC M  RI
            b'D' => {
                // ESC D  IND
                self.screen.line_feed();
            }
            b'E' => {
                // ESC E  NEL
                self.screen.carriage_return();
                self.screen.line_feed();
            }
            _ => {} // ESC = / ESC > keypad modes
        }
    }

    fn osc_dispatch(&mut self, params: &[&[u8]], _bell_terminated: bool) {
        let at = self.seq_start;
        let text = |i: usize| {
            params
                .get(i)
                .map(|p| String::from_utf8_lossy(p).into_owned())
        };
        let kind = params.first().copied().unwrap_or_default();
        match kind {
            b"0" | b"2" => {
                // OSC 0/2 ; title
                if let Some(t) = text(1) {
                    self.signal(Signal::Title(t), at);
                }
            }
            b"7" => {
                // OSC 7 ; file://host/path
                if let Some(t) = text(1) {
                    self.signal(Signal::Cwd(t), at);
                }
            }
            b"133" | b"633" => {
                // OSC 133 ; A|B|C|D[;status]   OSC 633 ; E ; commandline
                let mark = match params.get(1).and_then(|p| p.first()) {
                    Some(b'A') => Mark::PromptStart,
                    Some(b'B') => Mark::CommandStart,
                    Some(b'C') => Mark::Executed,
                    Some(b'D') => Mark::Finished(text(2).and_then(|s| s.trim().parse().ok())),
                    Some(b'E') if kind == b"633" => {
                        Mark::CommandLine(unescape_633(&text(2).unwrap_or_default()))
                    }
                    _ => return,
                };
                self.signal(Signal::Mark(mark), at);
            }
            _ => {}
        }
    }
}

/// VS Code escapes `;`, `\` and control characters in 633 `E` as `\xAB`.
fn unescape_633(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 3 < b.len() && b[i + 1] == b'x' {
            if let Some(v) = std::str::from_utf8(&b[i + 2..i + 4])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v as char);
                i += 4;
                continue;
            }
        } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'\\') {
            out.push('\\');
            i += 2;
            continue;
        }
        let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}
