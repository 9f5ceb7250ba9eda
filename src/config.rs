//! Building a [`Config`]: it is `#[non_exhaustive]`, so that settings can be added without
//! breaking users, and these methods are how a user sets one.

use regex::Regex;

use crate::Config;
use crate::source::InputFormat;

impl Config {
    /// Read the input as `format` instead of looking at its first bytes.
    ///
    /// ```
    /// use ttyscribe::{Config, InputFormat};
    ///
    /// let config = Config::default().with_format(InputFormat::Raw).with_cols(80);
    /// assert_eq!((config.format, config.cols), (InputFormat::Raw, Some(80)));
    /// ```
    pub fn with_format(mut self, format: InputFormat) -> Config {
        self.format = format;
        self
    }

    /// The terminal is `cols` columns wide (otherwise the width is inferred from the stream).
    pub fn with_cols(mut self, cols: usize) -> Config {
        self.cols = Some(cols);
        self
    }

    /// The shell's prompt matches `prompt` at the start of a line.
    ///
    /// ```
    /// let prompt = regex::Regex::new(r"^\S+@\S+ \S+ % ").unwrap();
    /// let config = ttyscribe::Config::default().with_prompt(prompt);
    /// let records = ttyscribe::parse(b"me@box ~ % ls\r\na\r\nme@box ~ % ", config);
    /// assert!(records.iter().any(|r| matches!(r, ttyscribe::Record::Command(c) if c.command == "ls")));
    /// ```
    pub fn with_prompt(mut self, prompt: Regex) -> Config {
        self.prompt = Some(prompt);
        self
    }

    /// Name the input (a path, `-`) in error locations.
    pub fn with_name(mut self, name: impl Into<String>) -> Config {
        self.name = Some(name.into());
        self
    }
}
