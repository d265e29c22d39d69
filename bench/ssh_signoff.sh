#!/usr/bin/env bash
# The cost of verified sign-off (issue 24, SPEC §9.4): `check` on a
# repository with 200 gated commits (each adds an item to a locked quarter,
# with its two approvals) and 1,000 approval files in all (600 more approve
# other changes), under `verify = "ssh"` against the same repository under
# `verify = "trailers"` — target: under 100 ms added (release build).
#
# Usage: bench/ssh_signoff.sh [--runs N] [--keep DIR]   (ROADLINT=path
# overrides the binary; otherwise the release build is made or reused;
# --keep builds the repository in DIR once and reuses it). Needs ssh-keygen,
# git and hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=10
keep=""
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    *) echo "usage: bench/ssh_signoff.sh [--runs N] [--keep DIR]" >&2; exit 2 ;;
  esac
done
if [ -z "${ROADLINT:-}" ]; then
  cargo build --release --quiet
  ROADLINT="${CARGO_TARGET_DIR:-$PWD/target}/release/roadlint"
fi
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
keys=$work/keys
repo=$work/repo
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
if [ ! -f "$work/ssh.toml" ]; then
mkdir -p "$keys" "$repo"
ssh-keygen -q -t ed25519 -N '' -C dana -f "$keys/dana"
ssh-keygen -q -t ed25519 -N '' -C lee -f "$keys/lee"
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
cd "$repo"
git init -q -b main
mkdir -p roadmap .roadlint/approvals
printf 'dana %s\nlee %s\n' "$(cat "$keys/dana.pub")" "$(cat "$keys/lee.pub")" > .roadlint/allowed_signers
printf '[signoff]\nverify = "ssh"\n' > roadlint.toml
printf '[signoff]\nverify = "trailers"\n' > "$work/trailers.toml"
cat > roadmap/2026-Q1.toml <<'EOF'
quarter = "2026-Q1"
capacity = 2000
locked = 2026-01-10

[[item]]
id = "PAY-0"
title = "Start"
kind = "feature"
effort = 1
product_owner = "dana"
tech_owner = "lee"
EOF
git add -A
GIT_AUTHOR_DATE=2026-01-05T10:00:00Z GIT_COMMITTER_DATE=2026-01-05T10:00:00Z \
  git commit -q -m "docs: plan 2026-Q1"
zeros=0000000000000000000000000000000000000000
sign() { # role principal before after name
  printf 'roadlint approval v1\nrole: %s\nprincipal: %s\nbefore: %s\nafter: %s\n' "$1" "$2" "$3" "$4" > "$work/s"
  rm -f "$work/s.sig"
  ssh-keygen -q -Y sign -n roadlint-approval -f "$keys/$2" "$work/s" 2>/dev/null
  cat "$work/s" "$work/s.sig" > ".roadlint/approvals/$5.approval"
}
for i in $(seq 1 200); do
  before=$(git rev-parse HEAD:roadmap/2026-Q1.toml)
  printf '\n[[item]]\nid = "PAY-%s"\ntitle = "Item"\nkind = "debt"\neffort = 1\nproduct_owner = "dana"\ntech_owner = "lee"\n' "$i" >> roadmap/2026-Q1.toml
  after=$(git hash-object roadmap/2026-Q1.toml)
  sign product dana "$before" "$after" "$i-product"
  sign tech lee "$before" "$after" "$i-tech"
  # Three approvals of other changes ride along (600 in all).
  for j in 1 2 3; do
    sign tech lee "$zeros" "$(printf '%s-%s' "$i" "$j" | git hash-object --stdin)" "$i-other-$j"
  done
  git add -A
  d=$(date -u -d "2026-02-01 + $i hours" +%Y-%m-%dT%H:%M:%SZ)
  GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q \
    -m "feat: add PAY-$i" -m "Product-Approved-By: dana
Tech-Approved-By: lee"
done
printf '[signoff]\nverify = "ssh"\n' > "$work/ssh.toml"
fi
cd "$repo"
echo "approval files: $(ls .roadlint/approvals | wc -l); commits: $(git rev-list --count HEAD)"
for mode in trailers ssh; do
  "$ROADLINT" check --no-cache --today 2026-06-15 --select locked-scope --config "$work/$mode.toml" >/dev/null \
    || { echo "check under $mode reports diagnostics" >&2; "$ROADLINT" check --no-cache --today 2026-06-15 --select locked-scope --config "$work/$mode.toml" | head -5; exit 1; }
done
hyperfine -N --warmup 2 --runs "$runs" \
  -n trailers "$ROADLINT check --no-cache --today 2026-06-15 --select locked-scope --config $work/trailers.toml" \
  -n ssh "$ROADLINT check --no-cache --today 2026-06-15 --select locked-scope --config $work/ssh.toml"
