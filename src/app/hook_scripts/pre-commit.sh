# The staged roadmap, when the commit changes it; old history never blocks
# an unrelated commit (that is pre-push's and CI's).
roadlint_pre_commit() {
  roadlint_specs
  # The commit-msg block of the same git process skips its own check when
  # this one found nothing and the index was not written since: the mark
  # (the git process's id) is written before the check, so its time is
  # never later than the index the check read, and emptied when the check
  # finds a change.
  roadlint_m=
  if [ -n "${GIT_INDEX_FILE:-}" ] && roadlint_gitdir && [ ! -h "$roadlint_g/roadlint-staged" ] &&
    printf '%s\n' "$PPID" 2>/dev/null >"$roadlint_g/roadlint-staged"; then
    roadlint_m=$roadlint_g/roadlint-staged
  fi
  # (Plumbing, cheaper than `git diff --cached`; with no HEAD yet it fails
  # and roadlint judges the first commit.)
  roadlint_git_paths diff-index --cached --quiet HEAD 2>/dev/null && return 0
  if [ -n "$roadlint_m" ]; then printf '' 2>/dev/null >"$roadlint_m" || :; fi
  if command -v roadlint >/dev/null 2>&1; then
    roadlint check --staged --no-history </dev/null || return 1
    return 0
  fi
  roadlint_missing || return 1
  return 0
}
roadlint_pre_commit || exit 1
