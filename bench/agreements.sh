#!/usr/bin/env bash
# Issue 23's closing measurement: what judging history "with the rules as
# they stood" costs. Times `roadlint check` of two builds (BEFORE and AFTER),
# cold (cache emptied before each run) and warm, next to two git commands on
# the same repository, all in ONE hyperfine invocation per repository so each
# ratio is taken under the same load. See bench/README.md, "Agreements as they
# stood (issue 23)".
#
#   bench/agreements.sh --before BIN --after BIN [--runs N] REPO...
#
# Prints, per repository, each binary's verdict (exit code and diagnostic
# count of `check --format json --no-cache`) and a table of medians and
# ratios against `git log --format=%H%x00%s`.
set -euo pipefail

before="" after="" runs=3 repos=()
while [ $# -gt 0 ]; do
    case "$1" in
        --before) before="$2"; shift 2 ;;
        --after) after="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "unknown argument: $1" >&2; exit 2 ;;
        *) repos+=("$1"); shift ;;
    esac
done
[ -x "$before" ] && [ -x "$after" ] && [ "${#repos[@]}" -gt 0 ] \
    || { echo "usage: $0 --before BIN --after BIN [--runs N] REPO..." >&2; exit 2; }
for tool in git python3 hyperfine; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
before="$(cd "$(dirname "$before")" && pwd)/$(basename "$before")"
after="$(cd "$(dirname "$after")" && pwd)/$(basename "$after")"

work="$(mktemp -d "${TMPDIR:-/tmp}/roadlint-agreements.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null NO_COLOR=1

verdict() { # verdict BIN: "exit N, D diagnostics (E errors)" of a --no-cache check
    local out="$work/verdict.json" code=0
    "$1" check --format json --no-cache >"$out" 2>"$work/verdict.err" || code=$?
    python3 - "$out" "$code" <<'PY'
import json, sys
path, code = sys.argv[1:]
try:
    doc = json.load(open(path))
except ValueError:
    print(f"exit {code}, output not JSON"); sys.exit()
diags = doc.get("diagnostics", doc) if isinstance(doc, dict) else doc
by = {}
for d in diags:
    key = (d.get("severity", "?"), d.get("rule", "?"))
    by[key] = by.get(key, 0) + 1
detail = ", ".join(f"{n} {s} {r}" for (s, r), n in sorted(by.items()))
print(f"exit {code}, {len(diags)} diagnostics ({detail or 'none'})")
PY
}

for repo in "${repos[@]}"; do
    repo="$(cd "$repo" && pwd)"
    name="$(basename "$repo")"
    commits="$(git -C "$repo" rev-list --count HEAD)"
    printf '\n== %s (%s commits)\n' "$name" "$commits"
    printf 'before: %s\nafter:  %s\n' "$(cd "$repo" && verdict "$before")" "$(cd "$repo" && verdict "$after")"
    json="$work/$name.json"
    cb="$work/cache-before" ca="$work/cache-after"
    wb="$work/warm-before" wa="$work/warm-after"
    # Cold runs empty their own cache first; warm runs fill theirs in the
    # warm-up round and reuse it after.
    (cd "$repo" && hyperfine --style basic --runs "$runs" --warmup 1 --ignore-failure \
        --export-json "$json" \
        -n "before cold" --prepare "rm -rf $cb" "env ROADLINT_CACHE_DIR=$cb $before check --format json" \
        -n "before warm" --prepare true "env ROADLINT_CACHE_DIR=$wb $before check --format json" \
        -n "after cold" --prepare "rm -rf $ca" "env ROADLINT_CACHE_DIR=$ca $after check --format json" \
        -n "after warm" --prepare true "env ROADLINT_CACHE_DIR=$wa $after check --format json" \
        -n "git log %H%x00%s" --prepare true "git log --format=%H%x00%s" \
        -n "git log -- roadmap" --prepare true "git log --format=%H -- roadmap" >&2)
    python3 - "$json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
base, path = r["git log %H%x00%s"], r["git log -- roadmap"]
print(f"{'command':<20} {'median':>10} {'vs git log':>11} {'vs -- roadmap':>14}")
for k, v in r.items():
    print(f"{k:<20} {v * 1000:>8.0f} ms {v / base:>10.2f}x {v / path:>13.2f}x")
for mode in ("cold", "warm"):
    print(f"after/before {mode}: {r['after ' + mode] / r['before ' + mode]:.2f}x")
PY
done
echo
echo "$(git --version) | hyperfine $(hyperfine --version | awk '{print $2}') | nproc $(nproc) | load average: $(cut -d' ' -f1-3 /proc/loadavg)"
