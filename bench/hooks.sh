#!/usr/bin/env bash
# The cost of roadlint's hooks for work that does not touch the roadmap
# (issue 25, SPEC §9.5):
#   * a rebase of 40 commits that touch no roadmap, with the hooks
#     `roadlint init --hooks` installs, against the same rebase with no-op
#     hooks of the same names (git runs the reference-transaction hook about
#     fifteen times per rebased commit whatever it holds) — target ≤ 1.5×,
#     as wall time and as CPU time;
#   * the overhead of the hooks on one unrelated commit, against the same
#     commit with hooks off — target < 20 ms, as wall time and as CPU time
#     (user + system of git and its hooks, from perf stat when perf can
#     count), which a busy machine inflates less.
#
# Usage: bench/hooks.sh [--runs N] [--tags N] [--aa]   (ROADLINT=path
# overrides the binary; otherwise the release build is made or reused). Each
# repository gets N tags (default 1000, packed), as a real clone has:
# angular-cli has about 1,200 refs, and a hook that reads every ref pays for
# them. With --aa both repositories get the no-op hooks: the ratios then
# measure the bench itself (they should come out at 1.00).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=5
tags=1000
aa=
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --tags) tags=$2; shift 2 ;;
    --aa) aa=1; shift ;;
    *) echo "usage: bench/hooks.sh [--runs N] [--tags N] [--aa]" >&2; exit 2 ;;
  esac
done
if [ -z "${ROADLINT:-}" ]; then
  cargo build --release --quiet
  ROADLINT="${CARGO_TARGET_DIR:-$PWD/target}/release/roadlint"
fi
bin=$(mktemp -d)
ln -s "$ROADLINT" "$bin/roadlint"
export PATH="$bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work" "$bin"' EXIT
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$work"
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE=2026-01-05T10:00:00Z GIT_COMMITTER_DATE=2026-01-05T10:00:00Z
export ROADLINT_CACHE_DIR="$work/cache"

now_ms() { date +%s%N | cut -c1-13; }

# A repository with a roadmap, `main` one commit ahead, and `topic` with 40
# commits to code.
make_repo() {
  local r=$1
  git init -q -b main "$r"
  (
    cd "$r"
    "$ROADLINT" init --example --today 2026-01-05 >/dev/null
    mkdir -p src && echo 0 >src/base.txt
    git add -A && git commit -q -m "docs: plan"
    git checkout -q -b topic
    for i in $(seq 1 40); do
      echo "$i" >"src/file$i.txt"
      git add -A && git commit -q -m "feat: step $i"
    done
    git checkout -q main
    echo 1 >src/base.txt && git commit -q -am "fix: base"
    local base
    base=$(git rev-parse HEAD)
    for i in $(seq -w 1 "$tags"); do echo "create refs/tags/v0.$i $base"; done |
      git -c core.hooksPath=/dev/null update-ref --stdin
    git pack-refs --all
  )
}

# Median of the arguments.
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# CPU time comes from `perf stat` (task-clock, children included; 0.1 ms)
# when perf can count here, else from /usr/bin/time (10 ms steps).
perf=
if command -v perf >/dev/null 2>&1 && perf stat -e task-clock -o /dev/null true 2>/dev/null; then
  perf=1
fi

# Run "$@" (a git command), setting $wall to its wall time and $cpu to its
# CPU time (user + system of it and every process it waited for, hooks
# included), both in ms. The CPU figure is what the hooks cost whatever
# else the machine is doing; on a quiet machine the wall time comes close
# to it.
timed() {
  local cpu_file="$work/cpu" start
  start=$(now_ms)
  if [ -n "$perf" ]; then
    perf stat -x, -e task-clock -o "$cpu_file" "$@"
    wall=$(($(now_ms) - start))
    cpu=$(awk -F, '/task-clock/ {printf "%.1f", $1}' "$cpu_file")
  else
    /usr/bin/time -f '%U %S' -o "$cpu_file" "$@"
    wall=$(($(now_ms) - start))
    cpu=$(awk '{printf "%d", ($1 + $2) * 1000}' "$cpu_file")
  fi
}

# Time `git rebase main` of topic (from its first tip) in repository $1.
declare -A tip
rebase_once() {
  local r=$1
  git -C "$r" checkout -q topic
  git -C "$r" -c core.hooksPath=/dev/null reset -q --hard "${tip[$r]}"
  timed git -C "$r" rebase -q main >/dev/null
  git -C "$r" checkout -q main
}

