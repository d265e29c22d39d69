#!/usr/bin/env python3
"""Deterministic generator of benchmark git repositories for roadlint.

The repository is written with ``git fast-import`` (one stream piped into
``git fast-import --quiet`` inside a freshly ``git init``-ed directory), so a
million commits take seconds to a minute rather than hours.

What the generated repository contains
---------------------------------------
* ``--commits N`` commits on ``main`` (merge commits and side-branch commits
  included when ``--merges`` is given), committer dates strictly increasing and
  spread evenly over ``--years`` years (default 2) from ``--start``, all in UTC
  (+0000).  About 5% of commits have an author date up to five days *earlier*
  than the committer date (rebased work): history rules must bucket by
  committer time.
* Conventional Commit subjects (feat, fix, refactor, perf, chore, docs, test,
  ci, build, revert, style; optional scope and ``!``), a few non-conventional
  ones (``WIP``, ``Update README``, ``Revert "..."``, ``Merge branch ...`` on a
  non-merge commit, ``fixup! ...``), bodies on some commits, and trailers:
  ``Roadmap-Item: ID`` (naming an item of the final roadmap; the item's kind
  may deliberately contradict the Conventional Commit type), ``Signed-off-by``,
  ``Co-authored-by``, ``Refs``.
* Most commits modify one of 200 files under ``src/<module>/<file>.rs``;
  docs/ci/build/test commits touch ``docs/``, ``.github/``, ``Cargo.toml`` and
  ``tests/``.
* ``roadlint.toml`` with the defaults of SPEC.md section 3, and a roadmap under
  ``roadmap/``: one ``YYYY-Qn.toml`` per calendar quarter the history spans,
  ``kpis.toml``, ``technology.toml`` and ``requests/req-N.toml`` files (at
  least one; more when ``--roadmap-files`` leaves room).  Every roadmap state in
  history is valid under the plan rules (the generator checks itself with its
  own mini-linter and with ``tomllib``).
* The roadmap files are created by the first commits and edited over time:
  item statuses move planned -> in-progress -> done during their quarter, a few
  efforts change in unlocked quarters, requests move proposed -> accepted ->
  shipped, technologies move assess -> trial -> adopt (one goes to hold).
* One quarter (the middle one by default) gets ``locked = <date>``; after the
  lock date a series of commits change its scope (add/remove an item, change
  an effort or a kind).  Half carry valid sign-off trailers, half do not
  (no trailers, only one, the same person twice, a non-owner, or a tech owner
  named as product approver).  Status-only and title-only edits also happen
  after the lock (free).
* ``--config-versions N`` (default 1: ``roadlint.toml`` is written once, by
  the initial commit) changes ``roadlint.toml`` N-1 more times, spread evenly
  over the history: each change is semantic (``debt-share`` min alternates
  between 0.15 and 0.20) and adds a ``# revision`` comment, so every version
  is a distinct blob; each commit carries ``Product-Approved-By`` and
  ``Tech-Approved-By`` naming a KPI's two owners (owners of the roadmap as it
  stood), so ``policy-signoff`` finds no breach.
* Unless ``--clean``: one technology skips a maturity stage (assess -> adopt),
  one quarter's commits carry far more debt work than planned and another far
  less (history-debt-share breaches).  With ``--clean`` every scope change
  after the lock is signed and every quarter's actual debt share tracks its plan.

* ``--mix realistic`` (default ``plain``) makes ordinary commits look like a
  real team's: bot authors (``renovate[bot]``, ``github-actions[bot]``,
  ``dependabot[bot]``, ``release-bot``), bursts of 6-20 small commits by one
  author in one afternoon, git's ``Revert "..."`` subjects, item ids in
  subjects (``feat(ui): add x (PAY-101)``), ``Roadmap-Item`` trailers naming
  no item, commits rebased by another developer (author time earlier, another
  committer), and a few developers writing most commits. ``--mix-bots``,
  ``--mix-bursts`` ... set one share each. The mix has its own random stream:
  ``plain`` gives the same commits as before the mix existed.

``--manifest FILE`` writes a JSON file with everything a linter test needs to
know: planned and actual debt share per quarter (computed with the rules of
SPEC.md section 4), every commit that changes the locked quarter's scope with
its id and whether it is a breach, and the technology stage transitions. Each
quarter's ``v2`` entry has SPEC v2's figures: commits and author-days by class
with bots (the default ``ignore_authors``) left out, the bots counted, and the
debt share by each measure.

The same arguments always produce a byte-identical repository (same commit
ids), independent of the user's git configuration.

Examples::

    bench/gen_repo.py --out /tmp/rl-10k
    bench/gen_repo.py --out /tmp/rl-1m --commits 1000000 --merges --commit-graph
    bench/gen_repo.py --out /tmp/rl-mix --commits 100000 --mix realistic --manifest m.json
    bench/gen_repo.py --out /tmp/rl-cfg --commits 100000 --locked-quarters 8 --config-versions 20
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib

UTC = dt.timezone.utc

# --------------------------------------------------------------------------
# Fixed vocabulary
# --------------------------------------------------------------------------

PRODUCT_OWNERS = ["dana", "maria", "omar", "priya", "sam"]
TECH_OWNERS = ["lee", "kenji", "ana", "tom", "sam"]  # "sam" holds both roles
NON_OWNER = "casey"  # appears nowhere in the roadmap

DEVELOPERS = [
    ("Alex Rivera", "alex@example.com"),
    ("Bea Novak", "bea@example.com"),
    ("Chen Wei", "chen.wei@example.com"),
    ("Dmitri Volkov", "dmitri@example.com"),
    ("Ela Kaya", "ela@example.com"),
    ("Farah Haddad", "farah@example.com"),
    ("Gus Lindqvist", "gus@example.com"),
    ("Hana Sato", "hana@example.com"),
    ("Ivan Petrov", "ivan@example.com"),
    ("Jos\u00e9 Garc\u00eda", "jose@example.com"),
    ("Kofi Mensah", "kofi@example.com"),
    ("Zo\u00eb M\u00fcller", "zoe@example.com"),
]
ROADMAP_EDITORS = [
    ("Dana Product", "dana@example.com"),
    ("Lee Tech", "lee@example.com"),
    ("Priya Product", "priya@example.com"),
    ("Kenji Tech", "kenji@example.com"),
]

MODULES = ["api", "auth", "billing", "cli", "core", "db", "search", "sync", "ui", "util"]
FILES_PER_MODULE = 20
SCOPES = ["api", "auth", "billing", "cli", "core", "db", "deps", "search", "sync", "ui",
          "cache", "payments", "infra"]
THINGS = ["webhook client", "session store", "invoice export", "search index", "rate limiter",
          "retry policy", "config loader", "csv importer", "audit log", "token refresh",
          "pagination", "cache eviction", "health check", "query planner", "email templates",
          "feature flags", "dark mode", "bulk upload", "sso login", "report builder",
          "connection pool", "metrics exporter", "job scheduler", "i18n strings",
          "password reset", "api keys", "usage meter", "onboarding tour", "search filters",
          "billing portal"]
PROBLEMS = ["panic on empty input", "race in shutdown", "off-by-one in pagination",
            "stale cache after logout", "timeout under load", "double charge on retry",
            "utf-8 truncation", "leaked file handle", "wrong timezone in exports",
            "deadlock in sync worker", "null owner on import", "slow startup"]
DEPS = ["serde", "tokio", "hyper", "rustls", "clap", "tracing", "sqlx", "regex", "rayon",
        "reqwest", "anyhow", "thiserror", "chrono", "uuid", "bytes"]
SENTENCES = [
    "The previous behaviour surprised users on large accounts.",
    "This keeps the hot path free of allocations.",
    "Measured locally the change saves a few milliseconds per request.",
    "No migration is needed and the old code path is removed.",
    "Reported by support after the last release.",
    "The flag defaults to off until the rollout finishes.",
    "Follow-up work is tracked separately.",
    "Existing tests cover the happy path and a new one covers the edge case.",
    "Behaviour is unchanged for callers that do not opt in.",
    "This was found while profiling the nightly batch.",
]
CUSTOMERS = ["Acme Corp", "Globex", "Initech", "Umbrella Health", "Stark Logistics",
             "Wayne Retail", "Hooli", "Soylent Foods", "Tyrell Systems", "Cyberdyne"]
KPIS = [
    ("conversion", "checkout conversion rate"),
    ("activation", "share of sign-ups active in week one"),
    ("retention", "90-day logo retention"),
    ("p95-latency", "p95 API latency in ms"),
    ("uptime", "monthly availability"),
    ("cost-per-request", "infrastructure cost per 1k requests"),
    ("nps", "net promoter score"),
    ("deploy-frequency", "production deploys per week"),
]
TECHNOLOGIES = ["vector-search", "wasm-plugins", "event-sourcing", "async-runtime-v2",
                "edge-cache", "graphql-gateway", "columnar-store"]
AREAS = ["PAY", "AUTH", "OPS", "SRCH", "DATA", "PLAT", "MOB", "BILL"]
TITLES = {
    "feature": ["One-click checkout", "Saved searches", "Team invitations", "Usage dashboard",
                "Bulk export", "Mobile push alerts", "Custom roles", "Self-serve refunds",
                "Audit trail UI", "Multi-currency pricing", "Slack integration",
                "Scheduled reports", "Guest checkout", "Public API v2"],
    "debt": ["Remove legacy session code", "Split monolith billing module",
             "Replace hand-rolled JSON parser", "Delete dead feature flags",
             "Untangle config loading", "Migrate to async database driver"],
    "maintenance": ["Upgrade TLS stack", "Rotate service certificates", "Bump toolchain",
                    "Patch dependency CVEs", "Tune database indexes", "On-call runbook refresh"],
    "platform": ["Shared job queue", "Tracing pipeline", "Blue-green deploys",
                 "Service mesh rollout", "Secrets manager"],
    "research": ["Evaluate vector databases", "Spike on WASM plugins",
                 "Study event sourcing for orders", "Assess edge caching"],
    "experiment": ["Checkout v2 experiment", "New onboarding flow", "Smart search ranking",
                   "Annual plan nudge", "Edge cache pilot"],
}
DEBT_KINDS = ("debt", "maintenance")
FEATURE_KINDS = ("feature", "experiment")
DEBT_TYPES = ("fix", "refactor", "perf", "chore", "build", "ci", "test", "revert")
FEATURE_TYPES = ("feat",)

ROADLINT_TOML = """\
# roadlint configuration (defaults, see SPEC.md section 3)
roadmap = ["roadmap/**/*.toml"]
fiscal_year_start = 1

