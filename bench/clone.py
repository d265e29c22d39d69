#!/usr/bin/env python3
"""roadlint on any local clone, against the git commands that read the same data.

    bench/clone.py REPO [--runs N] [--roadlint BIN] [--today YYYY-MM-DD]

REPO is a work tree with a `roadlint.toml` and a `roadmap/` (git/git with a
small roadmap committed on top, say: `fetch github:git/git`, clone it, add
both). The reference is what git needs for the same facts, in one run:

    git log --no-merges --format=%ct%x00%ae%x00%at%x00%s   (messages)
  + git log --format=%H -- roadmap                         (roadmap tree diffs)

Each command runs N times (default 5), the commands taking turns so that a
change in the machine's load hits all of them alike; the table shows the
median wall time, the largest peak resident set (the kernel's ru_maxrss of
that one child) and the ratio to the reference, next to the issue's targets.
"Cold" empties the history cache before each run (which then writes it);
"--no-cache" neither reads nor writes one; "warm" keeps it. The load
average is printed before and after: other work on the machine skews every
figure, so read the ratios, and repeat when the load was high.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run(cmd, cwd, env):
    """Wall seconds and peak RSS (KiB) of one run; fails loudly on an error."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, usage.ru_maxrss


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("repo")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--roadlint", default=None)
    ap.add_argument("--today", default="2027-06-01")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    binary = a.roadlint or os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(here, "..", "target")), "release", "roadlint"
    )
    if not os.access(binary, os.X_OK):
        sys.exit(f"no roadlint at {binary}: cargo build --release, or pass --roadlint")
    repo = os.path.abspath(a.repo)
    cache = tempfile.mkdtemp(prefix="roadlint-bench-cache.")
    env = dict(os.environ, ROADLINT_CACHE_DIR=cache, NO_COLOR="1", GIT_CONFIG_NOSYSTEM="1")

    def cold():
        shutil.rmtree(cache, ignore_errors=True)

    report = [binary, "report", "--format", "json"]
    check = [binary, "check", "--format", "json", "--today", a.today]
    commands = [
        # (name, command, prepare, reference part)
        ("git log messages", ["git", "log", "--no-merges", "--format=%ct%x00%ae%x00%at%x00%s"], None, True),
        ("git log -- roadmap", ["git", "log", "--format=%H", "--", "roadmap"], None, True),
        ("report cold", report, cold, False),
        ("report --no-cache", report + ["--no-cache"], None, False),
        ("report warm", report, None, False),
        ("check cold", check, cold, False),
        ("check warm", check, None, False),
    ]
    times = {name: [] for name, *_ in commands}
    peaks = {name: 0 for name, *_ in commands}
    print(f"repository {repo}; roadlint {binary}; {a.runs} runs each", file=sys.stderr)
    print(f"load average before: {load()}", file=sys.stderr)
    # one untimed run of each, so that the pack files are in the page cache
    # and the warm rows find a cache
    for name, cmd, prepare, _ in commands:
        if prepare:
            prepare()
        run(cmd, repo, env)
    for _ in range(a.runs):
        for name, cmd, prepare, _ in commands:
            if prepare:
                prepare()
            wall, rss = run(cmd, repo, env)
            times[name].append(wall)
            peaks[name] = max(peaks[name], rss)
    after = load()
    shutil.rmtree(cache, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    ref = sum(med[name] for name, *_, part in commands if part)
    targets = {
        "report cold": "≤ 0.50×",
        "report --no-cache": "≤ 0.50×",
        "report warm": "≤ 0.02×",
        "check cold": "≤ 0.50×",
        "check warm": "≤ 0.02×",
    }
    print(f"| command | median ms | min–max ms | peak RSS MB | × reference | target |")
    print(f"|---|---|---|---|---|---|")
    for name, *_ in commands:
        v = times[name]
        print(
            f"| {name} | {med[name] * 1000:.0f} | {min(v) * 1000:.0f}–{max(v) * 1000:.0f} "
            f"| {peaks[name] / 1024:.0f} | {med[name] / ref:.3f} | {targets.get(name, '')} |"
        )
    print(f"| reference (both git logs) | {ref * 1000:.0f} | | | 1.000 | |")
    cold_rows = ("report cold", "report --no-cache", "check cold")
    rss_ok = max(peaks[name] for name in cold_rows) <= peaks["git log -- roadmap"]
    print(f"\npeak RSS of roadlint cold ≤ git log -- roadmap's: {'yes' if rss_ok else 'no'}")
    print(f"load average after: {after}")


if __name__ == "__main__":
    main()
