#!/usr/bin/env bash
# Whole-process benchmarks of roadlint against the git (and taplo) commands
# that do the same work, timed side by side by hyperfine so every ratio comes
# from one run on one machine. See bench/README.md.
#
#   bench/run.sh [--sizes 10000,100000,1000000] [--runs N] [--keep DIR]
#
# Installs hyperfine (apt) and taplo (PyPI, in bench/.venv) when missing,
# builds roadlint in release mode, generates the repositories with
# bench/gen_repo.py under a temporary directory, and prints a table of ratios
# next to their targets (issue 6).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
sizes="10000,100000,1000000"
runs=""
keep=""
while [ $# -gt 0 ]; do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --sizes=*) sizes="${1#*=}"; shift ;;
        --runs) runs="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

say() { printf '\n== %s\n' "$*" >&2; }

# --- tools -----------------------------------------------------------------
if ! command -v hyperfine >/dev/null 2>&1; then
    say "installing hyperfine (apt)"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get install -y hyperfine >/dev/null 2>&1 \
        || { $sudo apt-get update >/dev/null && $sudo apt-get install -y hyperfine >/dev/null; }
fi
venv="$here/.venv"
taplo="$venv/bin/taplo"
if [ ! -x "$taplo" ]; then
    say "installing taplo (PyPI) into bench/.venv"
    python3 -m venv "$venv"
    echo '*' >"$venv/.gitignore" # keep the venv out of git status
    "$venv/bin/pip" install --quiet taplo
fi
for tool in git python3 hyperfine; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done

# --- build -----------------------------------------------------------------
say "building roadlint (release)"
(cd "$root" && cargo build --release --quiet --bin roadlint)
target="${CARGO_TARGET_DIR:-$root/target}"
roadlint="$target/release/roadlint"
[ -x "$roadlint" ] || { echo "no binary at $roadlint" >&2; exit 2; }

work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/roadlint-bench.XXXXXX")}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
export ROADLINT_CACHE_DIR="$work/cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null NO_COLOR=1
results="$work/results.tsv"
: > "$results"

gen() { # gen OUT ARGS...: generate a repository unless it exists already
    local out="$1"; shift
    [ -d "$out/.git" ] || python3 "$here/gen_repo.py" --out "$out" "$@" >/dev/null
}

# hyperfine_pair NAME TARGET KIND DIR RUNS ROADLINT_CMD BASELINE_CMD [PREPARE]
# KIND: "ratio" (roadlint median / baseline median <= TARGET)
#       "faster" (ratio < 1)
hyperfine_pair() {
    local name="$1" tgt="$2" kind="$3" dir="$4" n="$5" ours="$6" theirs="$7" prep="${8:-}"
    local json="$work/$(echo "$name" | tr -c 'A-Za-z0-9' _).json"
    local args=(--style basic --runs "$n" --warmup 1 --export-json "$json" --ignore-failure)
    say "$name"
    if [ -n "$prep" ]; then
        (cd "$dir" && hyperfine "${args[@]}" --command-name roadlint --prepare "$prep" "$ours" \
            --command-name baseline --prepare true "$theirs" >&2)
    else
        (cd "$dir" && hyperfine "${args[@]}" -n roadlint "$ours" -n baseline "$theirs" >&2)
    fi
    python3 - "$json" "$name" "$tgt" "$kind" >>"$results" <<'PY'
import json, sys
path, name, target, kind = sys.argv[1:]
r = json.load(open(path))["results"]
ours, theirs = r[0]["median"], r[1]["median"]
ratio = ours / theirs
ok = ratio <= float(target) if kind == "ratio" else ratio < 1.0
shown = f"<= {target}x" if kind == "ratio" else "< 1.0x (faster)"
print(f"{name}\t{ours*1000:.1f} ms\t{theirs*1000:.1f} ms\t{ratio:.3f}x\t{shown}\t{'met' if ok else 'NOT MET'}")
PY
}

# A configuration with only locked-scope among the history rules.
locked_only_config() {
    sed -e 's/^history-debt-share .*/history-debt-share    = "off"/' \
        -e 's/^maturity-pipeline .*/maturity-pipeline     = "off"/' "$1/roadlint.toml" >"$2"
}

