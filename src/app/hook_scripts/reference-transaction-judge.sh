# The judging part of the reference-transaction block, run (by `eval`) only
# when an update moves HEAD or a branch to another commit: the block keeps
# it as a quoted string, which sh skips over without parsing it — git runs
# the hook about fifteen times per rebased commit, and parsing these
# functions on every run cost more than the judging itself.
roadlint_reference_transaction() {
  roadlint_specs
  set --
  roadlint_r=$roadlint_tips$roadlint_olds
  while [ -n "$roadlint_r" ]; do
    set -- "$@" "${roadlint_r%%"$roadlint_nl"*}"
    roadlint_r=${roadlint_r#*"$roadlint_nl"}
  done
  # Cheap first: the new commits are among those the updated refs' old
  # values and HEAD do not reach (`--not --all` reads every ref, thousands
  # in a big clone). Should git fail here, the exact test below decides.
  if roadlint_r=$(roadlint_git_paths rev-list -n1 --full-history --ignore-missing "$@" ^HEAD); then
    [ -n "$roadlint_r" ] || return 0
  fi
  set --
  roadlint_r=$roadlint_tips
  while [ -n "$roadlint_r" ]; do
    set -- "$@" "${roadlint_r%%"$roadlint_nl"*}"
    roadlint_r=${roadlint_r#*"$roadlint_nl"}
  done
  [ -n "$(roadlint_git_paths rev-list -n1 --full-history "$@" --not --all)" ] || return 0
  # The new commits: reached by no ref and by no reflog entry (a reset back
  # to where HEAD was brings nothing new).
  # (Should git fail to list them, roadlint is given none and finds them.)
  if roadlint_r=$(git rev-list --reverse "$@" --not --all --reflog); then
    [ -n "$roadlint_r" ] || return 0
  else
    roadlint_r=
  fi
  if command -v roadlint >/dev/null 2>&1; then
    set --
    while [ -n "$roadlint_r" ]; do
      set -- "$@" "${roadlint_r%%"$roadlint_nl"*}"
      case $roadlint_r in *"$roadlint_nl"*) roadlint_r=${roadlint_r#*"$roadlint_nl"} ;; *) roadlint_r= ;; esac
    done
    printf '%s' "$roadlint_stdin" | roadlint reference-transaction prepared "$@" || return 1
    return 0
  fi
  roadlint_missing || return 1
  return 0
}
roadlint_reference_transaction || exit 1
