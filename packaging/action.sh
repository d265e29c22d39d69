#!/usr/bin/env bash
# The body of the GitHub Action (action.yml): install the prebuilt roadlint and
# run `roadlint check` three ways:
#   - the human report, in the log and in the job summary (GitHub shows at most
#     10 annotations of each kind per step, so the full report is printed too);
#   - `--format github`: workflow annotations on the roadmap lines;
#   - `--format sarif` into INPUT_SARIF when it is set, for code scanning.
# The step fails when roadlint exits non-zero (1: error-level diagnostics,
# 2: roadlint could not do its job), after every report has been written; the
# SARIF file is written in both cases (when roadlint could not run, a SARIF
# run with `executionSuccessful: false`). The worst exit code is the step's.
#
# Inputs (environment): INPUT_VERSION (empty: this action's Cargo.toml
# version), INPUT_ARGS (extra `check` arguments, whitespace-separated),
# INPUT_SARIF (a path; empty: no SARIF). Runner variables used when set:
# GITHUB_WORKSPACE, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_PATH, RUNNER_TEMP.
set -euo pipefail

action_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

version=${INPUT_VERSION:-}
version=${version#v}
if [ -z "$version" ]; then
  # The first `version =` of Cargo.toml is the package's (its first table).
  version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$action_root/Cargo.toml" | head -n 1)
fi
if [ -z "$version" ]; then
  echo "::error::roadlint action: no version given and none found in $action_root/Cargo.toml"
  exit 2
fi

# Install, unless this version is already on PATH (a second use in one job).
on_path_version() {
  command -v roadlint >/dev/null 2>&1 || return 0
  roadlint --version 2>/dev/null | sed -n 's/^roadlint \([^ ]*\).*/\1/p' | head -n 1
}
if [ "$(on_path_version)" = "$version" ]; then
  echo "roadlint $version is already installed"
else
  # The first Python 3.8+ that runs (on Windows `python3` may be a stub that
  # only opens the Store).
  python=
  for candidate in python3 python; do
    if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info < (3, 8))' >/dev/null 2>&1; then
      python=$candidate
      break
    fi
  done
  if [ -z "$python" ]; then
    echo "::error::roadlint action: python3 is needed to install roadlint (actions/setup-python)"
    exit 2
  fi
  venv="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/roadlint-venv-$version"
  "$python" -m venv "$venv"
  bin="$venv/bin"
  [ -d "$venv/Scripts" ] && bin="$venv/Scripts"
  # The published wheel of this version; before it is published (no release
  # tagged yet, or an action ref between releases), build roadlint from this
  # action's own checkout: the wheel when maturin can be had, else cargo.
  if ! "$bin/python" -m pip install --quiet --disable-pip-version-check "roadlint==$version" 2>/dev/null; then
    echo "roadlint $version has no published wheel: building it from the action's checkout ($action_root)"
    wheels="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/roadlint-wheel-$version"
    if "$bin/python" -m pip install --quiet --disable-pip-version-check maturin &&
      PATH="$bin:$PATH" "$action_root/packaging/build-wheel" "$wheels" >&2; then
      "$bin/python" -m pip install --quiet --disable-pip-version-check --no-index --find-links "$wheels" "roadlint==$version"
    elif command -v cargo >/dev/null 2>&1; then
      cargo install --quiet --locked --path "$action_root" --root "$venv"
    else
      echo "::error::roadlint action: no wheel of roadlint $version is published and neither maturin nor cargo could build one"
      exit 2
    fi
  fi
  export PATH="$bin:$PATH"
  if [ -n "${GITHUB_PATH:-}" ]; then
    if command -v cygpath >/dev/null 2>&1; then
      cygpath -w "$bin" >>"$GITHUB_PATH"
    else
      echo "$bin" >>"$GITHUB_PATH"
    fi
  fi
  echo "installed $(roadlint --version)"
fi

cd "${GITHUB_WORKSPACE:-.}"

args=()
if [ -n "${INPUT_ARGS:-}" ]; then
  read -r -d '' -a args <<<"$INPUT_ARGS" || true
fi

status=0
# Run `roadlint check` with the given arguments; keep the worst exit code.
check() {
  local code=0
  roadlint check "$@" ${args[@]+"${args[@]}"} || code=$?
  if [ "$code" -gt "$status" ]; then
    status=$code
  fi
  return 0
}

# 1. The full human report, in the log and in the job summary.
report=$(mktemp)
check --format human --color never >"$report" 2>&1
cat "$report"
if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  case $status in
    0) verdict="passed" ;;
    1) verdict="failed: error-level diagnostics" ;;
    *) verdict="could not run (exit $status)" ;;
  esac
  {
    echo "### roadlint $version: $verdict"
    echo
    echo '````text'
    head -c 900000 "$report"
    echo
    echo '````'
  } >>"$GITHUB_STEP_SUMMARY"
fi
rm -f "$report"

# 2. Workflow annotations.
check --format github

# 3. SARIF for code scanning.
sarif=${INPUT_SARIF:-}
if [ -n "$sarif" ]; then
  mkdir -p "$(dirname "$sarif")"
  before=$status status=0
  check --format sarif >"$sarif"
  if [ ! -s "$sarif" ]; then
    # roadlint stopped before writing a report: leave a valid SARIF that says
    # so rather than an empty file the upload step would reject.
    cat >"$sarif" <<EOF
{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"roadlint","version":"$version"}},"results":[],"invocations":[{"executionSuccessful":false,"exitCode":$status,"toolExecutionNotifications":[{"level":"error","message":{"text":"roadlint exited with code $status without a SARIF report; the step log has its message"}}]}]}]}
EOF
  fi
  if [ "$before" -gt "$status" ]; then
    status=$before
  fi
  echo "wrote SARIF to $sarif"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$status"
    echo "sarif=$sarif"
  } >>"$GITHUB_OUTPUT"
fi
exit "$status"