IFS=, read -r -a size_list <<<"$sizes"
largest=0
for n in "${size_list[@]}"; do
    [ "$n" -gt "$largest" ] && largest="$n"
    case "$n" in
        *000000) label="$((n / 1000000))M" ;;
        *000) label="$((n / 1000))k" ;;
        *) label="$n" ;;
    esac
    r="${runs:-$([ "$n" -ge 1000000 ] && echo 3 || ([ "$n" -ge 100000 ] && echo 5 || echo 10))}"
    for graph in graph nograph; do
        # the 1M repository is only measured with a commit-graph (as git gc leaves it)
        [ "$graph" = nograph ] && [ "$n" -ge 1000000 ] && continue
        repo="$work/repo-$label"
        if [ "$graph" = graph ]; then
            say "generating $n commits"
            gen "$repo-graph" --commits "$n" --commit-graph --locked-quarters 8
        else
            # the same repository without its commit-graph
            [ -d "$repo-nograph" ] || { cp -a "$repo-graph" "$repo-nograph"; rm -rf "$repo-nograph/.git/objects/info/commit-graph"*; }
        fi
        dir="$repo-$graph"
        cfg="$work/locked-only.toml"
        locked_only_config "$dir" "$cfg"
        gitlog="git log --no-merges --format=%ct%x00%s"
        hyperfine_pair "report cold vs git log [$label, $graph]" 0.5 ratio "$dir" "$r" \
            "$roadlint report --format json --quiet" "$gitlog" "rm -rf $ROADLINT_CACHE_DIR"
        hyperfine_pair "report warm cache vs git log [$label, $graph]" 0.05 ratio "$dir" "$r" \
            "$roadlint report --format json --quiet" "$gitlog"
        hyperfine_pair "check locked-scope vs git log -- roadmap [$label, $graph]" 1.0 ratio "$dir" "$r" \
            "$roadlint check --format json --quiet --no-cache --config $cfg" "git log --format=%H -- roadmap"
    done
done

# --- 10,000 roadmap files: check --no-history vs taplo lint -----------------
say "generating a roadmap of 10,000 files"
files="$work/files-10k"
gen "$files" --commits 12000 --roadmap-files 10000
count="$(find "$files/roadmap" -name '*.toml' | wc -l)"
say "$count roadmap files"
hyperfine_pair "check --no-history vs taplo lint [$count files]" 1.0 faster "$files" 10 \
    "$roadlint check --no-history --format json --quiet" "$taplo lint 'roadmap/**/*.toml'"

# --- pre-commit: 1,500 commits, 50 roadmap files, warm cache -----------------
say "pre-commit check on 1,500 commits and 50 roadmap files (warm cache)"
pc="$work/precommit"
gen "$pc" --commits 1500 --roadmap-files 50 --clean
(cd "$pc" && hyperfine --style basic --runs 50 --warmup 3 -N --ignore-failure \
    --export-json "$work/precommit.json" "$roadlint check --quiet" >&2)
python3 - "$work/precommit.json" >>"$results" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))["results"][0]["median"] * 1000
print(f"pre-commit check, 1,500 commits, 50 files (median)\t{m:.1f} ms\t-\t-\t<= 20 ms\t{'met' if m <= 20 else 'NOT MET'}")
PY

# --- peak memory of the largest scan ----------------------------------------
# Total peak RSS includes the mapped pack files (file-backed pages); the
# anonymous part is what the process allocated itself. git log is measured
# the same way for scale.
for mode in --no-cache cold; do
    dir="$work/repo-$( [ "$largest" -ge 1000000 ] && echo "$((largest / 1000000))M" || echo "$((largest / 1000))k")-graph"
    rm -rf "$ROADLINT_CACHE_DIR"
    flag=""; [ "$mode" = --no-cache ] && flag="--no-cache"
    say "peak RSS, report on $largest commits ($mode)"
    read -r ours ours_anon < <(cd "$dir" && python3 "$here/rss.py" "$roadlint" report --format json --quiet $flag)
    read -r theirs theirs_anon < <(cd "$dir" && python3 "$here/rss.py" git log --no-merges --format=%ct%x00%s)
    mb=$((ours / 1024))
    ok="NOT MET"; [ "$mb" -le 64 ] && ok="met"
    printf 'peak RSS, %s-commit scan (%s)\t%s MB (anon %s MB)\t%s MB (anon %s MB)\t-\t<= 64 MB\t%s\n' \
        "$largest" "$mode" "$mb" "$((ours_anon / 1024))" "$((theirs / 1024))" "$((theirs_anon / 1024))" "$ok" >>"$results"
done

# --- summary ----------------------------------------------------------------
echo
echo "roadlint $("$roadlint" --version 2>/dev/null | awk '{print $2}') | $(git --version) | taplo $("$taplo" --version 2>/dev/null | awk '{print $2}') | hyperfine $(hyperfine --version | awk '{print $2}')"
echo "nproc: $(nproc) | $(uname -sm) | load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
{
    printf 'benchmark\troadlint\tbaseline\tratio\ttarget\tstatus\n'
    cat "$results"
} | column -t -s "$(printf '\t')"
