#!/usr/bin/env bash
# Issue 28's closing measurement: what attributing commits to several
# `[[roadmap]]`s costs. One generated repository (`bench/gen_repo.py`, 100k
# commits by default) is checked and reported twice: declared as ONE roadmap
# (the generator's own `roadlint.toml`) and as THREE (`[[roadmap]]` entries
# splitting its roadmap files, with `code` globs over its `src/` modules that
# overlap on one shared folder, `src/util/**`). Both configurations are
# passed with `--config` from outside the repository, so the history and
# everything else stay the same. Each command is run cold (history cache
# emptied before each run) and warm (cache filled by a run before), the two
# configurations taking turns, and timed with /usr/bin/time; the table
# shows medians of wall and CPU (user + system) seconds and what the
# three-roadmap runs add to each, and the median of what each three-roadmap
# run added to the one-roadmap run of its round ("paired": the two ran
# seconds apart, so a drift of the machine's speed over the whole run
# cancels out).
#
#   bench/monorepo.sh [--commits N] [--runs N] [--keep DIR] [--roadlint BIN]
#                     [--commit-graph]
#
# --commits      size of the repository (default 100000)
# --runs         runs per configuration and row (default 3)
# --keep         generate into DIR and keep it (reused when it exists)
# --roadlint     use this binary instead of building the release one
# --commit-graph measure a copy of the repository with a commit-graph, as
#                `git gc` leaves one (the generated one has none, as a fresh
#                clone has none: roadlint then reads every commit, and does
#                the planning check and attribution on the core that leaves
#                idle)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
commits=100000
runs=3
keep=""
roadlint=""
graph=""
while [ $# -gt 0 ]; do
    case "$1" in
        --commits) commits="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --keep) keep="$2"; shift 2 ;;
        --roadlint) roadlint="$2"; shift 2 ;;
        --commit-graph) graph=1; shift ;;
        -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

say() { printf '\n== %s\n' "$*" >&2; }
for tool in git python3; do
    command -v "$tool" >/dev/null || { echo "$tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (Debian: apt-get install time)" >&2; exit 2; }

if [ -z "$roadlint" ]; then
    say "building roadlint (release)"
    (cd "$root" && cargo build --release --quiet --bin roadlint)
    roadlint="${CARGO_TARGET_DIR:-$root/target}/release/roadlint"
fi
[ -x "$roadlint" ] || { echo "no binary at $roadlint" >&2; exit 2; }
roadlint="$(cd "$(dirname "$roadlint")" && pwd)/$(basename "$roadlint")"

work="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/roadlint-monorepo.XXXXXX")}"
mkdir -p "$work"
[ -n "$keep" ] || trap 'rm -rf "$work"' EXIT
export ROADLINT_CACHE_DIR="$work/cache"
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null NO_COLOR=1

repo="$work/mono"
if [ ! -d "$repo/.git" ]; then
    say "generating $commits commits"
    python3 "$here/gen_repo.py" --out "$repo" --commits "$commits" >&2
fi
if [ -n "$graph" ]; then
    if [ ! -d "$work/mono-graph/.git" ]; then
        say "copying it, with a commit-graph"
        rm -rf "$work/mono-graph"
        cp -a "$repo" "$work/mono-graph"
        git -C "$work/mono-graph" commit-graph write --reachable
    fi
    repo="$work/mono-graph"
fi

# One roadmap: the generator's configuration as it is.
git -C "$repo" show HEAD:roadlint.toml >"$work/one.toml"
# Three roadmaps: the same configuration, its `roadmap` globs replaced by
# three teams' entries (tables go last in TOML).
grep -v '^roadmap *=' "$work/one.toml" >"$work/three.toml"
cat >>"$work/three.toml" <<'EOF'

[[roadmap]]
name  = "growth"
files = ["roadmap/*-Q1.toml", "roadmap/*-Q2.toml"]
code  = ["src/api/**", "src/auth/**", "src/billing/**", "src/util/**"]

[[roadmap]]
name  = "core"
files = ["roadmap/*-Q3.toml", "roadmap/*-Q4.toml"]
code  = ["src/cli/**", "src/core/**", "src/db/**", "src/util/**"]

