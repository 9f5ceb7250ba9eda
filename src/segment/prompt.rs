//! Telling the prompt from the typed text on a command line.
//!
//! Prompts repeat: the same user, host and shell draw the same text before every command,
//! with at most a directory changing in the middle. The learner keeps a few templates, each a
//! fixed prefix and a fixed suffix with anything between them:
//!
//! ```text
//! "[ec2-user@ip-10-0-1-11 ~]$ "   +   "[ec2-user@ip-10-0-1-11 webapp]$ "
//!   → prefix "[ec2-user@ip-10-0-1-11 "  suffix "]$ "
//! ```
//!
//! A line whose start matches a template has its prompt end right after the first
//! occurrence of the suffix. A line that matches none is split at the first generic prompt
//! terminator (`$ `, `# `, `% `, `> `, `❯ `, `» `), and what that gave is learned.

use memchr::memmem;
use regex::Regex;

use crate::limits::MAX_PROMPT_TEMPLATES;
use crate::record::Evidence;

/// Longest decoration (`130|`, `(venv) `) accepted before a learned prompt.
const MAX_DECORATION: usize = 24;

#[derive(Debug, Clone)]
struct Template {
    prefix: String,
    /// Characters in the prefix: a prefix of fewer than 3 is not searched for inside a line.
    prefix_chars: usize,
    suffix: String,
    /// Searchers for the prefix and suffix, built once: templates are matched on every line.
    find_prefix: memmem::Finder<'static>,
    rfind_prefix: memmem::FinderRev<'static>,
    find_suffix: memmem::Finder<'static>,
}

impl Template {
    fn new(prefix: &str, suffix: &str) -> Template {
        Template {
            find_prefix: memmem::Finder::new(prefix.as_bytes()).into_owned(),
            rfind_prefix: memmem::FinderRev::new(prefix.as_bytes()).into_owned(),
            find_suffix: memmem::Finder::new(suffix.as_bytes()).into_owned(),
            prefix_chars: prefix.chars().count(),
            prefix: prefix.to_owned(),
            suffix: suffix.to_owned(),
        }
    }

    fn split(&self, line: &str) -> Option<usize> {
        let rest = line.strip_prefix(self.prefix.as_str())?;
        if self.suffix.is_empty() {
            return Some(self.prefix.len());
        }
        // The prefix may already contain the suffix's start ("$ " inside "sh-5.2$ ").
        let from = self.prefix.len();
        if line.len() >= self.suffix.len()
            && from >= self.suffix.len()
            && line[..from].ends_with(self.suffix.as_str())
            && self.prefix.len() >= self.suffix.len()
        {
            return Some(from);
        }
        self.find_suffix
            .find(rest.as_bytes())
            .map(|i| from + i + self.suffix.len())
    }
}

/// How a prompt was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Found {
    Learned,
    User,
    Shape,
    None,
}

