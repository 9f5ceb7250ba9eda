//! Strings of records the caller is done with, kept to hold the text of records to come.
//!
//! A session's records are made and let go at the same pace (one command line, its prompt,
//! its output), so their buffers can go round instead of through the allocator each time:
//! see [`Scribe::feed_each`](crate::Scribe::feed_each). Each kind of string has its own
//! stack, so a prompt's small buffer is not handed out for an output.

use crate::limits::{MAX_SPARE, MAX_SPARE_BYTES};
use crate::record::Record;

#[derive(Debug, Default)]
pub(crate) struct Spare {
    prompts: Vec<String>,
    commands: Vec<String>,
    outputs: Vec<String>,
}

impl Spare {
    /// An empty string for a prompt (with room kept from an earlier one, if any).
    pub fn prompt(&mut self) -> String {
        self.prompts.pop().unwrap_or_default()
    }

    pub fn command(&mut self) -> String {
        self.commands.pop().unwrap_or_default()
    }

    pub fn output(&mut self) -> Vec<u8> {
        self.outputs.pop().unwrap_or_default().into_bytes()
    }

    /// Keep the strings of a record that was read (taken from it: they are left empty).
    pub fn give(&mut self, record: &mut Record) {
        match record {
            Record::Command(c) => {
                keep(&mut self.prompts, &mut c.prompt);
                keep(&mut self.commands, &mut c.command);
                keep(&mut self.outputs, &mut c.output);
            }
            Record::Output(o) => keep(&mut self.outputs, &mut o.output),
            _ => {}
        }
    }
}

/// Keep `s`, emptied, unless the stack is full or `s` holds no room or too much of it.
fn keep(stack: &mut Vec<String>, s: &mut String) {
    if stack.len() < MAX_SPARE && s.capacity() > 0 && s.capacity() <= MAX_SPARE_BYTES {
        let mut s = std::mem::take(s);
        s.clear();
        stack.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Command;

    fn command(len: usize) -> Record {
        Record::Command(Command {
            prompt: "$ ".repeat(len.div_ceil(2)),
            command: "x".repeat(len),
            output: "y".repeat(len),
            ..Command::default()
        })
    }

    #[test]
    fn past_max_spare_the_stacks_stay_at_the_cap() {
        let mut spare = Spare::default();
        for _ in 0..MAX_SPARE * 3 {
            let mut r = command(10);
            spare.give(&mut r);
            assert!(spare.prompts.len() <= MAX_SPARE);
            assert!(spare.commands.len() <= MAX_SPARE);
            assert!(spare.outputs.len() <= MAX_SPARE);
        }
        assert_eq!(spare.commands.len(), MAX_SPARE);
        // What is handed out is empty, whatever it held before.
        for _ in 0..MAX_SPARE {
            let s = spare.command();
            assert!(s.is_empty() && s.capacity() >= 10);
        }
        assert_eq!(spare.command().capacity(), 0);
    }

    #[test]
    fn past_max_spare_bytes_a_big_string_is_not_kept() {
        let mut spare = Spare::default();
        let mut big = command(MAX_SPARE_BYTES + 1);
        spare.give(&mut big);
        assert!(spare.prompts.is_empty() && spare.commands.is_empty());
        assert!(spare.outputs.is_empty());
        // Just at the cap it is kept: the cap, not the test's sizes, decided.
        let mut r = Record::Command(Command {
            command: String::with_capacity(MAX_SPARE_BYTES),
            ..Command::default()
        });
        spare.give(&mut r);
        assert_eq!(spare.commands.len(), 1);
        assert!(
            spare
                .commands
                .iter()
                .all(|s| s.capacity() <= MAX_SPARE_BYTES)
        );
    }
}
