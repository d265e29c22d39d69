# The sign-off gate for the commit being made, when it changes the roadmap.
roadlint_commit_msg() {
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
