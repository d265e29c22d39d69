# Every commit landing on a branch or HEAD (amend, rebase, cherry-pick,
# --no-verify): only at `prepared`, only for HEAD and refs/heads/* moving to
# another commit (not deletions, not symbolic refs), only for commits no ref or
# reflog reached yet, and only when they change the roadmap; then roadlint
# judges just those commits. Standard input is given back to the rest of the
# hook as it came.
roadlint_reference_transaction() {
  roadlint_tips= roadlint_olds=
  while IFS= read -r roadlint_l || [ -n "$roadlint_l" ]; do
    roadlint_stdin="$roadlint_stdin$roadlint_l$roadlint_nl"
    roadlint_o=${roadlint_l%% *}
    roadlint_r=${roadlint_l#* }
    roadlint_n=${roadlint_r%% *}
    # A ref set to the value it has brings nothing.
    [ "$roadlint_o" != "$roadlint_n" ] || continue
    case $roadlint_o in *[!0-9a-f]*) ;; *[!0]*) roadlint_olds="$roadlint_olds^$roadlint_o$roadlint_nl" ;; esac
    case ${roadlint_r#* } in HEAD | refs/heads/*) ;; *) continue ;; esac
    case $roadlint_n in ref:* | *[!0-9a-f]*) continue ;; *[!0]*) ;; *) continue ;; esac
    roadlint_tips="$roadlint_tips$roadlint_n$roadlint_nl"
  done
  [ -n "$roadlint_tips" ] || return 0
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
if [ "$1" = prepared ]; then
  roadlint_stdin=
  roadlint_reference_transaction || exit 1
  if [ -n "$roadlint_stdin" ]; then
    exec 0<<roadlint_EOF
${roadlint_stdin%"$roadlint_nl"}
roadlint_EOF
  else
    exec 0</dev/null
  fi
fi