[[roadmap]]
name  = "experience"
files = ["roadmap/kpis.toml", "roadmap/technology.toml", "roadmap/requests/*.toml"]
code  = ["src/search/**", "src/sync/**", "src/ui/**", "src/util/**", "docs/**"]
EOF

# once NAME CONFIG COMMAND MODE: one timed run, its times appended to
# $work/times-NAME. Each configuration has its own history cache, emptied
# before a cold run.
once() {
    local name="$1" config="$2" command="$3" mode="$4"
    local cache="$work/cache-$name"
    local cmd=("$roadlint" "$command" --config "$config" --quiet --format json)
    [ "$mode" = cold ] && rm -rf "$cache"
    (cd "$repo" && ROADLINT_CACHE_DIR="$cache" /usr/bin/time -o "$work/times-$name" -a \
        -f '%e %U %S %M' "${cmd[@]}" >"$work/$name-$command-$mode.out" 2>/dev/null) || true
}

# medians NAME: "median-wall median-cpu max-rss" of $work/times-NAME.
medians() {
    python3 - "$work/times-$1" <<'EOF'
import statistics, sys
# /usr/bin/time adds "Command exited with non-zero status 1" (check finds errors).
rows = [list(map(float, l.split())) for l in open(sys.argv[1]) if l[:1].isdigit()]
wall = statistics.median(r[0] for r in rows)
cpu = statistics.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"{wall:.2f} {cpu:.2f} {rss:.0f}")
EOF
}

# paired: the median over rounds of what the three-roadmap run added to the
# one-roadmap run of the same round, wall and CPU, in percent.
paired() {
    python3 - "$work/times-one" "$work/times-three" <<'EOF'
import statistics, sys
runs = [[list(map(float, l.split())) for l in open(f) if l[:1].isdigit()] for f in sys.argv[1:]]
pairs = [(o, t) for o, t in zip(*runs) if o[0] > 0 and o[1] + o[2] > 0]
if not pairs:
    print("- -")
else:
    wall = statistics.median((t[0] - o[0]) / o[0] * 100 for o, t in pairs)
    cpu = statistics.median((t[1] + t[2] - o[1] - o[2]) / (o[1] + o[2]) * 100 for o, t in pairs)
    print(f"{wall:+.1f}% {cpu:+.1f}%")
EOF
}

# added BEFORE AFTER: the change, in percent ("-" when BEFORE rounds to 0:
# a warm run's CPU is under /usr/bin/time's 10 ms).
added() { python3 -c "b, a = $1, $2; print(f'{(a - b) / b * 100:+.1f}%' if b > 0 else '-')"; }

say "load: $(uptime)"
printf '%-8s %-5s %9s %9s %10s %10s %10s %10s %12s %11s\n' command cache "one wall" "one cpu" \
    "three wall" "three cpu" "wall added" "cpu added" "paired wall" "paired cpu"
for command in check report; do
    for mode in cold warm; do
        : >"$work/times-one"
        : >"$work/times-three"
        if [ "$mode" = warm ]; then
            rm -rf "$work/cache-one" "$work/cache-three"
            for name in one three; do
                (cd "$repo" && ROADLINT_CACHE_DIR="$work/cache-$name" "$roadlint" "$command" \
                    --config "$work/$name.toml" --quiet --format json >/dev/null 2>&1) || true
            done
        fi
        # The two configurations take turns, the first alternating, so that
        # a change in the machine's load falls on both alike.
        for ((i = 0; i < runs; i++)); do
            if ((i % 2 == 0)); then order=(one three); else order=(three one); fi
            for name in "${order[@]}"; do
                once "$name" "$work/$name.toml" "$command" "$mode"
            done
        done
        read -r w1 c1 _ < <(medians one)
        read -r w3 c3 _ < <(medians three)
        read -r pw pc < <(paired)
        printf '%-8s %-5s %9s %9s %10s %10s %10s %10s %12s %11s\n' "$command" "$mode" "$w1 s" "$c1 s" \
            "$w3 s" "$c3 s" "$(added "$w1" "$w3")" "$(added "$c1" "$c3")" "$pw" "$pc"
    done
done
say "load: $(uptime)"