impl Found {
    pub fn evidence(self) -> Evidence {
        match self {
            Found::Learned => Evidence::LearnedPrompt,
            Found::User => Evidence::UserPrompt,
            Found::Shape => Evidence::PromptShape,
            Found::None => Evidence::NoPrompt,
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Learner {
    templates: Vec<Template>,
    user: Option<Regex>,
    /// What the newest template last matched at the start of a line, up to the end of its
    /// suffix (empty for nothing). It matches any line that starts with the same text at the
    /// same place: its prefix is there, and no earlier suffix can be (it would have been
    /// found in this text). Cleared whenever the templates change.
    recent: String,
    /// The last prompt learned that changed nothing: learning it again changes nothing
    /// either until the templates change (when it is cleared).
    settled: Option<String>,
}

impl Learner {
    pub fn new(user: Option<Regex>) -> Learner {
        Learner {
            templates: Vec::new(),
            user,
            recent: String::new(),
            settled: None,
        }
    }

    /// The templates are about to change: what was remembered of them no longer holds.
    fn changed(&mut self) {
        self.recent.clear();
        self.settled = None;
    }

    pub fn has_learned(&self) -> bool {
        !self.templates.is_empty() || self.user.is_some()
    }

    /// Length in bytes of the prompt at the start of `line`, by learned templates (or the
    /// user's pattern) only.
    pub fn match_learned(&self, line: &str) -> Option<(usize, Found)> {
        if let Some(re) = &self.user {
            return re
                .find(line)
                .filter(|m| m.start() == 0)
                .map(|m| (m.end(), Found::User));
        }
        let at_start = self.templates.iter().rev().find_map(|t| t.split(line));
        // Shells put a short decoration before the prompt they were configured with: mksh
        // the failed status (`130|`), virtualenv its name (`(venv) `).
        let decorated = || {
            self.templates.iter().rev().find_map(|t| {
                if t.prefix_chars < 3 {
                    return None;
                }
                let i = t
                    .find_prefix
                    .find(line.as_bytes())
                    .filter(|&i| i <= MAX_DECORATION)?;
                let sep = line[..i].chars().last()?;
                let plausible =
                    i > 0 && !sep.is_alphanumeric() && !line[..i].trim_end().contains(' ');
                plausible
                    .then(|| t.split(&line[i..]).map(|n| i + n))
                    .flatten()
            })
        };
        at_start
            .or_else(decorated)
            .map(|n| (with_blank(line, n), Found::Learned))
    }

    /// Split `line` into prompt and typed text: learned templates first, then the generic
    /// shape; `(0, Found::None)` when neither finds a prompt.
    pub fn split(&mut self, line: &str) -> (usize, Found) {
        // Most lines start with the prompt the newest template matched last time.
        if self.user.is_none()
            && let Some(t) = self.templates.last()
        {
            let end = if !self.recent.is_empty() && line.starts_with(self.recent.as_str()) {
                Some(self.recent.len())
            } else {
                let end = t.split(line);
                if let Some(n) = end {
                    self.recent.clear();
                    self.recent.push_str(&line[..n]);
                }
                end
            };
            if let Some(n) = end {
                return (with_blank(line, n), Found::Learned);
            }
        }
        if let Some(m) = self.match_learned(line) {
            return m;
        }
        if self.user.is_some() {
            return (0, Found::None);
        }
        match shape_end(line) {
            Some(n) => (n, Found::Shape),
            None => (0, Found::None),
        }
    }

    /// The last place in `line` where a learned prompt starts (after byte 0), with the
    /// prompt's length there.
    pub fn find_last(&self, line: &str) -> Option<(usize, usize)> {
        self.templates
            .iter()
            .filter(|t| t.prefix_chars >= 3)
            .filter_map(|t| {
                // Most lines hold no prompt past their start: the forward search (vectorised)
                // says so sooner than the backward one.
                t.find_prefix.find(line.as_bytes().get(1..)?)?;
                // Occurrences from the right, not overlapping (as `rmatch_indices`).
                let mut end = line.len();
                while let Some(i) = t.rfind_prefix.rfind(&line.as_bytes()[..end]) {
                    if i == 0 {
                        return None;
                    }
                    if let Some(n) = t.split(&line[i..]) {
                        return Some((i, n));
                    }
                    end = i;
                }
                None
            })
            .max_by_key(|&(i, _)| i)
    }

    /// Whether `prompt` looks like one already learned with other text in the middle: same
    /// start (at least 4 characters) and same last character.
    pub fn is_similar(&self, prompt: &str) -> bool {
        let p = prompt.trim_end();
        self.templates.iter().any(|t| {
            common_prefix(&t.prefix, p).chars().count() >= 4
                && t.suffix.trim_end().chars().last() == p.chars().last()
        })
    }

    /// Remember a primary prompt.
    pub fn learn(&mut self, prompt: &str) {
        let prompt = prompt.trim_end();
        if self.settled.as_deref() == Some(prompt) {
            return;
        }
        // Most prompts are ones already learned, exactly.
        if let Some(t) = self.templates.last()
            && t.prefix.len() == prompt.len()
            && t.prefix == prompt
            && t.suffix == prompt
        {
            return;
        }
        if prompt.trim().is_empty() || self.user.is_some() {
            return;
        }
        for (i, t) in self.templates.iter_mut().enumerate() {
            if prompt.len() >= t.prefix.len() + t.suffix.len()
                && prompt.starts_with(t.prefix.as_str())
                && prompt.ends_with(t.suffix.as_str())
                && !t.suffix.is_empty()
                && t.prefix_chars >= 2
            {
                // The template already covers it: it only becomes the newest.
                let n = self.templates.len();
                if i + 1 < n {
                    self.changed();
                    self.templates[i..n].rotate_left(1);
                } else {
                    self.settled = Some(prompt.to_owned());
                }
                return;
            }
            let pre = common_prefix(&t.prefix, prompt);
            let suf = common_suffix(&t.suffix, prompt);
            if pre.chars().count() >= 2 && !suf.is_empty() && pre.len() + suf.len() <= prompt.len()
            {
                let t2 = Template::new(pre, suf);
                self.changed();
                self.templates.remove(i);
                self.templates.push(t2);
                return;
            }
        }
        self.changed();
        if self.templates.len() >= MAX_PROMPT_TEMPLATES {
            self.templates.remove(0);
        }
        self.templates.push(Template::new(prompt, prompt));
    }
}

/// The end of a learned prompt that ends at `n` in `line`, with the blank after it: learned
/// prompts are kept without trailing blanks (a bare prompt line reads back trimmed), and the
/// blank that follows one belongs to it.
fn with_blank(line: &str, n: usize) -> usize {
    n + usize::from(line[n..].starts_with(' '))
}

fn common_prefix<'a>(a: &'a str, b: &str) -> &'a str {
    let n = a
        .char_indices()
        .zip(b.chars())
        .take_while(|((_, x), y)| x == y)
        .last()
        .map_or(0, |((i, x), _)| i + x.len_utf8());
    &a[..n]
}

fn common_suffix<'a>(a: &'a str, b: &str) -> &'a str {
    let n = a
        .chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum::<usize>();
    &a[a.len() - n..]
}

