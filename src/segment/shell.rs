//! What the segmenter needs to know of shell syntax: where a command is complete, and
//! whether bash will rewrite it by history expansion. Deliberately small: these only decide
//! how to group lines the screen already shows.

/// Split a multi-line buffer into the complete commands bash would run one after another.
pub(crate) fn split_complete(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut st = State::default();
    for line in text.split('\n') {
        cur.push(line);
        st.line(line);
        if st.complete() {
            out.push(cur.join("\n"));
            cur.clear();
            st = State::default();
        }
    }
    if !cur.is_empty() {
        out.push(cur.join("\n"));
    }
    out.retain(|c| !c.trim().is_empty());
    out
}

/// Whether `text` is a complete command the shell would run (fish's blocks end with
/// `end`): quotes closed, no trailing `\`, `|` or `&&`, every block and here-document
/// closed. A block opens only where a command starts (`echo for` opens none).
pub(crate) fn is_complete(text: &str, fish: bool) -> bool {
    // Most lines have no quote, escape, operator or block word: done without reading them
    // word by word (this runs on every CloudWatch command).
    let b = text.as_bytes();
    let special = memchr::memchr3(b'\'', b'"', b'\\', b).is_some()
        || memchr::memchr3(b'|', b'&', b'<', b).is_some()
        || memchr::memchr3(b'(', b'{', b'\n', b).is_some();
    let block_word = || {
        text.split(';').any(|part| {
            matches!(
                part.split_ascii_whitespace().next(),
                Some(
                    "for"
                        | "while"
                        | "until"
                        | "if"
                        | "case"
                        | "select"
                        | "function"
                        | "begin"
                        | "switch"
                        | "done"
                        | "fi"
                        | "esac"
                        | "end"
                        | "then"
                        | "do"
                        | "else"
                )
            )
        })
    };
    if !special && !block_word() {
        return true;
    }
    let mut st = State {
        fish,
        strict: true,
        ..State::default()
    };
    for line in text.split('\n') {
        st.line(line);
    }
    st.complete()
}

#[derive(Default)]
struct State {
    single: bool,
    double: bool,
    continued: bool,
    depth: i32,
    heredoc: Vec<String>,
    /// fish's block words.
    fish: bool,
    /// Block words count only where a command starts.
    strict: bool,
    /// The next word starts a command.
    at_start: bool,
}

impl State {
    fn complete(&self) -> bool {
        !self.single
            && !self.double
            && !self.continued
            && self.depth <= 0
            && self.heredoc.is_empty()
    }

    fn line(&mut self, line: &str) {
        if let Some(end) = self.heredoc.first() {
            if line.trim_start_matches('\t') == end {
                self.heredoc.remove(0);
            }
            return;
        }
        let mut word = String::new();
        self.at_start = true;
        let mut chars = line.chars().peekable();
        let mut prev = ' ';
        let mut last_sig = ' ';
        while let Some(c) = chars.next() {
            if self.single {
                if c == '\'' {
                    self.single = false;
                }
                prev = c;
                continue;
            }
            match c {
                '\\' if chars.next().is_none() => {
                    self.continued = true;
                    return;
                }
                '\'' if !self.double => self.single = true,
                '"' => self.double = !self.double,
                '#' if !self.double && (prev == ' ' || prev == '\t') && word.is_empty() => break,
                '<' if !self.double && chars.peek() == Some(&'<') => {
                    chars.next();
                    if chars.peek() == Some(&'<') {
                        chars.next();
                    } else {
                        let rest: String = chars.clone().collect();
                        let tag: String = rest
                            .trim_start_matches('-')
                            .trim_start()
                            .chars()
                            .take_while(|c| {
                                !c.is_whitespace() && *c != ';' && *c != '|' && *c != '&'
                            })
                            .filter(|c| *c != '\'' && *c != '"')
                            .collect();
                        if !tag.is_empty() {
                            self.heredoc.push(tag);
                        }
                    }
                }
                _ => {}
            }
            if !self.double
                && !self.single
                && (c.is_whitespace() || c == ';' || c == '&' || c == '|')
            {
                self.word(&word);
                word.clear();
                if c != ' ' && c != '\t' {
                    self.at_start = true;
                }
            } else if !self.double && !self.single && (c == '{' || c == '(') && word.is_empty() {
                self.depth += 1;
            } else if !self.double && !self.single && (c == '}' || c == ')') && word.is_empty() {
                self.depth -= 1;
            } else {
                word.push(c);
            }
            if !c.is_whitespace() {
                last_sig = c;
            }
            prev = c;
        }
        self.word(&word);
        let t = line.trim_end();
        self.continued = !self.single
            && !self.double
            && (t.ends_with('|') || t.ends_with("&&") || (last_sig == '|' && t.ends_with('|')));
    }

    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        let counts = self.at_start || !self.strict;
        self.at_start = matches!(
            w,
            "then"
                | "do"
                | "else"
                | "elif"
                | "!"
                | "time"
                | "and"
                | "or"
                | "not"
                | "command"
                | "builtin"
        );
        if !counts {
            return;
        }
        match (self.fish, w) {
            (true, "for" | "while" | "if" | "function" | "begin" | "switch") => self.depth += 1,
            (true, "end") => self.depth -= 1,
            (false, "for" | "while" | "until" | "if" | "case" | "select") => self.depth += 1,
            (false, "done" | "fi" | "esac") => self.depth -= 1,
            _ => {}
        }
    }
}

