//! How sure a command record is: its [`Doubt`]s, derived once the record is complete from
//! the evidence the segmenter recorded for each decision and from its text, so that no
//! decision sets a flag of its own and every flag says why.

use crate::record::{Command, Doubt, Evidence};

/// Set `doubts`, `suspicious` and `uncertain` on a finished command.
pub(super) fn weigh(c: &mut Command) {
    let e = &c.evidence;
    let mut found = |d: Doubt, holds: bool| {
        if holds && !c.doubts.contains(&d) {
            c.doubts.push(d);
        }
    };
    found(
        Doubt::ReportDiffers,
        e.contains(Evidence::ShellReportDiffers),
    );
    found(Doubt::Unscrolled, e.contains(Evidence::Unscrolled));
    found(Doubt::CutByEndOfInput, e.contains(Evidence::EndOfInput));
    found(
        Doubt::DamagedText,
        c.command.contains('\u{fffd}') || c.prompt.contains('\u{fffd}'),
    );
    c.suspicious = c.doubts.iter().any(|d| d.suspicious());
    c.uncertain = c.doubts.iter().any(|d| d.uncertain());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weighed(command: &str, evidence: &[Evidence]) -> Command {
        let mut c = Command {
            command: command.into(),
            evidence: evidence.iter().copied().collect(),
            ..Command::default()
        };
        weigh(&mut c);
        c
    }

    #[test]
    fn a_plain_line_has_no_doubt() {
        let c = weighed("ls", &[Evidence::BracketedPaste, Evidence::LearnedPrompt]);
        assert!(!c.suspicious && !c.uncertain && c.doubts.is_empty());
    }

    #[test]
    fn each_doubt_comes_from_its_evidence_or_text() {
        let c = weighed(
            "ls",
            &[Evidence::BracketedPaste, Evidence::ShellReportDiffers],
        );
        assert_eq!(c.doubts, [Doubt::ReportDiffers]);
        assert!(c.suspicious && c.uncertain);
        let c = weighed("vim", &[Evidence::EndOfInput]);
        assert_eq!(c.doubts, [Doubt::CutByEndOfInput]);
        assert!(!c.suspicious && c.uncertain);
        let c = weighed("echo caf\u{fffd}", &[Evidence::LineFeed]);
        assert_eq!(c.doubts, [Doubt::DamagedText]);
        let c = weighed("echo a", &[Evidence::Unscrolled]);
        assert_eq!(c.doubts, [Doubt::Unscrolled]);
        // Weighing again adds nothing.
        let mut again = c.clone();
        weigh(&mut again);
        assert_eq!(again, c);
    }
}
