# The sign-off gate for the commit being made, when it changes the roadmap.
roadlint_commit_msg() {
  # The pre-commit block of this git process (same parent id) found that the
  # staged changes touch no path roadlint judges, and the index is older than
  # its mark: nothing to judge, no git process.
  if [ -n "${GIT_INDEX_FILE:-}" ] && roadlint_gitdir && [ -f "$roadlint_g/roadlint-staged" ] &&
    [ "$roadlint_g/roadlint-staged" -nt "$GIT_INDEX_FILE" ] &&
    read -r roadlint_l <"$roadlint_g/roadlint-staged" && [ "$roadlint_l" = "$PPID" ]; then
    return 0
  fi
  roadlint_specs
  # (Plumbing, cheaper than `git diff --cached`; with no HEAD yet it fails
  # and roadlint judges the first commit.)
  roadlint_git_paths diff-index --cached --quiet HEAD 2>/dev/null && return 0
  if command -v roadlint >/dev/null 2>&1; then
    roadlint commit-msg "$1" </dev/null || return 1
    return 0
  fi
  roadlint_missing || return 1
  return 0
}
roadlint_commit_msg "$1" || exit 1