# Time an unrelated commit number $2 in repository $1 (extra git args $3...).
commit_once() {
  local r=$1 i=$2
  shift 2
  echo "$i $RANDOM" >"$r/src/unrelated.txt"
  git -C "$r" add src/unrelated.txt
  timed git -C "$r" "$@" commit -q -m "fix: unrelated $i"
}

# No-op hooks of the names roadlint installs, in repository $1.
noop_hooks() {
  for h in pre-commit commit-msg reference-transaction pre-push; do
    printf '#!/bin/sh\nexit 0\n' >"$1/.git/hooks/$h"
    chmod +x "$1/.git/hooks/$h"
  done
}
# Both repositories are made alike (same commands, same pinned dates: the
# same commit ids), and both get `roadlint init --hooks`, so whatever it
# writes besides the hooks is on both sides; then one side's hooks are
# swapped for no-op ones.
noop="$work/noop"
hooked="$work/hooked"
for r in "$noop" "$hooked"; do
  make_repo "$r"
  (cd "$r" && "$ROADLINT" init --hooks >/dev/null)
done
noop_hooks "$noop"
[ -z "$aa" ] || noop_hooks "$hooked"

tip[$noop]=$(git -C "$noop" rev-parse topic)
tip[$hooked]=$(git -C "$hooked" rev-parse topic)
# Each run times both sides back to back, so a change in the machine's load
# hits them alike, and which side goes first alternates (the second of two
# runs finds more in the caches); the figures are medians over the runs.
# One untimed rebase on each side first fills the caches both keep in the
# git directory (the hooks' pathspecs and judging part).
rebase_once "$noop"
rebase_once "$hooked"
rb_noop=() rb_noop_cpu=() rb_ours=() rb_ours_cpu=()
for i in $(seq 1 "$runs"); do
  for side in noop hooked; do
    if [ $((i % 2)) = 0 ]; then side=$([ "$side" = noop ] && echo hooked || echo noop); fi
    if [ "$side" = noop ]; then
      rebase_once "$noop"
      rb_noop+=("$wall") rb_noop_cpu+=("$cpu")
    else
      rebase_once "$hooked"
      rb_ours+=("$wall") rb_ours_cpu+=("$cpu")
    fi
  done
done
c_bare=() c_bare_cpu=() c_with=() c_with_cpu=() c_noop=() c_noop_cpu=()
for i in $(seq 1 "$runs"); do
  commit_once "$hooked" "$i" -c core.hooksPath=/dev/null
  c_bare+=("$wall") c_bare_cpu+=("$cpu")
  commit_once "$hooked" "$i"
  c_with+=("$wall") c_with_cpu+=("$cpu")
  commit_once "$noop" "$i"
  c_noop+=("$wall") c_noop_cpu+=("$cpu")
done
base=$(median "${rb_noop[@]}") base_cpu=$(median "${rb_noop_cpu[@]}")
ours=$(median "${rb_ours[@]}") ours_cpu=$(median "${rb_ours_cpu[@]}")
bare=$(median "${c_bare[@]}") bare_cpu=$(median "${c_bare_cpu[@]}")
with=$(median "${c_with[@]}") with_cpu=$(median "${c_with_cpu[@]}")
noops=$(median "${c_noop[@]}") noops_cpu=$(median "${c_noop_cpu[@]}")
ratio=$(awk -v a="$ours" -v b="$base" 'BEGIN {printf "%.2f", a / b}')
cpu_ratio=$(awk -v a="$ours_cpu" -v b="$base_cpu" 'BEGIN {printf "%.2f", a / b}')
[ -z "$aa" ] || echo "--aa: both sides have no-op hooks; \"roadlint hooks\" below is the second no-op side"
echo "40-commit rebase, wall: roadlint hooks ${ours} ms, no-op hooks ${base} ms: ${ratio}x (target <= 1.5x)"
echo "40-commit rebase, CPU:  roadlint hooks ${ours_cpu} ms, no-op hooks ${base_cpu} ms: ${cpu_ratio}x (target <= 1.5x)"
echo "unrelated commit, wall: with roadlint hooks ${with} ms, hooks off ${bare} ms: overhead $((with - bare)) ms (target < 20 ms); with no-op hooks ${noops} ms"
cpu_over=$(awk -v a="$with_cpu" -v b="$bare_cpu" 'BEGIN {printf "%.1f", a - b}')
echo "unrelated commit, CPU:  with roadlint hooks ${with_cpu} ms, hooks off ${bare_cpu} ms: overhead ${cpu_over} ms (target < 20 ms); with no-op hooks ${noops_cpu} ms"
echo "load average while measuring: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
