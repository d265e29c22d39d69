# Every commit landing on a branch or HEAD (amend, rebase, cherry-pick,
# --no-verify): only at `prepared`, only for HEAD and refs/heads/* moving to
# another commit (not deletions, not symbolic refs), only for commits no ref or
# reflog reached yet, and only when they change the roadmap; then roadlint
# judges just those commits. Standard input is given back to the rest of the
# hook as it came.
# Only the update's lines are read here; the rest (the pathspecs, git,
# roadlint) is the judging part, run only when there are tips to judge. It
# sits in this hook as `#|` comment lines, which sh skips cheaply (git runs
# this hook about fifteen times per rebased commit, and sh parses every
# byte of it each time). The first judging run copies it (sed) to
# .git/roadlint-judge, headed by its tag $roadlint_jv; later runs source
# that copy while it is newer than the hook and bears the tag (no process).
# Without the `#|` lines ($0 is not this file), roadlint finds and judges
# the new commits itself.
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
    roadlint_j=
    [ -n "${GIT_DIR:-}" ] || [ -h .git ] || [ ! -d .git ] || roadlint_j=.git/roadlint-judge
    if [ -n "$roadlint_j" ] && [ -f "$roadlint_j" ] && [ ! -h "$roadlint_j" ] && [ "$roadlint_j" -nt "$0" ] &&
      IFS= read -r roadlint_l <"$roadlint_j" && [ "$roadlint_l" = "# $roadlint_jv" ]; then
      . "./$roadlint_j"
    else
      roadlint_judge=$(sed -n 's/^#|//p' "$0" 2>/dev/null) || roadlint_judge=
      case $roadlint_judge in
        *"# $roadlint_jv end"*)
          if [ -n "$roadlint_j" ] && [ ! -h "$roadlint_j" ]; then
            { printf '# %s\n%s\n' "$roadlint_jv" "$roadlint_judge" >"$roadlint_j.$$" &&
              mv -f "$roadlint_j.$$" "$roadlint_j"; } 2>/dev/null || rm -f "$roadlint_j.$$" 2>/dev/null
          fi
          eval "$roadlint_judge"
          ;;
        *)
          if command -v roadlint >/dev/null 2>&1; then
            printf '%s' "$roadlint_stdin" | roadlint reference-transaction prepared || exit 1
          elif [ "$(git config --bool --get roadlint.requireHooks 2>/dev/null)" = true ]; then
            echo "roadlint: not found on PATH, and roadlint.requireHooks is true: this branch update is refused" >&2
            exit 1
          else
            echo "roadlint: not found on PATH; the roadmap sign-off gate did not run (CI still judges)" >&2
          fi
          ;;
      esac
    fi
  fi
  if [ -n "$roadlint_stdin" ]; then
    exec 0<<roadlint_EOF
${roadlint_stdin%"$roadlint_nl"}
roadlint_EOF
  else
    exec 0</dev/null
  fi
fi
