//! What each shell does differently once a line is read, as data: one [`Quirks`] per shell,
//! read where the behaviour matters, so a new shell is a new row here rather than a new
//! branch at each of those places.
//!
//! Which shell is drawing is guessed from how it draws (see `signals.rs`); until there is a
//! guess, the session is read with bash's quirks for continuation lines only, since bash is
//! the shell most sessions run and the one whose history differs from its screen.

use crate::record::Shell;

/// How a shell turns the lines on its screen into the commands it runs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Quirks {
    /// A line ending in a backslash continued on the next is one line in the history: the
    /// backslash and the newline both go (bash). Other shells keep the newline.
    pub drops_backslash_newline: bool,
    /// A line rewritten by history expansion (`!!`, `^a^b`) is printed as run, before its
    /// output (bash).
    pub echoes_history_expansion: bool,
    /// A buffer of several lines (a paste) runs one complete command at a time, each its own
    /// history entry (bash).
    pub runs_lines_one_by_one: bool,
    /// Lines after the first of a multi-line buffer are drawn indented (fish); the command
    /// has no such indent.
    pub indents_continuations: bool,
}

const BASH: Quirks = Quirks {
    drops_backslash_newline: true,
    echoes_history_expansion: true,
    runs_lines_one_by_one: true,
    indents_continuations: false,
};

const PLAIN: Quirks = Quirks {
    drops_backslash_newline: false,
    echoes_history_expansion: false,
    runs_lines_one_by_one: false,
    indents_continuations: false,
};

const FISH: Quirks = Quirks {
    indents_continuations: true,
    ..PLAIN
};

/// Not known yet: continuation lines are joined as bash joins them, but nothing that
/// rewrites a command (history expansion, splitting a buffer) is done on a guess.
const UNKNOWN: Quirks = Quirks {
    drops_backslash_newline: true,
    ..PLAIN
};

/// The quirks of `shell` (`None`: not guessed yet).
pub(crate) const fn of(shell: Option<Shell>) -> &'static Quirks {
    match shell {
        Some(Shell::Bash) => &BASH,
        Some(Shell::Fish) => &FISH,
        Some(Shell::Zsh | Shell::Dash) => &PLAIN,
        None => &UNKNOWN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bash_rewrites_what_its_screen_shows() {
        for sh in [Shell::Zsh, Shell::Fish, Shell::Dash] {
            let q = of(Some(sh));
            assert!(
                !q.echoes_history_expansion && !q.runs_lines_one_by_one,
                "{sh}"
            );
            assert!(!q.drops_backslash_newline, "{sh}");
        }
        let q = of(Some(Shell::Bash));
        assert!(q.echoes_history_expansion && q.runs_lines_one_by_one);
        assert!(of(None).drops_backslash_newline && !of(None).runs_lines_one_by_one);
        assert!(of(Some(Shell::Fish)).indents_continuations);
    }
}
