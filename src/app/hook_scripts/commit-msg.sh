# The sign-off gate for the commit being made, when it changes the roadmap.
roadlint_commit_msg() {
  roadlint_specs
  roadlint_git_paths diff --cached --quiet && return 0
  if command -v roadlint >/dev/null 2>&1; then
    roadlint commit-msg "$1" </dev/null || return 1
    return 0
  fi
  roadlint_missing || return 1
  return 0
}
roadlint_commit_msg "$1" || exit 1
