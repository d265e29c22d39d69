//! `schema`: every key known, every value of the right type.

declare_rule! {
    /// ## What it checks
    /// Keys are known (a close misspelling gets a "did you mean"), values have
    /// the right type, enumerations hold one of their words (`kind`, `status`,
    /// `stage`), dates are real TOML dates, numbers are in range, and entries
    /// have their required keys (`id`, `title`, `kind`, `effort` for items).
    ///
    /// ## Why
    /// A misspelt `efort` silently drops an item's effort from every sum; a
    /// quoted date is a string, not a date. The schema catches these where they
    /// are written. An entry with one bad field is reported and still checked
    /// with its other fields.
    ///
    /// ## Example
    /// Bad:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feture"
    /// efort = 6
    /// ends = "2026-02-20"
    /// ```
    /// Good:
    /// ```toml
    /// [[item]]
    /// id = "PAY-101"
    /// kind = "feature"
    /// effort = 6
    /// ends = 2026-02-20
    /// ```
    pub const RULE = {
        id: "schema",
        group: Structural,
        level: Error,
        summary: "known keys, right types, valid enums and dates, required keys present",
        needs: crate::facts::Needs::NOTHING,
        check: None,
    };
}

#[cfg(test)]
mod tests {
    use super::ID;
    use crate::rules::tester;

    const GOOD: &str = "quarter = \"2026-Q1\"\ncapacity = 10\n[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\n";

    #[test]
    fn pass() {
        tester::pass(ID, &[GOOD, "[[kpi]]\nid = \"k\"\n"]);
    }

    #[test]
    fn fail() {
        tester::fail(
            ID,
            &[
                ("quarter = \"2026-Q1\"\n[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"feture\"\neffort = 2\n", &[(5, "not one of")]),
                ("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\nefort = 2\n", &[(5, "unknown key `efort`")]),
                ("[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\n", &[(2, "has no `effort`")]),
                ("locked = \"2026-02-01\"\n", &[(1, "must be a TOML date")]),
                ("quarter = \"2026-Q7\"\n", &[(1, "not a quarter")]),
                ("capacity = -1\n", &[(1, "capacity")]),
                ("bogus = 1\n", &[(1, "unknown key `bogus`")]),
                // Look-alikes in any script, one warning a name: letters of
                // two scripts, or one script shaped like another person's name.
                (
                    "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"dana\"\ntech_owner = \"lee\"\n[[item]]\nid = \"B\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"dana\"\ntech_owner = \"\u{13DE}ee\"\n",
                    &[(14, "mixes Cherokee and Latin letters")],
                ),
                (
                    "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"omar\"\ntech_owner = \"lee\"\n[[waiver]]\nrule = \"capacity\"\nreason = \"r\"\napproved_by = [\"\u{585}mar\", \"lee\"]\nexpires = 2026-12-31\n",
                    &[(11, "mixes Armenian and Latin letters")],
                ),
                (
                    "[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"cope\"\ntech_owner = \"lee\"\n[[item]]\nid = \"B\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"\u{441}\u{43E}\u{440}\u{435}\"\ntech_owner = \"lee\"\n",
                    &[(13, "`product_owner` of item `B` is \"\u{441}\u{43E}\u{440}\u{435}\", which looks like \"cope\" (`product_owner` of item `A`) but is another name")],
                ),
            ],
        );
    }

    #[test]
    fn one_person_however_cased_is_no_look_alike() {
        tester::pass(
            ID,
            &["[[item]]\nid = \"A\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"Strauß\"\ntech_owner = \"lee\"\n[[item]]\nid = \"B\"\ntitle = \"t\"\nkind = \"debt\"\neffort = 2\nproduct_owner = \"STRAUSS\"\ntech_owner = \"Lee\"\n"],
        );
    }
}
