//! `history-debt-share`: the share of debt commits actually landed per quarter,
//! against the plan. The check itself runs in `history/`, which owns the walk.

declare_rule! {
    /// ## What it checks
    /// For every quarter that has a roadmap file, has ended (before `--today`)
    /// and holds at least `min_commits` (default 10) classified commits: the
    /// share of debt commits, debt / (debt + feature), is at least `min`
    /// (default 15%) and within `max_drift` (default 10 points) of the debt
    /// share the quarter's file plans. Commits are non-merge commits reachable
    /// from HEAD, bucketed by committer time (UTC). A commit with a
    /// `Roadmap-Item: ID` trailer counts as that item's kind; otherwise its
    /// Conventional Commits type decides (`fix`, `refactor`, `perf`, `chore`,
    /// `build`, `ci`, `test`, `revert` are debt, `feat` is feature).
    ///
    /// ## Why
    /// The plan says one thing, the commits another. Sustainment that was
    /// budgeted but never happened, or that ate the quarter unplanned, shows up
    /// here, as numbers both sides can read.
    ///
    /// ## Example
    /// Bad: 2026-Q1 planned 25% debt; of its 120 classified commits 6 were
    /// `fix:`/`refactor:` and 114 `feat:` (5%).
    ///
    /// Good: 2026-Q1 planned 25% debt; 30 of its 120 classified commits were
    /// debt (25%), or the commits carry `Roadmap-Item: OPS-7` trailers naming
    /// the planned debt items.
    pub const RULE = {
        id: super::ids::HISTORY_DEBT_SHARE,
        group: History,
        level: Warn,
        summary: "ended quarters landed at least min debt commits, within max_drift of the plan",
        check: None,
    };
}
