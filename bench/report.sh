#!/usr/bin/env bash
# `roadlint report --format json` on a generated repository with a realistic
# mix of commits (bots, bursts, reverts, item ids in subjects, rebases; see
# `bench/gen_repo.py --mix realistic`), timed cold (cache emptied before each
# run) and warm by hyperfine side by side with the git log that reads the
# same data (committer time, author email, author time, subject), then the
# per-quarter debt share by commits and by author-days. See bench/README.md.
#
#   bench/report.sh [--commits N] [--runs N] [--keep DIR] [--roadlint BIN]
#
# --commits  size of the repository (default 100000)
# --runs     hyperfine runs per command (default 5)
# --keep     generate into DIR and keep it (reused when it exists)
# --roadlint use this binary instead of building the release one
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
commits=100000
runs=5
keep=""
roadlint=""
while [ $# -gt 0 ]; do
    case "$1" in
        --commits) commits="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        --roadlint) roadlint="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

say() { printf '\n== %s\n' "$*" >&2; }

if ! command -v hyperfine >/dev/null 2>&1; then
    say "installing hyperfine (apt)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y hyperfine >/dev/null 2>&1 \
        || { $sudo apt-get update >/dev/null && $sudo apt-get install -y hyperfine >/dev/null; }
fi
for tool in git python3 hyperfine; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done

if [ -z "$roadlint" ]; then
    say "building roadlint (release)"
    (cd "$root" && cargo build --release --quiet --bin roadlint)
    roadlint="${CARGO_TARGET_DIR:-$root/target}/release/roadlint"
fi
[ -x "$roadlint" ] || { echo "no binary at $roadlint" >&2; exit 2; }
roadlint="$(cd "$(dirname "$roadlint")" && pwd)/$(basename "$roadlint")"

work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/roadlint-report.XXXXXX")}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
export ROADLINT_CACHE_DIR="$work/cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null NO_COLOR=1

repo="$work/repo-$commits-mix"
manifest="$work/manifest-$commits-mix.json"
if [ ! -d "$repo/.git" ]; then
    say "generating $commits commits (--mix realistic)"
    python3 "$here/gen_repo.py" --out "$repo" --commits "$commits" --mix realistic \
        --commit-graph --manifest "$manifest" >&2
fi

gitlog='git log --no-merges --format=%ct%x00%ae%x00%at%x00%s'
ours="$roadlint report --format json --quiet"
args=(--style basic --runs "$runs" --warmup 1 --ignore-failure)

say "report cold vs git log"
(cd "$repo" && hyperfine "${args[@]}" --export-json "$work/cold.json" \
    --command-name roadlint --prepare "rm -rf '$ROADLINT_CACHE_DIR'" "$ours" \
    --command-name baseline --prepare true "$gitlog" >&2)
say "report warm vs git log"
(cd "$repo" && hyperfine "${args[@]}" --export-json "$work/warm.json" \
    -n roadlint "$ours" -n baseline "$gitlog" >&2)
(cd "$repo" && $ours >"$work/report.json") || true

python3 - "$work" "$manifest" "$commits" <<'PY'
import json, os, sys
work, manifest, commits = sys.argv[1:]
rows = []
for name, target in (("cold", 0.65), ("warm", 0.05)):
    r = json.load(open(os.path.join(work, f"{name}.json")))["results"]
    ours, theirs = r[0]["median"], r[1]["median"]
    ratio = ours / theirs
    rows.append((f"report {name} vs git log [{int(commits) // 1000}k, mix]", f"{ours * 1000:.1f} ms",
                 f"{theirs * 1000:.1f} ms", f"{ratio:.3f}x", f"<= {target}x",
                 "met" if ratio <= target else "NOT MET"))
head = ("benchmark", "roadlint", "git log", "ratio", "target", "status")
widths = [max(len(x[i]) for x in rows + [head]) for i in range(len(head))]
print()
for row in [head] + rows:
    print("  ".join(c.ljust(w) for c, w in zip(row, widths)))

# Per quarter: the generator's reference figures (SPEC v2, bots left out)
# next to what roadlint reported.
ref = {}
if os.path.exists(manifest):
    ref = {q["quarter"]: q.get("v2") or {} for q in json.load(open(manifest))["quarters"]}
try:
    report = {q["quarter"]: q for q in json.load(open(os.path.join(work, "report.json")))["quarters"]}
except (OSError, ValueError, KeyError):
    report = {}
def pct(v):
    return "-" if v is None else f"{100 * v:.1f}%"
print()
head = ("quarter", "bots", "share by commits", "share by author-days", "roadlint actual",
        "roadlint planned")
rows = []
for q in sorted(set(ref) | set(report)):
    v, r = ref.get(q, {}), report.get(q, {})
    rows.append((q, str(v.get("ignored_commits", "-")), pct(v.get("debt_share_by_commits")),
                 pct(v.get("debt_share_by_author_days")), pct(r.get("actual_debt_share")),
                 pct(r.get("planned_debt_share"))))
widths = [max(len(x[i]) for x in rows + [head]) for i in range(len(head))]
for row in [head] + rows:
    print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
PY
echo
echo "roadlint $("$roadlint" --version 2>/dev/null | awk '{print $2}') | $(git --version) | hyperfine $(hyperfine --version | awk '{print $2}')"
echo "nproc: $(nproc) | load average: $(cut -d' ' -f1-3 /proc/loadavg)"
