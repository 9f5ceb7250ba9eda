//! Errors about the input. Only [`crate::source`] produces them; the terminal model and the
//! segmenter accept any bytes.

use std::fmt;

/// Where in the input something was found.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Location {
    /// Name of the input (file path, or `-` for standard input), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// 1-based line number in the input, when the format is line oriented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 0-based byte offset in the input.
    pub byte: u64,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(input) = &self.input {
            write!(f, "{input}:")?;
        }
        if let Some(line) = self.line {
            write!(f, "line {line}, ")?;
        }
        write!(f, "byte {}", self.byte)
    }
}

/// A problem with the input. Processing always continues after one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input claims a format it does not follow (e.g. a `script` header that is cut off).
    #[error("{location}: malformed {format} input: {message}")]
    Malformed {
        /// Where the problem starts.
        location: Location,
        /// The input format being read.
        format: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The input is a format ttyscribe recognises but does not read.
    #[error("{location}: {format} input is not supported: {message}")]
    Unsupported {
        /// Where the format was recognised.
        location: Location,
        /// The format that was recognised.
        format: &'static str,
        /// What the user can do instead.
        message: String,
    },
    /// The input is none of the formats ttyscribe reads (JSON that is neither CloudWatch
    /// Logs events nor an asciicast recording); nothing in it is read.
    #[error("{location}: unrecognised input: {message}")]
    Unrecognised {
        /// Where the first value that settled it starts.
        location: Location,
        /// What was seen.
        message: String,
    },
}

/// What kind of problem an [`Error`] is; error records carry it as `error_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// [`Error::Malformed`]: the input does not follow the format it claims.
    Malformed,
    /// [`Error::Unsupported`]: a format ttyscribe recognises but does not read.
    Unsupported,
    /// [`Error::Unrecognised`]: not a format ttyscribe knows.
    Unrecognised,
}

impl Error {
    /// What kind of problem this is.
    ///
    /// ```
    /// let records = ttyscribe::parse(b"Script started on 2024", ttyscribe::Config::default());
    /// let kinds: Vec<_> = records
    ///     .iter()
    ///     .filter_map(|r| match r {
    ///         ttyscribe::Record::Error(e) => Some(e.kind),
    ///         _ => None,
    ///     })
    ///     .collect();
    /// assert_eq!(kinds, [ttyscribe::ErrorKind::Malformed]);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Malformed { .. } => ErrorKind::Malformed,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::Unrecognised { .. } => ErrorKind::Unrecognised,
        }
    }

    /// Where the error was found.
    pub fn location(&self) -> &Location {
        match self {
            Error::Malformed { location, .. }
            | Error::Unsupported { location, .. }
            | Error::Unrecognised { location, .. } => location,
        }
    }

    pub(crate) fn location_mut(&mut self) -> &mut Location {
        match self {
            Error::Malformed { location, .. }
            | Error::Unsupported { location, .. }
            | Error::Unrecognised { location, .. } => location,
        }
    }

    pub(crate) fn set_input(&mut self, name: &str) {
        self.location_mut().input = Some(name.to_owned());
    }
}