const TERMINATORS: &[char] = &['$', '#', '%', '>', '❯', '»', '➜', 'λ'];

/// End of the first generic prompt in `line`: a terminator followed by a space (or the end).
pub(crate) fn shape_end(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    // Only `$ # % >` and the start of a multi-byte character can begin a terminator.
    let candidate = |&c: &u8| matches!(c, b'$' | b'#' | b'%' | b'>') || c >= 0xc0;
    let mut from = 0;
    while let Some(i) = b[from..].iter().position(candidate).map(|k| from + k) {
        let mut rest = line[i..].chars();
        let c = rest.next()?;
        from = i + c.len_utf8();
        if !TERMINATORS.contains(&c) {
            continue;
        }
        let next = rest.next();
        // ">>>" and "$$" are one terminator run: the prompt ends after the run.
        if next.is_some_and(|n| n == c) {
            continue;
        }
        match next {
            Some(' ') => return Some(i + c.len_utf8() + 1),
            None => return Some(i + c.len_utf8()),
            _ => {}
        }
    }
    None
}

/// A secondary prompt: `> ` (PS2 of bash, dash, mksh) or zsh's `dquote> `, `for> `, …
pub(crate) fn is_continuation(prompt: &str) -> bool {
    let p = prompt.trim_end();
    match p.strip_suffix('>') {
        Some(words) => words.chars().all(|c| c.is_ascii_lowercase() || c == ' '),
        None => false,
    }
}

