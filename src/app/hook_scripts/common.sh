roadlint_nl='
'
# The first line of the pathspec cache; a cache written by another version
# of this block (another parse below) is not read.
roadlint_v='roadlint pathspecs 1'
# The paths roadlint judges, as git pathspecs one a line in $roadlint_s: the
# roadmap globs, the presets (extends) and the sign-off files named by
# ./roadlint.toml, roadlint.toml itself, and .roadlint. Parsing the file in
# the shell costs ~2 ms (sh reads it byte by byte), so the result is cached
# in the git directory (never the work tree) and reused while the cache is
# strictly newer than roadlint.toml and than the root directory (a file
# renamed into place, keeping an older time, changes the directory). The
# cache is emptied before the parse and filled after it only if
# roadlint.toml did not change meanwhile, so its time is never earlier than
# the roadlint.toml it holds; timestamps are compared with nanoseconds by
# `test -nt`, and an equal time (one clock tick) is a miss. Only a
# roadlint.toml rewritten in place and then given an older time (`touch
# -d`, `cp -p`) goes unseen, until the file or the directory changes again.
roadlint_specs() {
  roadlint_c=
  if [ -f roadlint.toml ] && roadlint_gitdir; then
    roadlint_c=$roadlint_g/roadlint-pathspecs
  fi
  if [ -n "$roadlint_c" ] && [ "$roadlint_c" -nt roadlint.toml ] && [ "$roadlint_c" -nt . ] &&
    roadlint_cached <"$roadlint_c" 2>/dev/null; then
    return 0
  fi
  if [ -n "$roadlint_c" ] && [ ! -h "$roadlint_c" ] && printf '' 2>/dev/null >"$roadlint_c"; then
    roadlint_parse
    if [ "$roadlint_c" -nt roadlint.toml ] && [ "$roadlint_c" -nt . ]; then
      printf '%s\n%s.\n' "$roadlint_v" "$roadlint_s" 2>/dev/null >"$roadlint_c" || :
    fi
    return 0
  fi
  roadlint_parse
}
# The git directory of the work tree the hook runs at (git runs hooks at its
# root) in $roadlint_g, found without starting a process: `.git`, or the
# directory a `.git` file names (a linked worktree, a submodule). Fails
# (empty) when GIT_DIR is set or there is no `.git`: nothing is cached then.
roadlint_gitdir() {
  roadlint_g=
  [ -z "${GIT_DIR:-}" ] || return 1
  if [ -d .git ]; then
    roadlint_g=.git
  elif [ -f .git ] && read -r roadlint_l <.git && [ -d "${roadlint_l#gitdir: }" ]; then
    roadlint_g=${roadlint_l#gitdir: }
  fi
  [ -n "$roadlint_g" ]
}
# Read the cache on standard input into $roadlint_s: its first line is
# $roadlint_v and its last a lone `.` (a cache cut short is not used).
roadlint_cached() {
  IFS= read -r roadlint_l && [ "$roadlint_l" = "$roadlint_v" ] || return 1
  roadlint_s=
  while IFS= read -r roadlint_l; do
    [ "$roadlint_l" = . ] && [ -n "$roadlint_s" ] && return 0
    roadlint_s="$roadlint_s$roadlint_l$roadlint_nl"
  done
  return 1
}
# Parse ./roadlint.toml into $roadlint_s (see roadlint_specs).
roadlint_parse() {
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
