# Every commit landing on a branch or HEAD (amend, rebase, cherry-pick,
# --no-verify): only at `prepared`, only for HEAD and refs/heads/* moving to
# another commit (not deletions, not symbolic refs), only for commits no ref or
# reflog reached yet, and only when they change the roadmap; then roadlint
# judges just those commits. Standard input is given back to the rest of the
# hook as it came.
# Only the update's lines are read here; the rest (the pathspecs, git, roadlint)
# is in $roadlint_judge, evaluated only when there are tips to judge.
if [ "$1" = prepared ]; then
  roadlint_stdin=
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
  if [ -n "$roadlint_tips" ]; then
    eval "$roadlint_judge"
  fi
  if [ -n "$roadlint_stdin" ]; then
    exec 0<<roadlint_EOF
${roadlint_stdin%"$roadlint_nl"}
roadlint_EOF
  else
    exec 0</dev/null
  fi
fi
