# The staged roadmap, when the commit changes it; old history never blocks
# an unrelated commit (that is pre-push's and CI's).
roadlint_pre_commit() {
  roadlint_specs
  # (Plumbing, cheaper than `git diff --cached`; with no HEAD yet it fails
  # and roadlint judges the first commit.)
  roadlint_git_paths diff-index --cached --quiet HEAD 2>/dev/null && return 0
  if command -v roadlint >/dev/null 2>&1; then
    roadlint check --staged --no-history </dev/null || return 1
    return 0
  fi
  roadlint_missing || return 1
  return 0
}
roadlint_pre_commit || exit 1