/// Whether bash's history expansion would rewrite this line (`!!`, `!-2`, `!ec`, `!$`,
/// `^old^new`), so that bash prints the line it really runs.
pub(crate) fn has_history_expansion(cmd: &str) -> bool {
    if cmd.starts_with('^') {
        return true;
    }
    let b = cmd.as_bytes();
    if memchr::memchr(b'!', b).is_none() {
        return false;
    }
    let mut single = false;
    for i in 0..b.len() {
        match b[i] {
            b'\'' => single = !single,
            b'!' if !single && (i == 0 || b[i - 1] != b'\\') => {
                if let Some(&n) = b.get(i + 1)
                    && (n == b'!'
                        || n == b'$'
                        || n == b'-'
                        || n == b'?'
                        || n == b'#'
                        || n.is_ascii_alphanumeric())
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_independent_lines_keeps_compounds() {
        assert_eq!(
            split_complete("echo alpha\necho beta"),
            ["echo alpha", "echo beta"]
        );
        assert_eq!(
            split_complete("for i in 1 2\ndo echo $i\ndone\nls"),
            ["for i in 1 2\ndo echo $i\ndone", "ls"]
        );
        assert_eq!(
            split_complete("cat <<EOF\nhello\nEOF"),
            ["cat <<EOF\nhello\nEOF"]
        );
        assert_eq!(split_complete("echo 'a\nb'"), ["echo 'a\nb'"]);
        assert_eq!(split_complete("ls |\nwc -l"), ["ls |\nwc -l"]);
    }

    #[test]
    fn history_expansion() {
        assert!(has_history_expansion("!!"));
        assert!(has_history_expansion("sudo !!"));
        assert!(has_history_expansion("!ec"));
        assert!(has_history_expansion("^one^two"));
        assert!(!has_history_expansion("echo hi!"));
        assert!(!has_history_expansion("echo '!!'"));
        assert!(!has_history_expansion("[ ! -f x ]"));
    }
}

#[cfg(test)]
mod complete_tests {
    use super::is_complete;

    #[test]
    fn complete_commands() {
        for yes in [
            "ls -l",
            "echo if you want",
            "for i in 1 2; do echo $i; done",
            "echo 'a;b' \"c\"",
            "cat <<E\nx\nE",
        ] {
            assert!(is_complete(yes, false), "{yes}");
        }
        for no in [
            "for i in 1 2; do",
            "echo \"open",
            "echo one \\",
            "ls |",
            "cat <<E\nx",
        ] {
            assert!(!is_complete(no, false), "{no}");
        }
        assert!(!is_complete("for i in 1 2 3", true));
        assert!(is_complete("for i in 1 2 3\necho $i\nend", true));
        assert!(is_complete("echo begin end", true));
        assert!(!is_complete("if test -f notes.txt", true));
    }
}