[rules]
debt-share            = { level = "error", min = 0.20, max = 0.40, kinds = ["debt", "maintenance"] }
capacity              = "error"
dual-ownership        = "error"
kpi-link              = "warn"
request-fields        = { level = "error", required = ["business_commitment", "technical_feasibility", "acceptance_criteria", "roadmap_impact"] }
research-timebox      = { level = "warn", max_weeks = 4 }
experiment-guardrails = "error"
maturity-pipeline     = "error"
waiver                = "error"
history-debt-share    = { level = "warn", min = 0.15, max_drift = 0.10, min_commits = 10 }
locked-scope          = "error"

[history]
debt_types    = ["fix", "refactor", "perf", "chore", "build", "ci", "test", "revert"]
feature_types = ["feat"]
item_trailer  = "Roadmap-Item"
include_merges = false

[signoff]
product_trailer = "Product-Approved-By"
tech_trailer    = "Tech-Approved-By"
"""

def config_text(version: int) -> str:
    """``roadlint.toml`` as of its ``version`` (1 = ``ROADLINT_TOML``); later
    versions alternate ``debt-share`` min 0.15 / 0.20 (a semantic change that
    keeps every generated roadmap valid) and carry a revision comment."""
    if version <= 1:
        return ROADLINT_TOML
    lo = "0.15" if version % 2 == 0 else "0.20"
    head = "# roadlint configuration (defaults, see SPEC.md section 3)\n"
    text = ROADLINT_TOML.replace("min = 0.20, max = 0.40", f"min = {lo}, max = 0.40", 1)
    return text.replace(head, f"{head}# revision {version}: debt-share min {lo}\n", 1)


CC_RE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)(\([^()\r\n]*\))?(!)?: \S")


# --------------------------------------------------------------------------
# Calendar helpers
# --------------------------------------------------------------------------

def quarter_of(d: dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_start(y: int, q: int) -> dt.date:
    return dt.date(y, 3 * (q - 1) + 1, 1)


def quarter_end(y: int, q: int) -> dt.date:
    """Last day of the quarter."""
    if q == 4:
        return dt.date(y, 12, 31)
    return quarter_start(y, q + 1) - dt.timedelta(days=1)


def next_quarter(y: int, q: int) -> tuple[int, int]:
    return (y + 1, 1) if q == 4 else (y, q + 1)


def ts_of(d: dt.date, seconds: int = 0) -> int:
    return int(dt.datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) + seconds


def date_of(ts: int) -> dt.date:
    return dt.datetime.fromtimestamp(ts, UTC).date()


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# --------------------------------------------------------------------------
# TOML rendering
# --------------------------------------------------------------------------

def tstr(s: str) -> str:
    """A TOML basic string (JSON escaping is a subset of TOML's)."""
    return json.dumps(s, ensure_ascii=False)


def tval(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return tstr(v)
    if isinstance(v, list):
        return "[" + ", ".join(tval(x) for x in v) + "]"
    raise TypeError(v)


def render_table(header: str, entries: list[tuple[str, object]]) -> str:
    width = max(len(k) for k, _ in entries)
    lines = [header]
    for k, v in entries:
        lines.append(f"{k.ljust(width)} = {tval(v)}")
    return "\n".join(lines) + "\n"


ITEM_KEY_ORDER = ["id", "title", "kind", "effort", "product_owner", "tech_owner", "kpis",
                  "depends_on", "status", "flag", "ends", "rollback", "timebox_weeks"]


class Quarter:
    def __init__(self, y: int, q: int, capacity: int):
        self.y, self.q = y, q
        self.name = f"{y}-Q{q}"
        self.path = f"roadmap/{self.name}.toml"
        self.start, self.end = quarter_start(y, q), quarter_end(y, q)
        self.capacity = capacity
        self.locked: dt.date | None = None
        self.items: list[dict] = []

    def render(self) -> str:
        head = [("quarter", self.name), ("capacity", self.capacity)]
        if self.locked:
            head.append(("locked", self.locked))
        out = [f"# Roadmap for {self.name}: what we plan to ship and sustain this quarter.\n",
               render_table("", head).lstrip("\n")]
        for it in self.items:
            out.append("\n" + render_table("[[item]]", [(k, it[k]) for k in ITEM_KEY_ORDER if k in it]))
        return "".join(out)

    def scope(self) -> dict:
        return {it["id"]: (it["effort"], it["kind"]) for it in self.items}

    def effort(self) -> int:
        return sum(it["effort"] for it in self.items if it.get("status") != "dropped")

    def debt_effort(self) -> int:
        return sum(it["effort"] for it in self.items
                   if it["kind"] in DEBT_KINDS and it.get("status") != "dropped")

    def share_ok(self, total: int, debt: int) -> bool:
        return total > 0 and total <= self.capacity and 0.20 <= debt / total <= 0.40


class Roadmap:
    """The whole roadmap state plus a mini-linter that keeps it valid."""

    def __init__(self):
        self.quarters: list[Quarter] = []
        self.kpis: list[dict] = []
        self.techs: list[dict] = []
        self.request_files: list[list[dict]] = []
        self.created: set[str] = set()  # paths committed so far (only tested with `in`)
        self.config_version = 1  # roadlint.toml revision (``--config-versions``)

    def items(self):
        for qu in self.quarters:
            if qu.path in self.created:
                yield from ((qu, it) for it in qu.items)

    def item_index(self) -> dict:
        return {it["id"]: (qu, it) for qu, it in self.items()}

    def render(self, path: str) -> str:
        if path == "roadlint.toml":
            return config_text(self.config_version)
        if path == "roadmap/kpis.toml":
            return "# Shared KPIs, each co-owned by product and technology.\n" + "".join(
                "\n" + render_table("[[kpi]]", list(k.items())) for k in self.kpis)
        if path == "roadmap/technology.toml":
            return "# Technology maturity pipeline: assess -> trial -> adopt (hold any time).\n" + "".join(
                "\n" + render_table("[[technology]]", list(t.items())) for t in self.techs)
        m = re.fullmatch(r"roadmap/requests/req-(\d+)\.toml", path)
        if m:
            reqs = self.request_files[int(m.group(1)) - 1]
            return "# Customer feature requests.\n" + "".join(
                "\n" + render_table("[[request]]", list(r.items())) for r in reqs)
        for qu in self.quarters:
            if qu.path == path:
                return qu.render()
        raise KeyError(path)

    def validate(self) -> None:
        """Assert the plan rules of SPEC.md section 4 hold (generator self-check)."""
        ids: dict[str, dict] = {}
        kpi_ids = {k["id"] for k in self.kpis} if "roadmap/kpis.toml" in self.created else set()
        for k in self.kpis:
            assert k["product_owner"] and k["tech_owner"] and k["product_owner"] != k["tech_owner"]
        for qu, it in self.items():
            assert it["id"] not in ids, it["id"]
            ids[it["id"]] = it
        for qu in self.quarters:
            if qu.path not in self.created:
                continue
            total, debt = qu.effort(), qu.debt_effort()
            assert total <= qu.capacity, (qu.name, total, qu.capacity)
            assert 0.20 <= debt / total <= 0.40, (qu.name, debt, total)
            seen = set()
            for it in qu.items:
                assert it["effort"] > 0
                assert it["product_owner"] in PRODUCT_OWNERS and it["tech_owner"] in TECH_OWNERS
                assert it["product_owner"] != it["tech_owner"]
                assert all(k in kpi_ids for k in it.get("kpis", [])), it
                if it["kind"] == "feature":
                    assert it.get("kpis"), it
                for dep in it.get("depends_on", []):
                    # backward references only: no cycles possible
                    assert dep in ids and (dep in seen or ids[dep] is not it), (it, dep)
                if it["kind"] == "research":
                    assert 1 <= it["timebox_weeks"] <= 4
                if it["kind"] == "experiment":
                    assert it["flag"] and it["rollback"]
                    assert qu.start <= it["ends"] <= qu.end
                seen.add(it["id"])
        for t in self.techs if "roadmap/technology.toml" in self.created else []:
            assert t["criteria"]
            if t["stage"] in ("trial", "adopt"):
                assert t["experiment"] in ids and ids[t["experiment"]]["kind"] == "experiment"
        for n, reqs in enumerate(self.request_files):
            if f"roadmap/requests/req-{n + 1}.toml" not in self.created:
                continue
            for r in reqs:
                if r["status"] in ("accepted", "shipped"):
                    for f in ("business_commitment", "technical_feasibility", "roadmap_impact"):
                        assert r.get(f), r
                    assert r.get("acceptance_criteria"), r
                    assert r.get("item") in ids, r
                elif "item" in r:
                    assert r["item"] in ids


# --------------------------------------------------------------------------
# Plan construction
# --------------------------------------------------------------------------

def split(rng: random.Random, total: int, lo: int, hi: int) -> list[int]:
    parts = []
    while total > hi:
        p = rng.randint(lo, hi)
        if total - p < lo:
            p = total - lo
        parts.append(p)
        total -= p
    if total > 0:
        parts.append(total)
    return parts


class IdGen:
    def __init__(self, rng):
        self.rng, self.n = rng, 100

    def __call__(self, kind: str) -> str:
        self.n += 1
        if kind == "experiment":
            return f"EXP-{self.n}"
        if kind == "research":
            return f"RES-{self.n}"
        return f"{self.rng.choice(AREAS)}-{self.n}"


def owners(rng: random.Random) -> tuple[str, str]:
    po = rng.choice(PRODUCT_OWNERS)
    to = rng.choice([t for t in TECH_OWNERS if t != po])
    return po, to


def make_item(rng: random.Random, ids: IdGen, qu: Quarter, kind: str, effort: int,
              earlier: list[str]) -> dict:
    po, to = owners(rng)
    it = {"id": ids(kind), "title": rng.choice(TITLES[kind]), "kind": kind, "effort": effort,
          "product_owner": po, "tech_owner": to}
    kp = [k for k, _ in KPIS]
    if kind in ("feature", "experiment"):
        it["kpis"] = rng.sample(kp, rng.randint(1, 2))
    elif rng.random() < 0.4:
        it["kpis"] = [rng.choice(kp)]
    if earlier and rng.random() < 0.2:
        it["depends_on"] = [rng.choice(earlier)]
    it["status"] = "planned"
    if kind == "experiment":
        slug = re.sub(r"[^a-z0-9]+", "-", it["title"].lower()).strip("-")
        it["flag"] = f"{slug}-{it['id'].lower()}"
        ends = qu.start + dt.timedelta(weeks=rng.randint(4, 12))
        it["ends"] = min(ends, qu.end)
        it["rollback"] = rng.choice(["turn the flag off; no schema change",
                                     "disable the flag and drop the shadow table",
                                     "route all traffic back to the old path"])
    if kind == "research":
        it["timebox_weeks"] = rng.randint(effort, 4)
    return it


def build_quarter(rng: random.Random, ids: IdGen, y: int, q: int, earlier: list[str]) -> Quarter:
    qu = Quarter(y, q, rng.randint(36, 60))
    total = qu.capacity - rng.randint(5, 9)  # slack for scope changes
    while True:
        share = rng.uniform(0.24, 0.36)
        debt = round(share * total)
        if 0.20 <= debt / total <= 0.40:
            break
    plan: list[tuple[str, int]] = []
    for e in split(rng, debt, 1, 5):
        plan.append((rng.choice(DEBT_KINDS), e))
    rest = total - debt
    exp = rng.randint(1, 3)
    plan.append(("experiment", exp))
    rest -= exp
    if rng.random() < 0.7:
        r = rng.randint(1, 3)
        plan.append(("research", r))
        rest -= r
    if rng.random() < 0.6:
        p = rng.randint(2, 5)
        plan.append(("platform", p))
        rest -= p
    for e in split(rng, rest, 2, 8):
        plan.append(("feature", e))
    rng.shuffle(plan)
    for kind, e in plan:
        it = make_item(rng, ids, qu, kind, e, earlier)
        qu.items.append(it)
        earlier.append(it["id"])
    return qu


# --------------------------------------------------------------------------
# Roadmap events
# --------------------------------------------------------------------------

class Event:
    __slots__ = ("T", "seq", "mandatory", "fn", "slot", "msg", "author", "files", "meta")

    def __init__(self, T, seq, mandatory, fn):
        self.T, self.seq, self.mandatory, self.fn = T, seq, mandatory, fn
        self.slot = None
        self.msg = None
        self.author = None
        self.files = None
        self.meta = None


def message(subject: str, body: str | None = None, trailers: list[tuple[str, str]] | None = None) -> str:
    msg = subject + "\n"
    if body:
        msg += "\n" + body + "\n"
    if trailers:
        msg += "\n" + "".join(f"{k}: {v}\n" for k, v in trailers)
    return msg


def extra_locks(rm: Roadmap, locked_idx: int, total: int) -> list[tuple[int, object]]:
    """Lock events for ``total - 1`` more quarters (``--locked-quarters``),
    nearest the main locked quarter first.  Each is locked near its end (day
    85), after its free effort tweaks, so no deliberate breach is added: the
    locks only make the gate follow more quarters."""
    others = sorted((i for i in range(len(rm.quarters)) if i != locked_idx),
                    key=lambda i: (abs(i - locked_idx), i))
    out = []
    for i in others[:max(0, total - 1)]:
        qu = rm.quarters[i]
        date = qu.start + dt.timedelta(days=85)

        def lock(rm, qu=qu, date=date):
            qu.locked = date
            return (f"docs(roadmap): freeze {qu.name} scope from {date}", None, None,
                    [qu.path], {"type": "lock", "quarter": qu.name, "locked": date.isoformat()})
        out.append((ts_of(qu.start, 84 * 86400), lock))
    return out


def plan_events(args, rng: random.Random, rm: Roadmap, locked_idx: int, t0: int) -> list[Event]:
    """Create the roadmap edit events.  Each fn(rm) mutates the roadmap and
    returns (subject, body, trailers, changed_paths, meta)."""
    events: list[Event] = []
    seq = [0]

    def ev(T, mandatory, fn):
        seq[0] += 1
        events.append(Event(T, seq[0], mandatory, fn))

    ids = rm.ids

    # -- creation ------------------------------------------------------------
    def create(path, subject):
        def fn(rm):
            rm.created.add(path)
            return subject, None, None, [path], {"type": "create", "path": path}
        return fn

    ev(t0, True, create("roadmap/kpis.toml", "docs(roadmap): declare shared KPIs"))
    for qu in rm.quarters:
        ev(t0, True, create(qu.path, f"docs(roadmap): draft plan for {qu.name}"))
    ev(t0, True, create("roadmap/technology.toml", "docs(tech): start the technology radar"))
    for n in range(len(rm.request_files)):
        ev(t0, True, create(f"roadmap/requests/req-{n + 1}.toml",
                            f"docs(roadmap): record customer requests (batch {n + 1})"))

    # -- status moves (free edits) --------------------------------------------
    def set_status(qu, item_id, status):
        def fn(rm):
            for it in qu.items:
                if it["id"] == item_id:
                    it["status"] = status
            verb = "start" if status == "in-progress" else "complete"
            return (f"docs(roadmap): {verb} {item_id}", None, None, [qu.path],
                    {"type": "status", "quarter": qu.name, "item": item_id, "status": status})
        return fn

    for qu in rm.quarters:
        for it in list(qu.items):
            s = ts_of(qu.start, rng.randint(0, 40 * 86400))
            ev(s, False, set_status(qu, it["id"], "in-progress"))
            if rng.random() < 0.8:
                ev(ts_of(qu.start, rng.randint(45 * 86400, 88 * 86400)), False,
                   set_status(qu, it["id"], "done"))

    # -- effort tweaks in unlocked quarters (free) -----------------------------
    def tweak(qu):
        def fn(rm):
            for it in sorted(qu.items, key=lambda i: i["id"]):
                for d in (1, -1, 2):
                    ne = it["effort"] + d
                    if ne <= 0 or (it["kind"] == "research" and ne > it["timebox_weeks"]):
                        continue
                    debt = qu.debt_effort() + (d if it["kind"] in DEBT_KINDS else 0)
                    if qu.share_ok(qu.effort() + d, debt):
                        it["effort"] = ne
                        return (f"chore(roadmap): re-estimate {it['id']}", None, None, [qu.path],
                                {"type": "scope", "quarter": qu.name, "item": it["id"]})
            return ("docs(roadmap): tidy up wording", None, None, [], {"type": "noop"})
        return fn

    for i, qu in enumerate(rm.quarters):
        if i != locked_idx:
            ev(ts_of(qu.start, rng.randint(10, 60) * 86400), False, tweak(qu))

    # -- the locked quarter ----------------------------------------------------
    lq = rm.quarters[locked_idx]
    lock_date = lq.start + dt.timedelta(days=7)

    def lock(rm):
        lq.locked = lock_date
        return (f"docs(roadmap): freeze {lq.name} scope from {lock_date}",
                "Scope changes from the lock date on need product and tech sign-off.", None,
                [lq.path], {"type": "lock", "quarter": lq.name, "locked": lock_date.isoformat()})

    ev(ts_of(lq.start, 86400 + 3600), True, lock)
    for T, fn in extra_locks(rm, locked_idx, getattr(args, "locked_quarters", 1)):
        ev(T, True, fn)

    removable: list[str] = []

    def scope_change(op_no: int, trailers: list[tuple[str, str]], variant: str):
        def fn(rm):
            qu = lq
            ops = ["add", "effort", "kind", "remove", "effort", "add"]
            op = ops[op_no % len(ops)]
            if op == "remove" and not removable:
                op = "effort"
            subject = body = None
            item_id = None
            if op == "add":
                for kind, e in (("feature", 2), ("debt", 1), ("maintenance", 1), ("feature", 1)):
                    debt = qu.debt_effort() + (e if kind in DEBT_KINDS else 0)
                    if qu.share_ok(qu.effort() + e, debt):
                        it = make_item(rng, ids, qu, kind, e, [])
                        it.pop("depends_on", None)
                        qu.items.append(it)
                        removable.append(it["id"])
                        item_id = it["id"]
                        subject = f"feat(roadmap): add {item_id} to {qu.name}"
                        body = f"Customer escalation, {it['title'].lower()} cannot wait a quarter."
                        break
                else:
                    op = "effort"
            if op == "remove":
                item_id = removable.pop(0)
                qu.items = [it for it in qu.items if it["id"] != item_id]
                subject = f"chore(roadmap): drop {item_id} from {qu.name}"
                body = "Descoped after review; the work moves to a later quarter."
            if op == "kind":
                cands = [it for it in qu.items if it["kind"] in DEBT_KINDS]
                it = cands[op_no % len(cands)]
                it["kind"] = "maintenance" if it["kind"] == "debt" else "debt"
                item_id = it["id"]
                subject = f"chore(roadmap): reclassify {item_id} as {it['kind']}"
            if op == "effort":
                done = False
                for it in sorted(qu.items, key=lambda i: (i["effort"], i["id"])):
                    if it["kind"] in ("research",):
                        continue
                    for d in (1, -1, 2, -2):
                        ne = it["effort"] + d
                        if ne <= 0:
                            continue
                        debt = qu.debt_effort() + (d if it["kind"] in DEBT_KINDS else 0)
                        if qu.share_ok(qu.effort() + d, debt):
                            it["effort"] = ne
                            item_id, done = it["id"], True
                            subject = f"chore(roadmap): re-estimate {item_id} to {ne} weeks"
                            break
                    if done:
                        break
                assert done
            return (subject, body, trailers, [qu.path],
                    {"type": "scope", "quarter": qu.name, "item": item_id, "op": op,
                     "signoff_variant": variant})
        return fn

    # Free scope edit before the lock date (the key is already there).
    ev(ts_of(lq.start, 3 * 86400 + 7200), True, scope_change(1, [], "none"))

    po_only = [p for p in PRODUCT_OWNERS if p not in TECH_OWNERS]
    to_only = [t for t in TECH_OWNERS if t not in PRODUCT_OWNERS]
    bad_variants = [
        ("none", []),
        ("product-only", [("Product-Approved-By", po_only[0])]),
        ("tech-only", [("Tech-Approved-By", to_only[1])]),
        ("same-person", [("Product-Approved-By", "sam"), ("Tech-Approved-By", "sam")]),
        ("non-owner", [("Product-Approved-By", NON_OWNER), ("Tech-Approved-By", to_only[0])]),
        ("roles-swapped", [("Product-Approved-By", to_only[2]), ("Tech-Approved-By", po_only[1])]),
    ]
    n_scope = 2 * len(bad_variants)
    span = ts_of(lq.end) - 2 * 86400 - ts_of(lock_date, 86400)
    for k in range(n_scope):
        if k == 0:
            T = ts_of(lock_date, 1)  # on the lock date itself: already locked
        else:
            T = ts_of(lock_date, 86400) + span * k // n_scope
        # k = 0 (on the lock date itself) is unsigned: "on or after" matters
        signed = (k % 2 == 1) or args.clean
        if signed:
            po = po_only[k % len(po_only)]
            to = to_only[k % len(to_only)]
            tr, variant = [("Product-Approved-By", po), ("Tech-Approved-By", to)], "signed"
        else:
            variant, tr = bad_variants[(k // 2) % len(bad_variants)]
        if tr and k % 3 == 1:
            tr = tr + [("Signed-off-by", "Lee Tech <lee@example.com>")]
        ev(T, True, scope_change(k, tr, variant))

    # Free wording edit after the lock.
    def reword(rm):
        it = sorted(lq.items, key=lambda i: i["id"])[0]
        it["title"] = it["title"] + " (phase 1)"
        return (f"docs(roadmap): clarify the title of {it['id']}", None, None, [lq.path],
                {"type": "wording", "quarter": lq.name, "item": it["id"]})

    ev(ts_of(lock_date, 20 * 86400), True, reword)

    # -- requests ---------------------------------------------------------------
    for n, reqs in enumerate(rm.request_files):
        path = f"roadmap/requests/req-{n + 1}.toml"
        for r in reqs:
            if r.pop("_later_accept", False):
                feats = [it for qu, it in rm.items_all() if it["kind"] == "feature"]
                target = rng.choice(feats)

                def accept(rm, r=r, target=target, path=path):
                    r["status"] = "accepted"
                    r["technical_feasibility"] = "fits the existing service; about 4 weeks"
                    r["acceptance_criteria"] = ["works for every seat", "documented in the help center"]
                    r["roadmap_impact"] = "absorbed by the quarter's slack"
                    r["item"] = target["id"]
                    return (f"docs(roadmap): accept {r['id']} from {r['customer']}", None, None,
                            [path], {"type": "request", "request": r["id"], "status": "accepted"})
                ev(t0 + rng.randint(30, 300) * 86400, False, accept)
            if r["status"] == "accepted" and rng.random() < 0.5:
                def ship(rm, r=r, path=path):
                    r["status"] = "shipped"
                    return (f"docs(roadmap): mark {r['id']} shipped", None, None, [path],
                            {"type": "request", "request": r["id"], "status": "shipped"})
                ev(t0 + rng.randint(200, 600) * 86400, False, ship)

    # -- technology pipeline ----------------------------------------------------
    t_end = rm.t_end

    def tech_experiment(T):
        y, q = quarter_of(date_of(T))
        for qu in rm.quarters:
            if (qu.y, qu.q) == (y, q):
                return sorted(it["id"] for it in qu.items if it["kind"] == "experiment")[0]
        return sorted(it["id"] for qu in rm.quarters for it in qu.items if it["kind"] == "experiment")[0]

    def add_tech(name, T):
        def fn(rm):
            rm.techs.append({"name": name, "stage": "assess",
                             "criteria": [f"{name}: p95 < 50 ms on production data",
                                          f"{name}: ops runbook written"]})
            return (f"docs(tech): add {name} to the radar", None, None, ["roadmap/technology.toml"],
                    {"type": "tech", "technology": name, "from": None, "to": "assess"})
        ev(T, True, fn)

    def move(name, stage, T, exp_T=None, breach=False):
        def fn(rm):
            t = next(t for t in rm.techs if t["name"] == name)
            old = t["stage"]
            t["stage"] = stage
            if stage in ("trial", "adopt") and "experiment" not in t:
                t["experiment"] = tech_experiment(exp_T or T)
            body = None
            if stage == "adopt":
                body = "All transition criteria are met; see the trial report."
            return (f"docs(tech): move {name} from {old} to {stage}", body, None,
                    ["roadmap/technology.toml"],
                    {"type": "tech", "technology": name, "from": old, "to": stage,
                     "maturity_breach": breach})
        ev(T, True, fn)

    span_all = t_end - t0
    at = lambda frac: t0 + int(span_all * frac)  # noqa: E731
    # vector-search: assess -> trial -> adopt
    move("vector-search", "trial", at(0.15))
    move("vector-search", "adopt", at(0.55))
    # wasm-plugins: assess -> trial -> hold
    move("wasm-plugins", "trial", at(0.30))
    move("wasm-plugins", "hold", at(0.70))
    # event-sourcing: assess -> trial -> adopt, or (unless --clean) straight to adopt
    if args.clean:
        move("event-sourcing", "trial", at(0.40))
        move("event-sourcing", "adopt", at(0.80))
    else:
        move("event-sourcing", "adopt", at(0.60), breach=True)
    # async-runtime-v2 stays in assess.
    add_tech("edge-cache", at(0.20))
    move("edge-cache", "trial", at(0.45))
    move("edge-cache", "adopt", at(0.90))
    add_tech("graphql-gateway", at(0.50))
    move("graphql-gateway", "trial", at(0.75))
    add_tech("columnar-store", at(0.85))

    # -- roadlint.toml revisions (--config-versions), signed by a KPI's owners --
    n_cfg = getattr(args, "config_versions", 1)

    def revise_config(k):
        def fn(rm):
            rm.config_version = k + 1
            kpi = rm.kpis[k % len(rm.kpis)]
            lo = "0.15" if rm.config_version % 2 == 0 else "0.20"
            verb = "relax" if lo == "0.15" else "restore"
            trailers = [("Product-Approved-By", kpi["product_owner"]),
                        ("Tech-Approved-By", kpi["tech_owner"])]
            return (f"chore(config): {verb} the debt-share minimum to {lo}",
                    "Agreed at the planning review by product and engineering.", trailers,
                    ["roadlint.toml"], {"type": "config", "version": rm.config_version})
        return fn

    for k in range(1, n_cfg):
        ev(t0 + span_all * k // n_cfg, True, revise_config(k))
    return events


# --------------------------------------------------------------------------
# Commit messages for ordinary commits
# --------------------------------------------------------------------------

def cc_subject(rng: random.Random, typ: str) -> str:
    scope = f"({rng.choice(SCOPES)})" if rng.random() < 0.7 else ""
    bang = "!" if rng.random() < 0.02 else ""
    thing = rng.choice(THINGS)
    if typ == "feat":
        text = rng.choice(["add", "support", "introduce", "allow configuring"]) + " " + thing
    elif typ == "fix":
        text = rng.choice(["handle", "avoid", "prevent"]) + " " + rng.choice(PROBLEMS)
    elif typ == "refactor":
        text = rng.choice(["extract", "simplify", "split", "rename internals of"]) + " " + thing
    elif typ == "perf":
        text = rng.choice(["speed up", "cache", "reduce allocations in"]) + " " + thing
    elif typ in ("chore", "build"):
        if rng.random() < 0.6:
            text = f"bump {rng.choice(DEPS)} to {rng.randint(0, 3)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
        else:
            text = rng.choice(["clean up", "remove unused code in", "reorganise"]) + " " + thing
    elif typ == "docs":
        text = rng.choice(["document", "explain", "fix typo in docs of"]) + " " + thing
    elif typ == "test":
        text = rng.choice(["cover", "add regression test for"]) + " " + rng.choice(THINGS + PROBLEMS)
    elif typ == "ci":
        text = rng.choice(["cache the cargo registry", "pin the toolchain", "run clippy on pull requests",
                           "split the test matrix", "upload coverage"])
    elif typ == "revert":
        text = "undo the " + thing + " change"
    else:  # style
        text = "format " + thing
    return f"{typ}{scope}{bang}: {text}"


def nonconventional_subject(rng: random.Random) -> tuple[str, bool]:
    """Returns (subject, is_git_style_revert)."""
    r = rng.randrange(6)
    if r == 0:
        return "WIP", False
    if r == 1:
        return "Update README", False
    if r == 2:
        return f"Merge branch 'topic/{rng.choice(THINGS).replace(' ', '-')}' into main", False
    if r == 3:
        return f"Revert \"{cc_subject(rng, rng.choice(['feat', 'fix', 'perf']))}\"", True
    if r == 4:
        return f"fixup! {cc_subject(rng, 'fix')}", False
    return f"Bump version to 1.{rng.randint(0, 30)}.{rng.randint(0, 9)}", False


def classify(msg: str, kinds: dict[str, str]) -> str:
    """Reference classification of a non-merge commit per SPEC.md section 4."""
    paras = msg.rstrip("\n").split("\n\n")
    if len(paras) > 1:
        for line in paras[-1].split("\n"):
            k, sep, v = line.partition(": ")
            if sep and k == "Roadmap-Item":
                kind = kinds.get(v.strip())
                if kind is not None:
                    if kind in DEBT_KINDS:
                        return "debt"
                    if kind in FEATURE_KINDS:
                        return "feature"
                    return "unclassified"
    m = CC_RE.match(msg)
    if m:
        t = m.group(1)
        if t in DEBT_TYPES:
            return "debt"
        if t in FEATURE_TYPES:
            return "feature"
    return "unclassified"


# --------------------------------------------------------------------------
# A realistic mix (--mix realistic): bots, bursts, reverts, linked subjects
# --------------------------------------------------------------------------
#
# Everything here draws from its own random stream, so `--mix plain` (the
# default) leaves the repository byte-identical to what it was before the
# mix existed, and a given mix and seed always give the same commits.

BOTS = [
    ("renovate[bot]", "29139614+renovate[bot]@users.noreply.github.com"),
    ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com"),
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("release-bot", "release-bot@example.com"),
]
# The default `[history] ignore_authors` of SPEC.md section 3.
IGNORE_AUTHORS = ["*[bot]*", "*-bot", "*-bot@*", "*robot*", "renovate*", "dependabot*",
                  "github-actions*"]
IGNORE_RE = re.compile("|".join(
    "(?:" + "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in p) + ")\\Z"
    for p in IGNORE_AUTHORS), re.IGNORECASE)

# How often each ingredient appears among ordinary commits, per preset.
MIX_PRESETS = {
    "plain": dict(bots=0.0, bursts=0.0, reverts=0.0, subject_ids=0.0, unknown_trailers=0.0,
                  rebases=0.0, skewed_authors=False),
    "realistic": dict(bots=0.12, bursts=0.02, reverts=0.015, subject_ids=0.08,
                      unknown_trailers=0.01, rebases=0.08, skewed_authors=True),
}


def is_ignored_author(name: str, email: str) -> bool:
    """Whether the default ignore_authors globs match the whole name or email."""
    return bool(IGNORE_RE.match(name) or IGNORE_RE.match(email))


def bot_subject(rng: random.Random, bot: str) -> str:
    if bot.startswith(("renovate", "dependabot")):
        dep = rng.choice(DEPS)
        version = f"{rng.randint(0, 3)}.{rng.randint(0, 40)}.{rng.randint(0, 9)}"
        if bot.startswith("dependabot"):
            return f"build(deps): bump {dep} from {version} to {version[:-1]}{rng.randint(0, 9)}"
        return rng.choice([f"chore(deps): update rust crate {dep} to v{version}",
                           f"fix(deps): update rust crate {dep} to v{version}",
                           "chore(deps): lock file maintenance"])
    if bot.startswith("github-actions"):
        return rng.choice(["chore: update generated files", "docs: regenerate the changelog",
                           "ci: update the workflow pins"])
    return f"chore(release): {rng.randint(1, 3)}.{rng.randint(0, 60)}.{rng.randint(0, 9)}"


BURST_SUBJECTS = ["fix(ui): address review comments", "style: cargo fmt", "fix: typo",
                  "test: fix the flaky assertion", "chore: remove debug print",
                  "refactor: rename a helper", "feat(ui): tweak the empty state copy",
                  "fix(api): handle the missing field", "feat: wire the new option through"]


class Mix:
    """Turns ordinary commits into a realistic history: bot authors, bursts
    of small commits by one author in one afternoon, git's `Revert "…"`,
    item ids in subjects, trailers naming unknown items, commits rebased by
    someone else (author time and committer differ), and a few developers
    writing most of the commits."""

    def __init__(self, args, seed: int):
        preset = dict(MIX_PRESETS[args.mix])
        for key in preset:
            v = getattr(args, f"mix_{key}", None)
            if v is not None:
                preset[key] = v
        self.p = preset
        self.on = any(preset.values())
        self.rng = random.Random(f"roadlint-bench/{seed}/mix")
        self.burst_left = 0
        self.burst_dev = None
        self.burst_at = 0
        self.weights = [1.0 / (k + 1) for k in range(len(DEVELOPERS))]

    def apply(self, ts: int, a_ts: int, msg: str, dev: tuple, linkable: list[str]):
        """(message, author, committer, author time) of an ordinary commit
        at committer time `ts`; `linkable` are item ids of its quarter."""
        p, rng = self.p, self.rng
        committer = dev
        if self.burst_left > 0:
            self.burst_left -= 1
            self.burst_at = min(ts, self.burst_at + rng.randint(3 * 60, 15 * 60))
            return (message(rng.choice(BURST_SUBJECTS)), self.burst_dev, self.burst_dev,
                    self.burst_at)
        r = rng.random()
        if r < p["bots"]:
            bot = rng.choice(BOTS)
            return message(bot_subject(rng, bot[0])), bot, bot, ts
        r -= p["bots"]
        if r < p["bursts"]:
            # One author's afternoon: 13:00 UTC of the latest day at or before ts.
            day = ts - ts % 86400
            start = day + 13 * 3600 if ts - day >= 13 * 3600 else day - 11 * 3600
            self.burst_left = rng.randint(6, 20)
            self.burst_dev = rng.choice(DEVELOPERS[:4])
            self.burst_at = start
            return message(rng.choice(BURST_SUBJECTS)), self.burst_dev, self.burst_dev, start
        if p["skewed_authors"]:
            dev = committer = rng.choices(DEVELOPERS, weights=self.weights)[0]
        subject, _, rest = msg.partition("\n")
        if rng.random() < p["reverts"]:
            reverted = cc_subject(rng, rng.choice(["feat", "fix", "perf", "refactor"]))
            sha = "%040x" % rng.getrandbits(160)
            msg = message(f'Revert "{reverted}"', f"This reverts commit {sha}.")
        elif linkable and rng.random() < p["subject_ids"]:
            msg = f"{subject} ({rng.choice(linkable)})\n{rest}"
        if rng.random() < p["unknown_trailers"]:
            unknown = f"{rng.choice(AREAS)}-{rng.randint(9000, 9999)}"
            paras = msg.rstrip("\n").split("\n\n")
            has_trailers = len(paras) > 1 and all(": " in line for line in paras[-1].split("\n"))
            msg = msg.rstrip("\n") + ("\n" if has_trailers else "\n\n") + f"Roadmap-Item: {unknown}\n"
        if rng.random() < p["rebases"]:
            committer = rng.choice([d for d in DEVELOPERS[:3] if d != dev] or DEVELOPERS)
            a_ts = ts - rng.randint(3600, 10 * 86400)
        return msg, dev, committer, a_ts


def add_mix_arguments(ap: argparse.ArgumentParser) -> None:
    g = ap.add_argument_group(
        "mix", "what ordinary commits look like; each share overrides the preset's")
    g.add_argument("--mix", choices=sorted(MIX_PRESETS), default="plain",
                   help="plain: developers only, as before the mix existed (same commit ids); "
                        "realistic: bots, bursts, reverts, item ids in subjects, unknown item "
                        "trailers, rebased commits, a few authors writing most commits")
    for key, what in [("bots", "commits by bots (renovate[bot], github-actions[bot], "
                               "dependabot[bot], release-bot)"),
                      ("bursts", "commits that start a burst of 6-20 small commits by one "
                                 "author in one afternoon"),
                      ("reverts", "commits with git's Revert \"...\" subject"),
                      ("subject_ids", "commits naming an item id of their quarter in the subject"),
                      ("unknown_trailers", "commits with a Roadmap-Item trailer naming no item"),
                      ("rebases", "commits rebased by another developer (author time up to "
                                  "10 days earlier, another committer)")]:
        g.add_argument(f"--mix-{key.replace('_', '-')}", dest=f"mix_{key}", type=float,
                       metavar="SHARE", help=f"share of {what}")


SUBJECT_ID_RE = re.compile(r"[A-Za-z0-9_-]+")


def classify_v2(msg: str, kinds: dict[str, str]) -> str:
    """Reference classification of SPEC.md v2 section 4 (history-debt-share):
    the item trailer, else an item id written as a whole word in the subject,
    else the Conventional Commits type, git's `Revert "…"` being `revert`."""
    paras = msg.rstrip("\n").split("\n\n")
    if len(paras) > 1:
        for line in paras[-1].split("\n"):
            k, sep, v = line.partition(": ")
            if sep and k == "Roadmap-Item" and v.strip() in kinds:
                return kind_class(kinds[v.strip()])
    subject = msg.split("\n", 1)[0]
    for word in SUBJECT_ID_RE.findall(subject):
        if word in kinds:
            return kind_class(kinds[word])
    if subject.startswith('Revert "'):
        return "debt" if "revert" in DEBT_TYPES else "unclassified"
    return classify(subject + "\n", {})


def kind_class(kind: str) -> str:
    return "debt" if kind in DEBT_KINDS else "feature" if kind in FEATURE_KINDS else "unclassified"


def effort_by_quarter(records, quarter_at_ts) -> dict:
    """Per quarter: commits and author-days by class (SPEC.md v2), ignored
    bot commits, and the debt share by each measure. `records` are
    (committer ts, author ts, author name, author email, class)."""
    per_day: dict[tuple[str, int], int] = {}
    kept = []
    ignored: dict[str, int] = {}
    for ts, a_ts, name, email, cls in records:
        q = quarter_at_ts(ts)
        if is_ignored_author(name, email):
            ignored[q] = ignored.get(q, 0) + 1
            continue
        key = ((email or name).lower(), a_ts // 86400)
        per_day[key] = per_day.get(key, 0) + 1
        kept.append((q, key, cls))
    out: dict[str, dict] = {}
    for q, key, cls in kept:
        s = out.setdefault(q, {"commits": {"debt": 0, "feature": 0, "unclassified": 0},
                               "author_days": {"debt": 0.0, "feature": 0.0, "unclassified": 0.0}})
        s["commits"][cls] += 1
        s["author_days"][cls] += 1.0 / per_day[key]
    for q, s in out.items():
        s["ignored_commits"] = ignored.get(q, 0)
        for m in ("commits", "author_days"):
            d, f = s[m]["debt"], s[m]["feature"]
            s[f"debt_share_by_{m}"] = round(d / (d + f), 4) if d + f else None
        s["author_days"] = {k: round(v, 3) for k, v in s["author_days"].items()}
    return out


# --------------------------------------------------------------------------
# Main generation
# --------------------------------------------------------------------------

def git_env() -> dict:
    env = dict(os.environ)
    for k in list(env):
        if k.startswith("GIT_"):
            del env[k]
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, LC_ALL="C",
               GIT_TERMINAL_PROMPT="0")
    return env


def run_git(cwd, *argv, capture=False):
    r = subprocess.run(["git", *argv], cwd=cwd, env=git_env(), check=True,
                       stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return r.stdout.decode().strip() if capture else None


def src_content(path: str, rev: int) -> str:
    name = path.rsplit("/", 1)[-1][:-3]
    return (f"//! {path}\n\npub const REVISION: u64 = {rev};\n\n"
            f"pub fn {name}_value(x: u64) -> u64 {{\n    x.wrapping_mul(REVISION + {len(name)})\n}}\n")


def other_content(path: str, rev: int) -> str:
    if path == "Cargo.toml":
        return (f'[package]\nname = "bench-app"\nversion = "0.{rev}.0"\nedition = "2021"\n\n'
                '[dependencies]\nserde = "1"\n')
    if path.endswith(".rs"):
        return f"#[test]\nfn revision_{rev}() {{\n    assert_eq!({rev} + 1, {rev + 1});\n}}\n"
    if path.endswith(".yml"):
        return f"name: ci\non: [push, pull_request]\n# revision {rev}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cargo test\n"
    return f"# {path}\n\nRevision {rev} of this page.\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] + " See the module docstring for details.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--out", required=True, metavar="DIR",
                    help="where to create the repository (must not exist, or be empty)")
    ap.add_argument("--commits", type=int, default=10000, metavar="N", help="total number of commits")
    ap.add_argument("--roadmap-files", type=int, default=8, metavar="M",
                    help="target number of roadmap files; quarter files, kpis.toml, technology.toml "
                         "and one requests file are always written, extra requests files fill up to M")
    ap.add_argument("--seed", type=int, default=1, metavar="S", help="random seed")
    ap.add_argument("--locked-quarters", type=int, default=1, metavar="K",
                    help="quarters with a `locked` date (default 1: the middle one, with the "
                         "deliberate scope changes; the others are locked near their end)")
    ap.add_argument("--config-versions", type=int, default=1, metavar="N",
                    help="versions of roadlint.toml over the history (default 1: written once); "
                         "each later one is a signed, semantic change")
    ap.add_argument("--start", default="2023-01-01", metavar="YYYY-MM-DD", help="date of the first commit")
    ap.add_argument("--years", type=int, default=2, metavar="Y", help="years the history spans")
    ap.add_argument("--merges", action="store_true",
                    help="about every 50th commit is a merge of a short side branch")
    ap.add_argument("--clean", action="store_true",
                    help="no deliberate breaches: every locked-scope change is signed, no maturity "
                         "skip, actual debt share tracks the plan")
    ap.add_argument("--bare", action="store_true", help="create a bare repository (no working tree)")
    ap.add_argument("--commit-graph", action="store_true",
                    help="run `git commit-graph write --reachable` after the import")
    ap.add_argument("--gc", action="store_true", help="run `git repack -adf` after the import (slow)")
    ap.add_argument("--compression", type=int, choices=range(-1, 10), default=-1, metavar="LEVEL",
                    help="zlib level for the imported pack (-1: git's default). 0 imports about a "
                         "third faster but leaves unrealistically cheap-to-read objects")
    ap.add_argument("--manifest", metavar="FILE",
                    help="write expected linter results (JSON) to FILE")
    add_mix_arguments(ap)
    args = ap.parse_args(argv)
    t_start = time.monotonic()

    try:
        start = dt.date.fromisoformat(args.start)
    except ValueError:
        ap.error(f"--start: not a date: {args.start!r}")
    if args.years < 1:
        ap.error("--years must be >= 1")
    if args.config_versions < 1:
        ap.error("--config-versions must be >= 1")
    out = os.path.abspath(args.out)
    if os.path.exists(out) and (not os.path.isdir(out) or os.listdir(out)):
        ap.error(f"--out {out}: exists and is not an empty directory")

    # ---- time grid -----------------------------------------------------------
    N = args.commits
    t0 = ts_of(start, 9 * 3600)
    t_end = ts_of(add_years(start, args.years))
    span = t_end - t0
    if N > span:
        ap.error(f"--commits: at most {span} commits fit in {args.years} years")

    def T(i: int) -> int:
        return t0 + i * span // N

    # ---- roadmap -------------------------------------------------------------
    rng_plan = random.Random(f"roadlint-bench/{args.seed}/plan")
    rm = Roadmap()
    rm.t_end = t_end
    ids = IdGen(rng_plan)
    rm.ids = ids
    y, q = quarter_of(start)
    last = quarter_of(date_of(T(N - 1)) if N > 0 else start)
    earlier: list[str] = []
    while (y, q) <= last:
        rm.quarters.append(build_quarter(rng_plan, ids, y, q, earlier))
        y, q = next_quarter(y, q)
    nq = len(rm.quarters)
    rm.kpis = []
    for i, (kid, desc) in enumerate(KPIS):
        po = PRODUCT_OWNERS[i % len(PRODUCT_OWNERS)]
        to = TECH_OWNERS[(i + 1) % len(TECH_OWNERS)]
        rm.kpis.append({"id": kid, "description": desc, "product_owner": po, "tech_owner": to})
    rm.techs = [{"name": n, "stage": "assess",
                 "criteria": [f"{n}: p95 < 50 ms on production data", f"{n}: ops runbook written"]}
                for n in TECHNOLOGIES[:4]]
    n_req_files = max(1, args.roadmap_files - nq - 2)
    feats = [it for qu in rm.quarters for it in qu.items if it["kind"] == "feature"]
    rn = 0
    for f in range(n_req_files):
        reqs = []
        for _ in range(rng_plan.randint(1, 3)):
            rn += 1
            st = rng_plan.choice(["accepted", "accepted", "shipped", "proposed", "rejected"])
            r = {"id": f"REQ-{rn}", "customer": rng_plan.choice(CUSTOMERS),
                 "title": rng_plan.choice(TITLES["feature"]), "status": st,
                 "business_commitment": f"{rng_plan.randint(1, 3)}-year renewal, {rng_plan.randint(20, 400)}k ARR"}
            if st in ("accepted", "shipped"):
                target = rng_plan.choice(feats)
                r.update(technical_feasibility=f"{rng_plan.randint(2, 6)} weeks with the current stack",
                         acceptance_criteria=["works with the customer's identity provider",
                                              "covered by an end-to-end test"],
                         roadmap_impact=f"displaces low-priority work in {target['id'][:target['id'].index('-')]}",
                         item=target["id"])
            elif st == "proposed" and rng_plan.random() < 0.7:
                r["_later_accept"] = True
            reqs.append(r)
        rm.request_files.append(reqs)
    rm.items_all = lambda: ((qu, it) for qu in rm.quarters for it in qu.items)

    locked_idx = nq // 2
    rng_ev = random.Random(f"roadlint-bench/{args.seed}/events")
    events = plan_events(args, rng_ev, rm, locked_idx, t0)
    events.sort(key=lambda e: (e.T, e.seq))
    n_initial = 1  # the initial import commit

    # ---- commit layout (merges) ----------------------------------------------
    # kind: 0 plain main commit, 1 side-branch commit, 2 main commit inside a
    # merge window, 3 merge commit
    layout = bytearray(N)
    rng_lay = random.Random(f"roadlint-bench/{args.seed}/layout")
    n_mandatory = sum(1 for e in events if e.mandatory) + n_initial
    if args.merges:
        i = max(60, len(events) + n_initial + 5) if N > 400 else N
        while True:
            k_side, k_main = rng_lay.randint(1, 4), rng_lay.randint(0, 3)
            seq = [2] * k_main + [1] * (k_side - 1)
            rng_lay.shuffle(seq)
            seq = [1] + seq + [3]
            if i + len(seq) > N:
                break
            layout[i:i + len(seq)] = bytes(seq)
            i += len(seq) + rng_lay.randint(40, 56)
    plain = N - sum(1 for b in layout if b != 0) if args.merges else N
    if plain < n_mandatory + 1:
        ap.error(f"--commits: need at least {n_mandatory + 1} commits for the roadmap history "
                 f"({N} given)")
    # Thin out optional events when there are too few commits for them.
    budget = max(n_mandatory - n_initial, plain // 3)
    optional = [e for e in events if not e.mandatory]
    keep_opt = budget - (n_mandatory - n_initial)
    if len(optional) > keep_opt:
        step = len(optional) / max(1, keep_opt)
        keep = {id(optional[int(j * step)]) for j in range(keep_opt)}
        events = [e for e in events if e.mandatory or id(e) in keep]
    # Assign each event the first free plain main slot at or after its time.
    slot = n_initial
    ev_at: dict[int, Event] = {}
    for e in events:
        lo = max(slot, -(-(e.T - t0) * N // span))
        while lo < N and layout[lo] != 0:
            lo += 1
        if lo >= N:
            if e.mandatory:
                ap.error("--commits too small for the roadmap history")
            continue
        e.slot = lo
        ev_at[lo] = e
        slot = lo + 1

    # ---- apply events in order (validated) -----------------------------------
    kinds_now = {}
    prev_scope = {qu.path: None for qu in rm.quarters}
    for idx in sorted(ev_at):
        e = ev_at[idx]
        subject, body, trailers, paths, meta = e.fn(rm)
        rm.validate()
        e.msg = message(subject, body, trailers)
        e.author = ROADMAP_EDITORS[idx % len(ROADMAP_EDITORS)]
        e.files = []
        for p in paths:
            text = rm.render(p)
            tomllib.loads(text)
            e.files.append((p, text))
        meta["time"] = dt.datetime.fromtimestamp(T(idx), UTC).isoformat().replace("+00:00", "Z")
        meta["subject"] = subject
        qu_l = rm.quarters[locked_idx]
        if qu_l.path in paths:
            sc = qu_l.scope()
            meta["scope_changed"] = prev_scope[qu_l.path] is not None and sc != prev_scope[qu_l.path]
            prev_scope[qu_l.path] = sc
        e.meta = meta
    final_kinds = {it["id"]: it["kind"] for qu in rm.quarters for it in qu.items}
    owners_p = {it["product_owner"] for qu in rm.quarters for it in qu.items} | {k["product_owner"] for k in rm.kpis}
    owners_t = {it["tech_owner"] for qu in rm.quarters for it in qu.items} | {k["tech_owner"] for k in rm.kpis}
    # final files for the initial commit must exist: every roadmap file is created by an event
    assert all(qu.path in rm.created for qu in rm.quarters)

    # ---- per-quarter history targets ----------------------------------------
    planned = {}
    for qu in rm.quarters:
        planned[qu.name] = qu.debt_effort() / qu.effort()
    rng_tg = random.Random(f"roadlint-bench/{args.seed}/targets")
    target = {}
    drift_q = {}
    for i, qu in enumerate(rm.quarters):
        target[qu.name] = min(0.95, max(0.05, planned[qu.name] + rng_tg.uniform(-0.04, 0.04)))
    if not args.clean and nq >= 3:
        hi_q, lo_q = rm.quarters[1].name, rm.quarters[nq - 2].name
        target[hi_q] = planned[hi_q] + 0.25
        drift_q[hi_q] = "actual debt share far above plan (drift)"
        target[lo_q] = 0.08
        drift_q[lo_q] = "actual debt share below min 0.15 (and drift)"
    q_bounds = [(ts_of(qu.start), ts_of(qu.end + dt.timedelta(days=1)), qu) for qu in rm.quarters]
    items_by_q = {}
    for qu in rm.quarters:
        removed = set()
        for e in ev_at.values():
            if e.meta.get("op") == "remove":
                removed.add(e.meta["item"])
        by = {"debt": [], "feature": [], "unclassified": []}
        for it in qu.items:
            if it["id"] in removed:
                continue
            c = "debt" if it["kind"] in DEBT_KINDS else "feature" if it["kind"] in FEATURE_KINDS else "unclassified"
            by[c].append(it["id"])
        items_by_q[qu.name] = by

    # ---- repository ----------------------------------------------------------
    os.makedirs(out, exist_ok=True)
    init = ["init", "-q", "--initial-branch=main", "--object-format=sha1"]
    if args.bare:
        init.append("--bare")
    run_git(out, *init)
    tmp = tempfile.mkdtemp(prefix="gen_repo-")
    marks_path = os.path.join(tmp, "marks")
    fi = ["git", "fast-import", "--quiet", "--done", f"--export-marks={marks_path}"]
    if args.compression >= 0:
        fi[1:1] = ["-c", f"core.compression={args.compression}", "-c", f"pack.compression={args.compression}"]
    proc = subprocess.Popen(fi,
                            cwd=out, env=git_env(), stdin=subprocess.PIPE, bufsize=1 << 20)
    pipe = proc.stdin

    rng = random.Random(f"roadlint-bench/{args.seed}/commits")
    mix = Mix(args, args.seed)
    records = []  # (committer ts, author ts, name, email, v2 class) for the manifest
    buf: list[str] = []
    buf_len = [0]

    def flush():
        if buf:
            pipe.write("".join(buf).encode())
            buf.clear()
            buf_len[0] = 0

    def data(s: str) -> str:
        return f"data {len(s.encode())}\n{s}\n" if not s.isascii() else f"data {len(s)}\n{s}\n"

    src_files = [f"src/{m}/{m}_{j:02d}.rs" for m in MODULES for j in range(FILES_PER_MODULE)]
    doc_files = ["README.md"] + [f"docs/{t.replace(' ', '-')}.md" for t in THINGS[:12]]
    test_files = [f"tests/{m}_it.rs" for m in MODULES]
    stats = {qu.name: {"debt": 0, "feature": 0, "unclassified": 0, "git_style_revert": 0,
                       "merges": 0, "roadmap_commits": 0} for qu in rm.quarters}
    marked: dict[int, str] = {}  # mark -> what
    qi = 0

    def quarter_at(ts):
        nonlocal qi
        while ts >= q_bounds[qi][1]:
            qi += 1
        return q_bounds[qi][2].name

    def ident(dev):
        return f"{dev[0]} <{dev[1]}>"

    side_paths: dict[str, str] = {}
    side_module = None
    merges_done = 0
    for i in range(N):
        ts = T(i)
        qname = quarter_at(ts)
        st = stats[qname]
        kind = layout[i]
        ref = "refs/heads/side" if kind == 1 else "refs/heads/main"
        files: list[tuple[str, str]]
        extra = ""
        a_ts = ts
        committer = None
        if i == 0:
            msg = message("chore: initial import",
                          "Bring the service, its tests and the lint configuration into one repository.")
            dev = DEVELOPERS[0]
            files = [(p, src_content(p, 0)) for p in src_files]
            files += [(p, other_content(p, 0)) for p in doc_files[1:] + test_files
                      + ["Cargo.toml", ".github/workflows/ci.yml"]]
            files += [("README.md", "# bench-app\n\nA generated benchmark repository for roadlint.\n"),
                      ("roadlint.toml", config_text(1))]
        elif i in ev_at:
            e = ev_at[i]
            msg, dev, files = e.msg, e.author, e.files
            marked[i + 1] = "event"
            st["roadmap_commits"] += 1
        elif kind == 3:
            merges_done += 1
            slug = f"{side_module}-{merges_done}"
            if rng.random() < 0.5:
                msg = f"Merge branch 'topic/{slug}'\n"
            else:
                msg = f"Merge pull request #{merges_done + 100} from team/{slug}\n\n{cc_subject(rng, 'feat')}\n"
            dev = rng.choice(DEVELOPERS)
            extra = "merge refs/heads/side\n"
            files = sorted(side_paths.items())
            side_paths = {}
            side_module = None
            st["merges"] += 1
        else:
            # ordinary commit: choose its class, then a message of that class
            r = rng.random()
            d, f = st["debt"], st["feature"]
            tg = target[qname]
            if r < 0.08:
                want = "unclassified"
            elif d + f == 0:
                want = "debt" if rng.random() < tg else "feature"
            else:
                want = "debt" if d / (d + f) < tg else "feature"
            trailers: list[tuple[str, str]] = []
            body = None
            revert = False
            pool = items_by_q[qname][want]
            if pool and rng.random() < 0.06:
                trailers.append(("Roadmap-Item", rng.choice(pool)))
                typ = rng.choice(["feat", "fix", "refactor", "chore", "docs"])
                subject = cc_subject(rng, typ)
            elif want == "debt":
                typ = rng.choices(DEBT_TYPES, weights=(35, 15, 6, 14, 6, 7, 12, 3))[0]
                subject = cc_subject(rng, typ)
            elif want == "feature":
                typ = "feat"
                subject = cc_subject(rng, typ)
            else:
                if rng.random() < 0.5:
                    typ = rng.choice(["docs", "docs", "style"])
                    subject = cc_subject(rng, typ)
                else:
                    typ = None
                    subject, revert = nonconventional_subject(rng)
            if rng.random() < 0.25:
                body = " ".join(rng.sample(SENTENCES, rng.randint(1, 3)))
                if rng.random() < 0.3:
                    body += "\n\n" + " ".join(rng.sample(SENTENCES, 2))
            if "!:" in subject and rng.random() < 0.5:
                trailers.append(("BREAKING-CHANGE", "the old behaviour is gone"))
            x = rng.random()
            if x < 0.05:
                dv = rng.choice(DEVELOPERS)
                trailers.append(("Signed-off-by", ident(dv)))
            elif x < 0.08:
                dv = rng.choice(DEVELOPERS)
                trailers.append(("Co-authored-by", ident(dv)))
            elif x < 0.12:
                trailers.append(("Refs", f"#{rng.randint(1, 9999)}"))
            msg = message(subject, body, trailers)
            dev = rng.choice(DEVELOPERS)
            if rng.random() < 0.05:
                a_ts = ts - rng.randint(60, 5 * 86400)
            if mix.on and kind != 1:
                pool = items_by_q[qname]["debt"] + items_by_q[qname]["feature"]
                msg, dev, committer, a_ts = mix.apply(ts, a_ts, msg, dev, pool)
            if revert:
                st["git_style_revert"] += 1
            # files
            if kind == 1:
                if side_module is None:
                    side_module = rng.choice(MODULES)
                    extra = "from refs/heads/main\n"
                p = f"src/{side_module}/{side_module}_{rng.randrange(FILES_PER_MODULE):02d}.rs"
                c = src_content(p, i)
                side_paths[p] = c
                files = [(p, c)]
            elif typ == "docs" or subject == "Update README":
                p = "README.md" if subject == "Update README" else rng.choice(doc_files)
                files = [(p, other_content(p, i))]
            elif typ == "ci":
                files = [(".github/workflows/ci.yml", other_content(".github/workflows/ci.yml", i))]
            elif typ == "build":
                files = [("Cargo.toml", other_content("Cargo.toml", i))]
            elif typ == "test":
                p = rng.choice(test_files)
                files = [(p, other_content(p, i))]
            else:
                n = 1 if rng.random() < 0.9 else rng.randint(2, 3)
                files = []
                for _ in range(n):
                    p = rng.choice(src_files)
                    if side_module and p.startswith(f"src/{side_module}/"):
                        p = f"src/util/util_{rng.randrange(FILES_PER_MODULE):02d}.rs" if side_module != "util" \
                            else f"src/core/core_{rng.randrange(FILES_PER_MODULE):02d}.rs"
                    files.append((p, src_content(p, i)))
        if kind != 3:
            c = classify(msg, final_kinds)
            st[c] += 1
            if args.manifest:
                records.append((ts, a_ts, dev[0], dev[1], classify_v2(msg, final_kinds)))
        parts = [f"commit {ref}\n"]
        if (i + 1) in marked:
            parts.append(f"mark :{i + 1}\n")
        parts.append(f"author {ident(dev)} {a_ts} +0000\ncommitter {ident(committer or dev)} {ts} +0000\n")
        parts.append(data(msg))
        parts.append(extra)
        for p, content in files:
            parts.append(f"M 100644 inline {p}\n")
            parts.append(data(content))
        parts.append("\n")
        s = "".join(parts)
        buf.append(s)
        buf_len[0] += len(s)
        if buf_len[0] > (1 << 20):
            flush()
    buf.append("done\n")
    flush()
    pipe.close()
    if proc.wait() != 0:
        print("gen_repo: git fast-import failed", file=sys.stderr)
        return 1
    marks = {}
    with open(marks_path) as fh:
        for line in fh:
            m, sha = line.split()
            marks[int(m[1:])] = sha
    shutil.rmtree(tmp)
    if args.merges:
        run_git(out, "update-ref", "-d", "refs/heads/side")
    if not args.bare:
        run_git(out, "reset", "-q", "--hard", "HEAD")
    if args.commit_graph:
        run_git(out, "commit-graph", "write", "--reachable")
    if args.gc:
        run_git(out, "repack", "-adfq")
    head = run_git(out, "rev-parse", "HEAD", capture=True)

    # ---- manifest --------------------------------------------------------------
    if args.manifest:
        lq = rm.quarters[locked_idx]
        lock_ts = ts_of(lq.locked)
        scope_commits = []
        for idx in sorted(ev_at):
            e = ev_at[idx]
            if not e.meta.get("scope_changed"):
                continue
            tr = dict(line.split(": ", 1) for line in e.msg.rstrip("\n").split("\n\n")[-1].split("\n")
                      if ": " in line) if "\n\n" in e.msg else {}
            after = T(idx) >= lock_ts
            p, t_ = tr.get("Product-Approved-By"), tr.get("Tech-Approved-By")
            ok = p in owners_p and t_ in owners_t and p != t_
            scope_commits.append({
                "commit": marks[idx + 1], "time": e.meta["time"], "subject": e.meta["subject"],
                "item": e.meta.get("item"), "op": e.meta.get("op"),
                "after_lock": after, "product_approved_by": p, "tech_approved_by": t_,
                "signoff_variant": e.meta.get("signoff_variant"),
                "breach": after and not ok})
        starts = [b[0] for b in q_bounds]
        v2 = effort_by_quarter(
            records, lambda t: q_bounds[max(0, bisect.bisect_right(starts, t) - 1)][2].name)
        quarters = []
        for qu in rm.quarters:
            s = stats[qu.name]
            dsum = s["debt"] + s["feature"]
            actual = s["debt"] / dsum if dsum else None
            quarters.append({
                "quarter": qu.name, "file": qu.path, "capacity": qu.capacity,
                "planned_effort": qu.effort(), "planned_debt_share": round(planned[qu.name], 4),
                "commits": {"debt": s["debt"], "feature": s["feature"], "unclassified": s["unclassified"]},
                "actual_debt_share": round(actual, 4) if actual is not None else None,
                "merge_commits": s["merges"], "git_style_revert_subjects": s["git_style_revert"],
                "history_debt_share_breach": bool(
                    dsum >= 10 and (actual < 0.15 or abs(actual - planned[qu.name]) > 0.10)),
                "intended_breach": drift_q.get(qu.name),
                "v2": v2.get(qu.name)})
        tech = [dict(commit=marks[idx + 1], **{k: v for k, v in ev_at[idx].meta.items()
                                                 if k in ("technology", "from", "to", "time", "maturity_breach")})
                for idx in sorted(ev_at) if ev_at[idx].meta["type"] == "tech"]
        manifest = {
            "generator": "bench/gen_repo.py", "args": {
                k: v for k, v in vars(args).items() if k not in ("out", "manifest")
                and not (k == "config_versions" and v == 1)},  # manifests as before the option
            "head": head, "commits": N,
            "roadmap_files": sorted(p for p in rm.created),
            "locked_quarter": {"quarter": lq.name, "file": lq.path, "locked": lq.locked.isoformat(),
                               "scope_commits": scope_commits,
                               "expected_breaches": sum(1 for c in scope_commits if c["breach"])},
            "quarters": quarters,
            "technology_transitions": tech,
            "expected_plan_errors": 0,
        }
        with open(args.manifest, "w") as fh:
            json.dump(manifest, fh, indent=2)
            fh.write("\n")

    secs = time.monotonic() - t_start
    print(f"gen_repo: {N} commits, {len(rm.created)} roadmap files, "
          f"{sum(1 for b in layout if b == 3)} merges, HEAD {head}, {secs:.1f}s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
