//! `locked-scope`: once a quarter is locked, scope changes need both sign-offs.
//! The check itself runs in `history/`, which owns the walk.

declare_rule! {
    /// ## What it checks
    /// For a quarter file with `locked = DATE`, every commit whose committer
    /// time is on or after that date (UTC) and that changes the quarter's scope
    /// (adds or removes an item, or changes an item's `effort` or `kind`)
    /// carries both sign-off trailers: `Product-Approved-By:` naming a product
    /// owner and `Tech-Approved-By:` naming a tech owner (owners somewhere in
    /// the roadmap), two different people. Status and wording edits are free.
    ///
    /// ## Why
    /// Evolving requirements meet finalized specs. Once a quarter is locked,
    /// changing its scope is a decision both sides take together, and the
    /// commit is where that decision is recorded: nobody approves alone.
    ///
    /// ## Example
    /// Bad: after `locked = 2026-01-09`, a commit `feat: add PAY-140` adds an
    /// item with no trailers.
    ///
    /// Good:
    /// ```text
    /// feat: add PAY-140 to 2026-Q1
    ///
    /// Product-Approved-By: dana
    /// Tech-Approved-By: lee
    /// ```
    pub const RULE = {
        id: super::ids::LOCKED_SCOPE,
        group: History,
        level: Error,
        summary: "scope changes to a locked quarter carry product and tech sign-off trailers",
        check: None,
    };
}
