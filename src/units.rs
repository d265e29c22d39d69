//! Engineer-weeks and shares as people read them: the one place that decides
//! how a number looks in a message, a table or the report.

/// Format a share as a whole percentage.
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Format engineer-weeks without a needless `.0`.
pub(crate) fn weeks(n: f64) -> String {
    quantity(n)
}

/// A quantity of effort (engineer-weeks, author-days), whole or to one
/// decimal.
pub(crate) fn quantity(n: f64) -> String {
    let n = (n * 10.0).round() / 10.0 + 0.0; // an empty sum is -0.0: print it as 0
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

/// The unit of "actual" effort (`[history] measure`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// One unit per author per UTC day of author time, split evenly among
    /// that day's commits: twenty small commits of one afternoon weigh what
    /// one big one does.
    #[default]
    AuthorDays,
    /// Every commit weighs 1.
    Commits,
}

impl Measure {
    /// The name `roadlint.toml` and the JSON report use.
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::AuthorDays => "author-days",
            Measure::Commits => "commits",
        }
    }

    /// Every measure, for "expected one of".
    pub const ALL: [Measure; 2] = [Measure::AuthorDays, Measure::Commits];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_print_plainly() {
        assert_eq!(weeks(-0.0), "0");
        assert_eq!(weeks(40.0), "40");
        assert_eq!(weeks(2.5), "2.5");
        assert_eq!(weeks(std::iter::empty::<f64>().sum()), "0");
    }
}