/// A prompt drawn by a program's own line editor (Python, a nested REPL), not a shell's.
pub(crate) fn is_repl(prompt: &str) -> bool {
    let p = prompt.trim();
    p.chars().all(|c| c == '>' || c == '.') && p.len() >= 3 || p.starts_with("In [") || p == "..."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_finds_first_terminator() {
        assert_eq!(shape_end("[ec2-user@ip-10-0-1-11 ~]$ echo a > b"), Some(27));
        assert_eq!(shape_end("$ ls"), Some(2));
        assert_eq!(shape_end(">>> 1+1"), Some(4));
        assert_eq!(shape_end("no prompt here"), None);
    }

    #[test]
    fn templates_generalise_over_the_directory() {
        let mut l = Learner::new(None);
        l.learn("[ec2-user@ip-10-0-1-11 ~]$ ");
        l.learn("[ec2-user@ip-10-0-1-11 webapp]$ ");
        let line = "[ec2-user@ip-10-0-1-11 scripts]$ ls $HOME";
        assert_eq!(
            l.split(line),
            ("[ec2-user@ip-10-0-1-11 scripts]$ ".len(), Found::Learned)
        );
        // A prompt learned from a bare prompt line (read back without its trailing blank).
        let mut l = Learner::new(None);
        l.learn("sh-5.2$");
        assert_eq!(l.split("sh-5.2$ whoami"), (8, Found::Learned));
        // A status decoration in front of a learned prompt.
        assert_eq!(l.split("130|sh-5.2$ ls"), (12, Found::Learned));
        assert_eq!(l.split("(venv) sh-5.2$ ls"), (15, Found::Learned));
        assert_eq!(l.match_learned("echo see sh-5.2$ ls"), None);
    }

    /// The same learner with nothing remembered between calls.
    fn forgetful(l: &Learner) -> Learner {
        Learner {
            templates: l.templates.clone(),
            ..Learner::new(None)
        }
    }

    fn shapes(l: &Learner) -> Vec<(String, String)> {
        l.templates
            .iter()
            .map(|t| (t.prefix.clone(), t.suffix.clone()))
            .collect()
    }

    proptest::proptest! {
        /// What the learner remembers between calls (the newest template's last match, the
        /// last prompt that taught it nothing) never changes an answer or what it learns.
        #[test]
        fn remembering_changes_nothing(
            ops in proptest::collection::vec(
                (proptest::bool::ANY, "(\\[?(u@h|u@g|v@h) ?(~|w|x y)\\]?[$#>] ?){1,2}(ls|\\]\\$ x| >)?"),
                1..40,
            ),
        ) {
            let mut l = Learner::new(None);
            for (learn, text) in ops {
                if learn {
                    let mut twin = forgetful(&l);
                    l.learn(&text);
                    twin.learn(&text);
                    proptest::prop_assert_eq!(shapes(&l), shapes(&twin));
                } else {
                    let expected = forgetful(&l).split(&text);
                    proptest::prop_assert_eq!(l.split(&text), expected, "{:?}", text);
                }
            }
        }
    }

    #[test]
    fn prompt_kinds() {
        assert!(is_continuation("> "));
        assert!(is_continuation("dquote> "));
        assert!(!is_continuation("ec2-user@ip-10-0-1-11 ~> "));
        assert!(is_repl(">>> "));
        assert!(!is_repl("> "));
    }

    #[test]
    fn past_max_prompt_templates_the_oldest_shape_is_forgotten() {
        // Prompts with nothing in common at their start, so none generalises another.
        let prompts: Vec<String> = (0..MAX_PROMPT_TEMPLATES * 2)
            .map(|i| {
                let c = char::from(b'a' + i as u8);
                format!("{c}{c}@box{i}$ ")
            })
            .collect();
        let mut l = Learner::new(None);
        for p in &prompts {
            l.learn(p);
            assert!(l.templates.len() <= MAX_PROMPT_TEMPLATES);
        }
        assert_eq!(l.templates.len(), MAX_PROMPT_TEMPLATES);
        let (old, kept) = prompts.split_at(MAX_PROMPT_TEMPLATES);
        for p in kept {
            let line = format!("{p}ls -l");
            assert_eq!(
                l.match_learned(&line),
                Some((p.len(), Found::Learned)),
                "{p}"
            );
        }
        for p in old {
            assert_eq!(l.match_learned(&format!("{p}ls -l")), None, "{p}");
        }
    }
}
