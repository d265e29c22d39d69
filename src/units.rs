//! Engineer-weeks and shares as people read them: the one place that decides
//! how a number looks in a message, a table or the report.

/// Format a share as a whole percentage.
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Format engineer-weeks without a needless `.0`.
pub fn weeks(n: f64) -> String {
    let n = n + 0.0; // an empty sum is -0.0: print it as 0
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
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
