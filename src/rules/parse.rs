//! `parse`: the file must be readable TOML.

declare_rule! {
    /// ## What it checks
    /// Every roadmap file is a regular file inside the repository, at most 1 MiB,
    /// valid UTF-8 and valid TOML. Symlinks are reported and never read through;
    /// FIFOs and devices are skipped with a warning.
    ///
    /// ## Why
    /// A plan nobody can read is no plan. A file that does not parse is reported
    /// at the exact position of the error, and the rest of the roadmap is still
    /// checked. Links are not followed so that a hostile repository cannot make
    /// roadlint read (and print) files outside it.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// quarter = "2026-Q1
    /// capacity = 40
    /// ```
    /// Good:
    /// ```toml
    /// quarter = "2026-Q1"
    /// capacity = 40
    /// ```
    pub const RULE = {
        id: "parse",
        group: Structural,
        level: Error,
        summary: "roadmap files are readable, UTF-8, valid TOML, regular files",
        needs: crate::facts::Needs::NOTHING,
        check: None,
    };
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    #[test]
    fn pass() {
        tester::pass(ID, &["quarter = \"2026-Q1\"\ncapacity = 1\n", ""]);
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                (
                    "quarter = \"2026-Q1\ncapacity = 40\n",
                    &[(1, "invalid TOML")],
                ),
                ("a = 1\na = 2\n", &[(2, "duplicate key")]),
                ("x = 1\ry = 2\n", &[(1, "carriage return")]),
            ],
        );
    }
}
