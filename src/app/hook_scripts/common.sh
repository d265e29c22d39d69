roadlint_nl='
'
# The paths roadlint judges, as git pathspecs one a line in $roadlint_s: the
# roadmap globs, the presets (extends) and the sign-off files named by
# ./roadlint.toml, roadlint.toml itself, and .roadlint.
roadlint_specs() {
  roadlint_s="roadlint.toml$roadlint_nl.roadlint$roadlint_nl"
  roadlint_sec= roadlint_list= roadlint_globs=
  if [ -f roadlint.toml ]; then
    while IFS= read -r roadlint_l || [ -n "$roadlint_l" ]; do
      case $roadlint_l in '#'* | '') continue ;; esac
      roadlint_l=${roadlint_l%%#*}
      roadlint_l=${roadlint_l#"${roadlint_l%%[![:space:]]*}"}
      if [ -n "$roadlint_list" ]; then
        roadlint_take "$roadlint_list" "$roadlint_l"
        case $roadlint_l in *']'*) roadlint_list= ;; esac
        continue
      fi
      case $roadlint_l in '['*) roadlint_sec=$roadlint_l && continue ;; esac
      roadlint_p=
      case $roadlint_sec/$roadlint_l in
        /roadmap*=*) roadlint_p=':(glob)' roadlint_globs=1 ;;
        /extends*=*) roadlint_p=':(literal)' ;;
        '[[roadmap]]'*/files*=*) roadlint_p=':(glob)' roadlint_globs=1 ;;
        '[signoff]'*/approvals*=* | '[signoff]'*/allowed_signers*=*) roadlint_p=':(literal)' ;;
      esac
      [ -n "$roadlint_p" ] || continue
      roadlint_l=${roadlint_l#*=}
      roadlint_take "$roadlint_p" "$roadlint_l"
      case $roadlint_l in *'['*']'*) ;; *'['*) roadlint_list=$roadlint_p ;; esac
    done <roadlint.toml
  fi
  [ -n "$roadlint_globs" ] || roadlint_s="$roadlint_s:(glob)roadmap/**/*.toml$roadlint_nl"
  return 0
}
# Append every quoted string of $2 to $roadlint_s, prefixed with $1.
roadlint_take() {
  roadlint_r=$2
  while :; do
    case $roadlint_r in *[\"\']*) ;; *) return 0 ;; esac
    roadlint_r=${roadlint_r#"${roadlint_r%%[\"\']*}"}
    roadlint_q=${roadlint_r%"${roadlint_r#?}"}
    roadlint_r=${roadlint_r#?}
    case $roadlint_r in *"$roadlint_q"*) ;; *) return 0 ;; esac
    roadlint_s="$roadlint_s$1${roadlint_r%%"$roadlint_q"*}$roadlint_nl"
    roadlint_r=${roadlint_r#*"$roadlint_q"}
  done
}
# Run `git "$@" -- <the paths of roadlint_specs>`.
roadlint_git_paths() {
  roadlint_r=$roadlint_s
  set -- "$@" --
  while [ -n "$roadlint_r" ]; do
    set -- "$@" "${roadlint_r%%"$roadlint_nl"*}"
    roadlint_r=${roadlint_r#*"$roadlint_nl"}
  done
  git "$@"
}
# roadlint is not on PATH and the change touches the roadmap: refuse it when
# roadlint.requireHooks is true (unless $1 is "warn"), else warn once per git
# command (hooks run by the same git process share the warning).
roadlint_missing() {
  if [ "$1" != warn ] && [ "$(git config --bool --get roadlint.requireHooks 2>/dev/null)" = true ]; then
    echo "roadlint: not found on PATH, and roadlint.requireHooks is true: this change to the roadmap is refused" >&2
    echo "roadlint: install roadlint (see its README, Install), or run git with -c roadlint.requireHooks=false" >&2
    return 1
  fi
  roadlint_w=$(git rev-parse --git-path roadlint-warned 2>/dev/null) || roadlint_w=
  roadlint_p=
  if [ -n "$roadlint_w" ] && [ -f "$roadlint_w" ]; then
    read -r roadlint_p <"$roadlint_w" || roadlint_p=
  fi
  if [ "$roadlint_p" != "$PPID" ]; then
    echo "roadlint: not found on PATH; the roadmap sign-off gate did not run (CI still judges)" >&2
    echo "roadlint: install roadlint (see its README, Install), or set roadlint.requireHooks to refuse such changes" >&2
    if [ -n "$roadlint_w" ]; then echo "$PPID" >"$roadlint_w" 2>/dev/null || :; fi
  fi
  return 0
}
