#!/usr/bin/env python3
"""The benchmark's figures from its raw runs (bench/bench.sh): one table, printed and written
to DIR/figures.md, and DIR/inflate.html, a self-contained page (inline CSS and SVG, no script)
with the inflate curves of every tool and the paced runs, drawn like the runner's report
charts (runner/report/chart.c, html.c).

usage: bench/report.py BENCH_DIR                 (after bench/bench.sh; make bench runs it)
       bench/report.py --docs docs/benchmarks.md README.md BENCH_DIR
           replaces the table between <!-- bench:begin --> and <!-- bench:end --> in
           docs/benchmarks.md with BENCH_DIR/figures.md, and the one between
           <!-- bench-summary:begin --> and <!-- bench-summary:end --> in README.md with
           BENCH_DIR/summary.md, its headline figures (make bench-docs)

Only ratios of runs taken in turns mean something on a VM whose page-fault speed drifts: every
ratio here is per round (the runs of one round were back to back), then the median and the
spread over the rounds."""

import csv
import glob
import html
import json
import math
import os
import re
import statistics
import sys

MiB = 1 << 20
GiB = 1 << 30

# The runner's chart colours (runner/report/chart.c), one per tool.
TOOLS = {
    "balloon": ("balloon", "#8e44ad", None),
    "populate": ("MADV_POPULATE_WRITE", "#1f5fbf", None),
    "stress-ng": ("stress-ng --vm 1 --vm-keep", "#1e8449", None),
    "memhog": ("memhog", "#e67e22", None),
    "baseline": ("balloon before (BENCH_BASELINE)", "#6b6b6b", "2 2"),
}
SIZE_COLOR, SIZE_DASH = "#c0392b", "7 4"


# ---------------------------------------------------------------- raw runs

def load_runs(d, part):
    runs = []
    for f in sorted(glob.glob(os.path.join(d, part, "*.json"))):
        with open(f) as fh:
            r = json.load(fh)
        r["dir"] = os.path.join(d, part)
        runs.append(r)
    return runs


def samples(run):
    """(t_s, usage_bytes) of a run's CSV; rows without a usage are left out."""
    out = []
    with open(os.path.join(run["dir"], run["name"] + ".csv")) as fh:
        for row in csv.DictReader(fh):
            if row["usage_bytes"]:
                out.append((float(row["t_s"]), int(row["usage_bytes"])))
    return out


def rss_samples(run):
    """(t_s, rss_bytes, rss_shared_bytes) of a run's CSV: the command's resident memory and
    its file-backed part (statm)."""
    out = []
    with open(os.path.join(run["dir"], run["name"] + ".csv")) as fh:
        for row in csv.DictReader(fh):
            if row["rss_bytes"]:
                out.append((float(row["t_s"]), int(row["rss_bytes"]),
                            int(row["rss_shared_bytes"])))
    return out


def beyond_payload(run):
    """At the highest RSS sample: (RSS - size, its file-backed part) in KiB."""
    t, rss, shared = max(rss_samples(run), key=lambda x: x[1])
    return (rss - run["size"]) // 1024, shared // 1024


def reach_time(run, level):
    """Seconds from launch until the cgroup's usage first reached level, interpolated between
    the two 20 ms samples around the crossing; None if it never did."""
    prev = None
    for t, u in samples(run):
        if u >= level:
            if prev is None or u == prev[1]:
                return t
            t0, u0 = prev
            return t0 + (level - u0) / (u - u0) * (t - t0)
        prev = (t, u)
    return None


def slowest_window(run):
    """The slowest 1 s of a run by its cgroup usage (MiB/s), from its first sample above 1 %
    of the size to the size reached; its whole average when that is shorter than 1 s."""
    pts = [(t, u) for t, u in samples(run)]
    size = run["size"]
    a = next((i for i, (_, u) in enumerate(pts) if u > size / 100), None)
    b = next((i for i, (_, u) in enumerate(pts) if u >= size),
             max(range(len(pts)), key=lambda i: pts[i][1]) if pts else 0)
    if a is None or b <= a:
        return None
    if pts[b][0] - pts[a][0] < 1:
        return (pts[b][1] - pts[a][1]) / MiB / (pts[b][0] - pts[a][0])
    worst, j = None, a
    for i in range(a, b + 1):
        while j + 1 <= i and pts[j + 1][0] <= pts[i][0] - 1:
            j += 1
        if pts[i][0] - pts[j][0] >= 1 - 0.03:
            r = (pts[i][1] - pts[j][1]) / MiB / (pts[i][0] - pts[j][0])
            worst = r if worst is None or r < worst else worst
    return worst


def progress_lines(run):
    out = []
    with open(os.path.join(run["dir"], run["name"] + ".log")) as fh:
        for line in fh:
            if line.startswith('{"event":'):
                out.append(json.loads(line))
    return out


# ---------------------------------------------------------------- numbers

def med(v):
    return statistics.median(v) if v else None


def spread(v, fmt="{:.2f}"):
    return (fmt + "-" + fmt).format(min(v), max(v)) if v else "n/a"


def mibs(nbytes, secs):
    return nbytes / MiB / secs if secs and secs > 0 else None


def fmt_size(b):
    if b >= GiB and b % (GiB // 4) == 0:
        return "%g GiB" % (b / GiB)
    return "%g MiB" % round(b / MiB, 1)


# ---------------------------------------------------------------- inflate

def inflating_speed(run):
    """MiB/s while inflating by the cgroup's usage: 99 % of the size over the time from its
    crossing 1 % of the size to its crossing the size (each interpolated between samples), so
    that a tool's start-up (stress-ng takes ~0.2 s) is not counted against it."""
    a, b = reach_time(run, run["size"] / 100), reach_time(run, run["size"])
    return 0.99 * run["size"] / MiB / (b - a) if a is not None and b and b > a else None


def inflate_figures(runs):
    """Per mode: per-round ratios and medians. Balloon vs populate by their own timers (the
    balloon's t(inflated) - t(started), populate's one madvise call) and by the cgroup's
    usage (inflating_speed, the same for every tool); the balloon vs each peer by the latter
    only: the peers time nothing themselves."""
    out = {}
    for mode in ("4k", "thp"):
        rounds = {}
        for r in runs:
            if r.get("mode") == mode:
                r["speed"] = inflating_speed(r)
                r["reach"] = reach_time(r, r["size"])
                rounds.setdefault(r["round"], {})[r["tool"]] = r
        if not rounds:
            continue
        size = next(iter(next(iter(rounds.values())).values()))["size"]
        f = {"size": size, "rounds": len(rounds), "own": [], "by_usage": {}, "speed": {},
             "launch": {}, "baseline_own": []}
        for rr in rounds.values():
            b, p = rr.get("balloon"), rr.get("populate")
            if b and p and b.get("own_s") and p.get("own_s"):
                f["own"].append(p["own_s"] / b["own_s"])
            bl = rr.get("baseline")
            if bl and p and bl.get("own_s") and p.get("own_s"):
                f["baseline_own"].append(p["own_s"] / bl["own_s"])
            for tool, run in rr.items():
                if run["speed"]:
                    f["speed"].setdefault(tool, []).append(run["speed"])
                if run["reach"]:
                    f["launch"].setdefault(tool, []).append(run["reach"])
                if tool != "balloon" and b and b["speed"] and run["speed"]:
                    f["by_usage"].setdefault(tool, []).append(b["speed"] / run["speed"])
        f["own_speed"] = {t: [mibs(size, rr[t]["own_s"]) for rr in rounds.values()
                              if t in rr and rr[t].get("own_s")]
                          for t in ("balloon", "populate", "baseline")}
        out[mode] = f
    return out


def inflate_rows(fig):
    rows = []
    for mode, label in (("4k", "4K pages"), ("thp", "THP (`--thp on`)")):
        f = fig.get(mode)
        if not f:
            continue
        own, pop = f["own"], f["by_usage"].get("populate")
        measured = ("**%.2fx** one MADV_POPULATE_WRITE by their own timers (median of %d "
                    "rounds, %s)" % (med(own), len(own), spread(own)) if own else "n/a")
        if pop:
            measured += "; %.2fx by cgroup usage (%s)" % (med(pop), spread(pop))
        if f["baseline_own"]:
            measured += ("; the balloon before (BENCH_BASELINE): %.2fx (%s)"
                         % (med(f["baseline_own"]), spread(f["baseline_own"])))
        peers = ["own timers: balloon %.0f MiB/s, populate %.0f MiB/s" % (
            med(f["own_speed"]["balloon"]), med(f["own_speed"]["populate"]))
            if f["own_speed"]["balloon"] and f["own_speed"]["populate"] else ""]
        for t in ("stress-ng", "memhog"):
            ratios = f["by_usage"].get(t)
            if ratios:
                peers.append("%s %.0f MiB/s (launch to size %.2f s): the balloon **%.2fx** "
                             "its speed (%s)" % (t, med(f["speed"][t]), med(f["launch"][t]),
                                                 med(ratios), spread(ratios)))
            elif t == "memhog" and mode == "thp":
                peers.append("memhog: n/a (it cannot ask for THP)")
        if f["speed"].get("balloon"):
            peers.append("balloon by cgroup usage %.0f MiB/s (launch to size %.2f s)"
                         % (med(f["speed"]["balloon"]), med(f["launch"]["balloon"])))
        rows.append(("inflate %s at `--rate 0`, %s, a fresh cgroup per run, %d rounds"
                     % (fmt_size(f["size"]), label, f["rounds"]),
                     ">= 0.95x one `MADV_POPULATE_WRITE` of the same size; ahead of "
                     "`stress-ng --vm 1 --vm-keep` and `memhog`",
                     measured, "; ".join(p for p in peers if p)))
    return rows


# ---------------------------------------------------------------- rates

def schedule(rate, ramp, t):
    """Bytes the pacing grants from 0 to t: rate * t, or the ramp's integral."""
    if ramp <= 0 or t >= ramp:
        return rate * (t - ramp / 2) if ramp > 0 else rate * t
    return rate * t * t / (2 * ramp)


def grid_points(run):
    """The balloon's progress points on its 100 ms grid: {k: (lateness_s, bytes)}. Point 0 is
    the "started" line (0 bytes; the pacing's t0 is a few microseconds later); point k a
    "tick" line, written at the start of pacing tick 5k, before that tick's grant is spent.
    A line is never early, so its point is the last grid point at or before it; a line that
    came late (the balloon did not run, or a fault stalled it) is left out of the windows."""
    lines = progress_lines(run)
    t0 = next(e["t"] for e in lines if e["event"] == "started")
    pts = {0: (0.0, 0)}
    for e in lines:
        if e["event"] == "tick":
            k = int(math.floor((e["t"] - t0) / 0.1 + 1e-6))
            pts[k] = ((e["t"] - t0) - k * 0.1, e["bytes"])
    return pts


def windows(run):
    """Every 1 s window between two progress points 10 points (1 s) apart, each within 10 ms
    of its grid point: (t_start, achieved bytes / scheduled bytes)."""
    pts = {k: b for k, (late, b) in grid_points(run).items() if late < 0.010}
    rate = run["rate_mib"] * MiB
    ramp = run["ramp_s"]
    out = []
    for k in sorted(pts):
        if k + 10 in pts:
            want = schedule(rate, ramp, (k + 10) / 10) - schedule(rate, ramp, k / 10)
            out.append((k / 10, (pts[k + 10] - pts[k]) / want))
    return out


def latest_line(run):
    """How late the balloon's most belated progress line came after its grid point, in ms:
    a lower bound of the longest time it did not get to run (or waited on a fault)."""
    return 1000 * max(late for late, _ in grid_points(run).values())


def rate_figures(runs):
    out = {}
    for r in runs:
        f = out.setdefault(r["rate"], {"balloon": [], "populate": [], "rate": r["rate_mib"],
                                       "ramp": r["ramp_s"], "size": r["size"]})
        f[r["tool"]].append(r)
    for f in out.values():
        f["windows"] = [w for r in f["balloon"] for w in windows(r)]
        f["shortfall"] = []
        for r in f["balloon"]:
            inf = [e for e in progress_lines(r) if e["event"] == "inflated"]
            f["shortfall"].append(inf[0]["shortfall"] if inf else None)
        f["achieved"] = [mibs(r["size"], r["own_s"]) for r in f["balloon"] if r.get("own_s")]
        f["late_ms"] = max((latest_line(r) for r in f["balloon"]), default=0.0)
        f["limit"] = [mibs(r["size"], r["own_s"]) for r in f["populate"] if r.get("own_s")]
        f["limit_slowest"] = [x for x in (slowest_window(r) for r in f["populate"])
                              if x is not None]
    return out


def rate_rows(fig):
    rows = []
    order = sorted((k for k in fig if k != "ramp"), key=int) + (["ramp"] if "ramp" in fig else [])
    for k in order:
        f = fig[k]
        w = [x for _, x in f["windows"]]
        if not w:
            continue
        worst = max(w, key=lambda x: abs(x - 1))
        bad = [x for x in w if abs(x - 1) > 0.01]
        sf = sum(s for s in f["shortfall"] if s)
        limit = med(f["limit"])
        if k == "ramp":
            what = ("ramp 0 -> %d MiB/s over %g s (%s)"
                    % (f["rate"], f["ramp"], fmt_size(f["size"])))
        else:
            what = "`--rate %s` (MiB/s), %s" % (k, fmt_size(f["size"]))
        verdict = ("every window within 1 %" if not bad else
                   "%d of %d windows off by more than 1 %%" % (len(bad), len(w)))
        # 50 ticks a second (the balloon's default): a tick grants rate / 50.
        ticks = sf / (f["rate"] * MiB / 50)
        measured = ("worst 1-s window **%.2f %%** of the schedule, %s (%d windows, %d runs); "
                    "achieved %s MiB/s; shortfall %s"
                    % (100 * worst, verdict, len(w), len(f["balloon"]),
                       "/".join("%.1f" % a for a in f["achieved"]),
                       "0" if sf == 0 else "%s in all (%.1f ticks' grants)" % (fmt_size(sf),
                                                                              ticks)))
        slow = min(f["limit_slowest"]) if f["limit_slowest"] else None
        peer = ("machine limit: MADV_POPULATE_WRITE of the same size in turn with it, %s MiB/s "
                "(%s), its slowest 1-s window %s MiB/s"
                % ("%.0f" % limit if limit else "n/a", ", ".join("%.0f" % x for x in f["limit"]),
                   "%.0f" % slow if slow else "n/a"))
        if bad and slow is not None:
            peer += ("; the machine %s fault %d MiB/s throughout" %
                     ("could not" if slow < f["rate"] else "could", f["rate"]))
        if sf:
            peer += ("; the balloon's latest progress line came %.0f ms after its time (a tick "
                     "is 20 ms: a stall that long loses a tick's grant)" % f["late_ms"])
        rows.append((what, "every 1 s window within 1 % where the machine can fault that fast; "
                     "else the shortfall, with the machine's limit beside it",
                     measured, peer))
    return rows


# ---------------------------------------------------------------- footprint, cost, scale

def footprint_rows(runs):
    bal = sorted((r for r in runs if r["tool"] == "balloon"), key=lambda r: r["size"])
    runner = [r for r in runs if r["tool"] == "runner"]
    parts = []
    worst = 0
    for r in bal:
        kib, shared = beyond_payload(r)
        worst = max(worst, kib)
        parts.append("**%d KiB** at %s: %d KiB private, %d KiB file-backed" % (
            kib, fmt_size(r["size"]), kib - shared, shared))
    rows = [("harness footprint: the balloon's RSS beyond its payload (held, 4K pages)",
             "<= 1 MiB",
             "; ".join(parts) + " (file-backed: the balloon's own program, a static PIE, "
             "mapped by fault-around: no libc, libm or ld.so of its own; page tables, VmPTE, "
             "come on top: 2 MiB per GiB of 4K pages)"
             + (": **goal not met**" if worst > 1024 else ""), "")]
    if runner:
        rss = [r["peak_rss"] / MiB for r in runner]
        priv = []
        for r in runner:
            t, x, shared = max(rss_samples(r), key=lambda v: v[1])
            priv.append((x - shared) / MiB)
        rows.append(("harness footprint: the runner's RSS over a whole scenario "
                     "(`balloon-run scenarios/oom_killed.ini`, sampled every 20 ms)", "<= 4 MiB",
                     "**%.1f MiB** peak (median of %d runs; %s), %s MiB of it private "
                     "(the rest file-backed, shared page cache: libc, inih, libcgroup, "
                     "jansson; libsystemd is loaded only to ask systemd for a scope, and "
                     "junit.xml is written without libxml2)%s"
                     % (med(rss), len(rss), "/".join("%.1f" % x for x in rss),
                        "/".join("%.1f" % x for x in priv),
                        ": **goal not met**" if med(rss) > 4 else ""), ""))
    return rows


def pct(v, q):
    """Nearest-rank percentile q (0-100) of v."""
    v = sorted(v)
    return v[max(0, math.ceil(q / 100 * len(v)) - 1)]


def dist(v, unit="ms"):
    return "p50 %.1f, p99 %.1f, max %.1f %s" % (pct(v, 50), pct(v, 99), max(v), unit)


def read_clock(d):
    """The kernel log's clock minus CLOCK_MONOTONIC, ms (bench/kmsg_clock.py, before and after
    the part): the middle of the tightest bounds, and their spread."""
    vals = []
    for f in ("clock.before", "clock.after"):
        try:
            with open(os.path.join(d, f)) as fh:
                lo, hi = map(float, fh.read().split()[1:3])
            vals += [lo, hi]
        except (OSError, ValueError):
            pass
    if not vals:
        return 0.0, None
    return (min(vals) + max(vals)) / 2, (min(vals), max(vals))


def oomlat_rows(d):
    dd = os.path.join(d, "oomlat")
    runs = sorted(glob.glob(os.path.join(dd, "r*", "oom_small", "result.json")))
    if not runs:
        return []
    off, bounds = read_clock(dd)
    know, verdict, kmsg_lat, nlimited, nkmsg, nfirst = [], [], [], 0, 0, 0
    for f in runs:
        with open(f) as fh:
            r = json.load(fh)
        t0 = r["environment"]["t0_monotonic_s"]
        ev = {}
        for e in r["events"]:
            ev.setdefault(e["what"], (t0 + e["t_s"], e["detail"]))
        m = re.match(r"pid (\d+)", ev.get("target_started", (0, ""))[1])
        name = os.path.basename(os.path.dirname(os.path.dirname(f)))
        try:
            with open(os.path.join(dd, name + ".dmesg")) as fh:
                dm = fh.read()
        except OSError:
            continue
        k = re.findall(r"\[\s*([0-9.]+)\] Memory cgroup out of memory: Killed process %s " %
                       (m.group(1) if m else "x"), dm)
        if not k or "exit" not in ev:
            continue
        kill = float(k[-1]) - off / 1e3  # the kernel log's clock, on CLOCK_MONOTONIC
        ex = ev["exit"][0]
        first = ex
        if "kernel_oom_kill" in ev:
            nkmsg += 1
            nlimited += "rate-limited" in ev["kernel_oom_kill"][1]
            kmsg_lat.append(1e3 * (ev["kernel_oom_kill"][0] - kill))
            if ev["kernel_oom_kill"][0] < ex:
                nfirst += 1
                first = ev["kernel_oom_kill"][0]
        know.append(1e3 * (first - kill))
        verdict.append(1e3 * (ex - kill))
    if not know:
        return []
    n = len(know)
    clock = (" (kernel log clock ahead of CLOCK_MONOTONIC by %.3f-%.3f ms, measured, taken "
             "off)" % bounds) if bounds else ""
    measured = ("over **%d kills**: kill -> the runner's first event that knows of it: **%s** "
                "(%d of %d within 5 ms%s); "
                "kill -> verdict (the exit event: SIGKILL status and the oom_kill counter "
                "read): **%s**%s" % (n, dist(know), sum(x <= 5 for x in know), n,
                                      "; p99 by nearest rank: under 100 runs, the highest"
                                      if n < 100 else "", dist(verdict), clock))
    notes = ("first event: the kernel's record of the kill read from /dev/kmsg in %d of %d "
             "runs (%s after the kill; %d of them from its \"Killed process\" line, the "
             "oom-kill: line being rate-limited by the kernel: 10 in 5 s, machine-wide); in the "
             "other %d the victim's exit was read first. The runner reads /dev/kmsg on epoll and, "
             "for 30 ms after the memcg OOM notification, every 1 ms (the kernel may wake "
             "readers only at the next tick, 4 ms at HZ=250): the notification comes some "
             "0.2 ms before the kill, the record is read at the next 1 ms read; where it took "
             "2-7 ms the runner's reads came late (its timer wake-up, or the runner itself, "
             "waiting for a CPU on this busy 2-CPU VM; not traced further). Kill -> exit is the victim's own teardown "
             "(exit_mm frees its memory before the exit is signalled): the runner waits on a "
             "pidfd and cannot shorten it; the verdict needs the SIGKILL status"
             % (nfirst, n, dist(kmsg_lat) if kmsg_lat else "-", nlimited, n - nfirst))
    goal_met = pct(know, 99) <= 5
    return [("kernel OOM kill -> verdict event (a 48 MiB group, target `balloon --size 256M "
             "--chunk 4M`, one kill per run, runs BENCH_OOM_GAP apart)", "p99 <= 5 ms against "
             "the kernel's own "
             "timestamp of the kill, >= 50 kills",
             measured + ("" if goal_met else "; first event p99 over 5 ms: **goal not met**"),
             notes)]


def hang_after_s(ini):
    try:
        with open(ini) as fh:
            m = re.search(r"^hang_after\s*=\s*([0-9.]+)\s*(ms|s)\s*$", fh.read(), re.M)
    except OSError:
        m = None
    if not m:
        return 2.0
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)


def hang_run(f, hang_after):
    """(ms past hang_after, recovery ms) of one hung run: the hang event minus the sample that
    began the no-progress stretch (the last oom_wait event's sample), minus hang_after."""
    with open(f) as fh:
        r = json.load(fh)
    if r.get("verdict") != "hung":
        why = r.get("summary") or r.get("verdict") or "?"
        try:
            with open(os.path.join(os.path.dirname(f), "target.log")) as fh:
                m = re.search(r"runtime: (failed to create new OS thread \(.*?errno=\d+\))",
                              fh.read())
            if m:
                why += ": Go's runtime " + m.group(1)
        except OSError:
            pass
        return why

    start = hang = None
    for e in r["events"]:
        if e["what"] == "oom_wait":
            start = e["t_s"]
        if e["what"] == "hang":
            hang = e["t_s"]
            break
    ts = []
    with open(os.path.join(os.path.dirname(f), "timeline.csv")) as fh:
        for row in csv.DictReader(fh):
            ts.append(float(row["t_s"]))
    since = max((t for t in ts if t <= start), default=start) if start is not None else None
    if since is None or hang is None:
        return None
    return 1e3 * (hang - since - hang_after), r["figures"].get("recovery_ms")


def hang_rows(d):
    rows = []
    for s, what in (("oom_kill_disable_hang", "C target (balloon)"),
                    ("go_oom_kill_disable_hang", "Go target (gohog)")):
        files = sorted(glob.glob(os.path.join(d, "hang", s + "-*", s, "result.json")))
        if not files:
            continue
        ha = hang_after_s(os.path.join("scenarios", s + ".ini"))
        res = [hang_run(f, ha) for f in files]
        got = [x for x in res if isinstance(x, tuple)]
        other = [x for x in res if isinstance(x, str)]
        if not got:
            rows.append(("hang -> verdict past hang_after; recovery: " + what, "", "skipped "
                         "or no hang in %d runs" % len(files), ""))
            continue
        past = [x[0] for x in got]
        rec = [x[1] for x in got if x[1] is not None]
        ok = max(past) <= 50 and (not rec or max(rec) <= 500)
        rows.append(("hang -> verdict past hang_after (%.0f s), and recovery (kill, reap, "
                     "remove): `scenarios/%s.ini`, %s" % (ha, s, what),
                     "<= 50 ms past hang_after; recovery <= 500 ms",
                     "over **%d runs**: hang event **%s** past hang_after; recovery **%s**%s%s"
                     % (len(got), dist(past), dist(rec) if rec else "-",
                        "" if ok else ": **goal not met**",
                        "; %d more run%s did not hang (%s)" % (
                            len(other), "" if len(other) == 1 else "s", "; ".join(other))
                        if other else ""),
                     "the stretch starts at the sample that first saw the wait (under_oom and a "
                     "target thread in mem_cgroup_oom_synchronize); the runner takes one more "
                     "sample at exactly start + hang_after (a timer, not the next 100 ms tick) "
                     "and decides on it"))
    return rows


def cost_rows(d):
    try:
        with open(os.path.join(d, "cost", "sample_cost.txt")) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    per = {}
    for ln in lines:
        f = ln.split()
        if len(f) == 11 and re.match(r"(balloon|target)_", f[0]):
            per.setdefault(f[0], []).append(f)
    if not per:
        return []

    def col(k, i):
        return [x[i] for x in per.get(k, [])]

    def num(v):
        try:
            return float(v)
        except ValueError:
            return None

    def case(k):
        cpu = col(k, 2)
        rest = ["%.2f" % sum(num(x[i]) or 0 for i in (3, 4, 6)) for x in per[k]]
        carried = ["%s of %s" % (x[10], x[1]) for x in per[k]]
        every = col(k, 8)
        return ("%s: **%s ms** CPU/sample (cgroup files %s, tasks %s, smaps %s, other %s; "
                "without the smaps walk %s; wall %s ms), LazyFree walked %s times%s, "
                "carried in %s samples"
                % (k.replace("_", " "), "/".join(cpu), "/".join(col(k, 3)), "/".join(col(k, 4)),
                   "/".join(col(k, 5)), "/".join(col(k, 6)), "/".join(rest),
                   "/".join(col(k, 7)), "/".join(col(k, 9)),
                   ", every %s ms" % "/".join(every) if any(num(v) for v in every) else "",
                   "/".join(carried)))

    tgt = [k for k in per if k.startswith("target_256")]
    bal = sorted((k for k in per if k.startswith("balloon_")), key=lambda k: k != "balloon_256M")
    big = [k for k in per if k.startswith("target_") and k not in tgt]
    tcpu = [num(v) for k in tgt for v in col(k, 2) if num(v) is not None]
    measured = "; ".join(case(k) for k in tgt + bal + big)
    b = [[num(v) for v in col(k, 2) if num(v) is not None] for k in bal]
    flat = ""
    if len(b) == 2 and b[0] and b[1]:
        flat = "; balloon %s vs %s: %.2fx (median CPU per sample)" % (
            bal[1].split("_")[1], bal[0].split("_")[1], med(b[1]) / med(b[0]))
    met = tcpu and max(tcpu) <= 0.3
    return [("watching cost: the runner's CPU time per sample (100 ms interval; "
             "`bench/sample_cost.sh`, runs in turns)",
             "<= 0.3 ms CPU per sample for a 256 MiB target (<= 0.3 % of a core); flat in "
             "balloon size; LazyFree freshness reported",
             measured + flat + ("" if met else ": **goal not met** for the 256 MiB target"),
             "CPU time (CLOCK_THREAD_CPUTIME_ID of the runner, user + system) around each "
             "sample, split by source: cgroup files (kept open, pread), the target's tasks "
             "(statm; their threads only while a hang is tracked), the "
             "smaps_rollup walk for LazyFree (at the start, then on a 0.05 % budget, not within "
             "1 s; between walks each sample carries the figure by the group's own count of "
             "MADV_FREE pages, from its memory.stat LRU counters) and the rest; the balloon's "
             "size comes from its progress lines, never from its memory")]


def article(size):
    """'an' before a size read with a vowel sound (8 GiB, 80 MiB, 11 GiB, 18 GiB), else 'a'."""
    return "an" if re.match(r"8|1[18](\D|$)", size) else "a"


def scale_rows(d):
    f = os.path.join(d, "scale", "report", "scale", "result.json")
    label = "scale: a 16 GiB balloon beside an 8 GiB target (`make bench-scale`)"
    goal = "same verdicts; sampling cost within the goal (0.3 ms CPU per sample)"
    try:
        with open(f) as fh:
            r = json.load(fh)
    except OSError:
        return [(label, goal, "not measured in this run: `make bench-scale` (once, alone on "
                 "the machine: some 20 GiB for a minute)", "")]
    g = r["figures"]
    when = open(os.path.join(d, "scale", "when")).read().strip() \
        if os.path.exists(os.path.join(d, "scale", "when")) else "?"
    ev = {e["what"]: e for e in r["events"]}
    cpu = g.get("sample_cpu_mean_ms")
    lf = g.get("lazyfree_interval_ms")
    measured = ("verdict **%s** (expected %s: %s); %s; runner **%.3f ms CPU per sample** over "
                "%d samples (cgroup %.3f, tasks %.3f, smaps %.3f, other %.3f; without the "
                "smaps walk %.2f), LazyFree walked %s times%s, carried in %s of the samples%s"
                % (r["verdict"], r["expected"], r["result"], r["summary"], cpu, g["samples"],
                   g["sample_cpu_cgroup_ms"], g["sample_cpu_tasks_ms"],
                   g["sample_cpu_smaps_ms"], g["sample_cpu_other_ms"],
                   g["sample_cpu_cgroup_ms"] + g["sample_cpu_tasks_ms"] +
                   g["sample_cpu_other_ms"], g.get("lazyfree_walks", 0),
                   ", every %.0f ms" % lf if lf else "", g.get("lazyfree_carried_samples", 0),
                   "" if cpu <= 0.3 else ": **goal not met**"))
    if "verify_pattern_pages" in g:
        measured += ("; the balloon's verify: %d pages hold their marker, %d zero"
                     % (g["verify_pattern_pages"], g["verify_zero_pages"]))
    with open(os.path.join(d, "scale", "scale.ini")) as fh:
        desc = re.search(r"^description = (.*)$", fh.read(), re.M).group(1)
    m = re.match(r"a (\d+) MiB balloon beside a (\d+) MiB target.*limit (\d+) MiB", desc)
    if m:
        b, t, lim = (fmt_size(int(x) * MiB) for x in m.groups())
        label = ("scale: %s %s balloon beside %s %s target, limit %s (`make bench-scale`)"
                 % (article(b), b, article(t), t, lim))
    return [(label, goal, measured,
             "measured %s by `make bench-scale`: %s; peak usage %.2f GiB, %.0f s in all "
             "(24 GiB of RAM cannot hold both at once: the target's memory is MADV_FREEd, "
             "the limit below their sum, so the balloon must reclaim it)"
             % (when, desc, g["peak_usage_bytes"] / GiB, g["elapsed_s"]))]


# ---------------------------------------------------------------- table

def md_table(rows):
    out = ["| figure | goal | measured | peers and limits, same run |", "|---|---|---|---|"]
    for r in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    return "\n".join(out) + "\n"


PARENS = re.compile(r" ?\((?:[^()]|\([^()]*\))*\)")


def headlines(measured):
    """The bold figures of a measured cell, each with the words that name it (the text since
    the previous one, without its parentheses, from its last clause)."""
    out, pos = [], 0
    for m in re.finditer(r"\*\*(.+?)\*\*", measured):
        ctx = PARENS.sub("", measured[pos:m.start()]).split(";")[-1]
        ctx = re.sub(r"\s+:", ":", ctx).strip(" :,")
        pos = m.end()
        if m.group(1) != "goal not met":
            out.append((ctx + ": " if ctx.endswith(("it", "verdict", "event")) else
                        ctx + " " if ctx else "") + "**%s**" % m.group(1))
    return "; ".join(out)


def summary_table(rows):
    """The README's short table: each figure's name, its goal, the headline values (the bold
    ones of the full table, with what names them) and whether the goal was met."""
    out = ["| figure | goal | measured | goal met |", "|---|---|---|---|"]
    for label, goal, measured, peers in rows:
        if "**" not in measured or measured.startswith("not measured"):
            continue
        if "goal not met" in measured:
            met = "no"
        elif "could not fault" in measured + peers:
            met = "the machine's limit (measured beside it)"
        else:
            met = "yes"
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in (
            PARENS.sub("", label), goal, headlines(measured), met)) + " |")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- charts (chart.c's style)

def axis(mx, max_ticks):
    """chart_axis(): a round step (1, 2, 5 x 10^n) with at most max_ticks steps to the end."""
    if not mx > 0:
        return 1.0, 1.0
    p = 10 ** math.floor(math.log10(mx / max_ticks))
    while True:
        for m in (1, 2, 5):
            s = m * p
            e = math.ceil(mx / s - 1e-9) * s
            if e / s <= max_ticks + 1e-9:
                return e, s
        p *= 10


def svg_chart(cid, title, series, width, height, x_title, y_title="memory (MiB)"):
    """series: dicts with label, color, dash, width, opacity, points [(t, MiB)], legend."""
    xmax = max((p[0] for s in series for p in s["points"]), default=1)
    ymax = max((p[1] for s in series for p in s["points"]), default=1) * 1.04
    xend, xstep = axis(xmax, 10)
    yend, ystep = axis(ymax, 6)
    x0, x1, y0, y1 = 64.0, width - 18.0, 34.0, height - 62.0

    def px(t):
        return x0 + t / xend * (x1 - x0)

    def py(v):
        return y1 - v / yend * (y1 - y0)

    dec = lambda s: 0 if s >= 1 else 1 if s >= 0.1 else 2  # noqa: E731
    o = ['<svg class="chart" id="%s" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" '
         'width="%d" height="%d" role="img" font-family="DejaVu Sans, Arial, Helvetica, '
         'sans-serif">' % (cid, width, height, width, height),
         '<text class="title" x="%.1f" y="15" font-size="13" font-weight="bold" fill="#222">'
         '%s</text>' % (x0, html.escape(title)),
         '<g class="grid" stroke="#e3e3e3" stroke-width="1">']
    v = 0.0
    while v <= yend + ystep / 2:
        o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>' % (x0, x1, py(v), py(v)))
        v += ystep
    v = 0.0
    while v <= xend + xstep / 2:
        o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>' % (px(v), px(v), y0, y1))
        v += xstep
    o.append('</g>\n<g class="axes" font-size="11" fill="#333">')
    o.append('<path d="M%.1f %.1fV%.1fH%.1f" stroke="#555" fill="none"/>' % (x0, y0, y1, x1))
    v = 0.0
    while v <= yend + ystep / 2:
        o.append('<text class="tick" x="%.1f" y="%.1f" text-anchor="end">%.*f</text>'
                 % (x0 - 5, py(v) + 3.5, dec(ystep), v))
        v += ystep
    v = 0.0
    while v <= xend + xstep / 2:
        o.append('<text class="tick" x="%.1f" y="%.1f" text-anchor="middle">%.*f</text>'
                 % (px(v), y1 + 18, dec(xstep), v))
        v += xstep
    o.append('<text class="axis-title" x="%.1f" y="%.1f" text-anchor="middle">%s</text>'
             % ((x0 + x1) / 2, y1 + 34, html.escape(x_title)))
    o.append('<text class="axis-title" transform="translate(13 %.1f) rotate(-90)" '
             'text-anchor="middle">%s</text>\n</g>' % ((y0 + y1) / 2, html.escape(y_title)))
    for s in series:
        if not s["points"]:
            continue
        d = "".join("%s%.1f %.1f" % ("L" if i else "M", px(t), py(m))
                    for i, (t, m) in enumerate(s["points"]))
        o.append('<path class="series" fill="none" stroke="%s" stroke-width="%.1f" '
                 'stroke-linejoin="round" stroke-opacity="%.2f"%s d="%s"><title>%s</title>'
                 '</path>' % (s["color"], s["width"], s.get("opacity", 1),
                              ' stroke-dasharray="%s"' % s["dash"] if s.get("dash") else "",
                              d, html.escape(s["label"])))
    o.append('<g class="legend" font-size="12" fill="#333">')
    x, y = 64.0, height - 10.0
    seen = set()
    for s in series:
        if not s.get("legend", True) or s["label"] in seen:
            continue
        seen.add(s["label"])
        o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="3"%s/>'
                 '<text class="label" x="%.1f" y="%.1f">%s</text>'
                 % (x, x + 22, y - 4, y - 4, s["color"],
                    ' stroke-dasharray="%s"' % s["dash"] if s.get("dash") else "",
                    x + 27, y, html.escape(s["label"])))
        x += 27 + len(s["label"]) * (6.3 + 0.7) + 22
    o.append("</g>\n</svg>")
    return "\n".join(o)


def inflate_chart(runs, mode, title):
    mine = [r for r in runs if r.get("mode") == mode]
    if not mine:
        return ""
    size = mine[0]["size"]
    series = []
    for tool, (label, color, dash) in TOOLS.items():
        for r in sorted((r for r in mine if r["tool"] == tool), key=lambda r: r["round"]):
            pts = [(t, u / MiB) for t, u in samples(r)]
            series.append({"label": label, "color": color, "dash": dash, "width": 1.8,
                           "opacity": 0.75, "points": pts})
    tmax = max((p[0] for s in series for p in s["points"]), default=1)
    series.append({"label": "size", "color": SIZE_COLOR, "dash": SIZE_DASH, "width": 1.5,
                   "points": [(0, size / MiB), (tmax, size / MiB)]})
    return svg_chart("inflate-" + mode, title, series, 1000, 380,
                     "time since launch (s); each line one run, every round")


def rate_chart(fig, key):
    f = fig[key]
    series = []
    for r in f["balloon"]:
        series.append({"label": "balloon (cgroup usage)", "color": TOOLS["balloon"][1],
                       "width": 2, "opacity": 0.8,
                       "points": [(t, u / MiB) for t, u in samples(r)]})
    for r in f["populate"]:
        series.append({"label": "populate, same size", "color": TOOLS["populate"][1],
                       "width": 1.5, "opacity": 0.6,
                       "points": [(t, u / MiB) for t, u in samples(r)]})
    rate = f["rate"] * MiB
    end = f["size"] / rate + (f["ramp"] / 2 if f["ramp"] else 0)
    pts = [(end * i / 100, schedule(rate, f["ramp"], end * i / 100) / MiB) for i in range(101)]
    series.append({"label": "configured", "color": SIZE_COLOR, "dash": SIZE_DASH, "width": 1.5,
                   "points": pts})
    title = ("ramp 0 -> %d MiB/s over %g s" % (f["rate"], f["ramp"]) if key == "ramp"
             else "--rate %s MiB/s" % key)
    return svg_chart("rate-" + key, title, series, 600, 340, "time since launch (s)")


CSS = (
    "body{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;margin:24px;color:#222;"
    "background:#fff;max-width:1240px}\n"
    "h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 4px}\n"
    ".meta{color:#555;font-size:13px;margin:2px 0}\n"
    "table{border-collapse:collapse;font-size:13px}\n"
    "th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f0f0f0}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:16px}.charts>div{width:600px;max-width:100%}\n"
    "svg.chart{max-width:100%;height:auto;display:block;margin:6px 0}\n"
    ".caption{font-size:13px;color:#444;max-width:1150px}\n")


def md_inline(s):
    s = html.escape(s)
    s = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", s)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", s)


def scale_chart(d):
    f = os.path.join(d, "scale", "report", "scale", "timeline.csv")
    if not os.path.exists(f):
        return ""
    cols = {"usage_bytes": ("group usage", SIZE_COLOR), "balloon_bytes":
            ("balloon", TOOLS["balloon"][1]), "target_lazyfree_bytes":
            ("target LazyFree", "#e67e22"), "target_rss_bytes": ("target RSS", "#1f5fbf")}
    pts = {k: [] for k in cols}
    with open(f) as fh:
        for row in csv.DictReader(fh):
            for k in cols:
                if row.get(k):
                    pts[k].append((float(row["t_s"]), int(row[k]) / MiB))
    series = [{"label": cols[k][0], "color": cols[k][1], "width": 2, "points": pts[k]}
              for k in cols if pts[k]]
    return ('<h2>Scale</h2>\n<p class="caption">The scenario of <code>make bench-scale</code>, '
            "from the runner's timeline: the balloon inflates beside a target whose memory is "
            "MADV_FREEd, in a group too small for both.</p>\n"
            + svg_chart("scale", "scale", series, 1000, 340, "time since the start (s)"))


def write_html(path, rows, inflate_runs, rfig, meta, d):
    o = ["<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<title>balloon benchmark</title>\n<style>\n%s</style>\n</head>\n<body>\n"
         "<h1>balloon benchmark</h1>" % CSS]
    for m in meta:
        o.append('<p class="meta">%s</p>' % html.escape(m))
    o.append("<table>\n<thead><tr><th>figure</th><th>goal</th><th>measured</th>"
             "<th>peers and limits, same run</th></tr></thead>\n<tbody>")
    for r in rows:
        o.append("<tr>" + "".join("<td>%s</td>" % md_inline(c) for c in r) + "</tr>")
    o.append("</tbody>\n</table>")
    o.append('<h2>Inflate curves</h2>\n<p class="caption">The cgroup\'s usage '
             "(memory.usage_in_bytes, sampled every 20 ms by bench/watch) from each tool's "
             "launch, every run of every round; each run had a fresh cgroup of its own. The "
             "dashed red line is the size.</p>")
    for mode, title in (("4k", "4K pages"), ("thp", "transparent huge pages")):
        o.append(inflate_chart(inflate_runs, mode, "inflate, " + title))
    if rfig:
        o.append('<h2>Paced runs</h2>\n<p class="caption">The balloon\'s cgroup usage at each '
                 "configured rate against the schedule (dashed), and the MADV_POPULATE_WRITE "
                 "of the same size taken in turn with it: the machine's limit then.</p>\n"
                 '<div class="charts">')
        for k in sorted((k for k in rfig if k != "ramp"), key=int) + \
                (["ramp"] if "ramp" in rfig else []):
            o.append("<div>\n" + rate_chart(rfig, k) + "\n</div>")
        o.append("</div>")
    o.append(scale_chart(d))
    o.append("</body>\n</html>\n")
    with open(path, "w") as fh:
        fh.write("\n".join(o))


# ---------------------------------------------------------------- main

def load_note(d, part):
    """What else the machine did during a part: the CPUs' busy and stolen share (/proc/stat
    at its start and end) and the processes busy at either end."""
    try:
        with open(os.path.join(d, part, "machine")) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    cpu = [list(map(int, ln.split(" cpu ")[1].split())) for ln in lines if " cpu " in ln]
    busy = sorted({ln.split()[2] for ln in lines if ln.startswith("  busy")})
    if len(cpu) < 2:
        return None
    delta = [b - a for a, b in zip(cpu[0], cpu[1])]
    total = sum(delta[:8]) or 1
    idle = delta[3] + delta[4]
    return "%s: CPUs %.0f %% busy, %.1f %% stolen by the host%s" % (
        part, 100 * (total - idle) / total, 100 * delta[7] / total,
        "; also running: " + ", ".join(busy) if busy else "")


def machine():
    with open("/proc/meminfo") as fh:
        mem = int(re.search(r"MemTotal:\s+(\d+)", fh.read()).group(1)) / (1 << 20)
    try:
        with open("/sys/kernel/mm/transparent_hugepage/enabled") as fh:
            thp = re.search(r"\[(\w+)\]", fh.read()).group(1)
    except OSError:
        thp = "?"
    return "kernel %s, %d CPUs, %.1f GiB RAM, THP %s" % (os.uname().release, os.cpu_count(),
                                                          mem, thp)


def replace_block(doc, name, figures):
    with open(doc) as fh:
        text = fh.read()
    with open(figures) as fh:
        table = fh.read()
    begin, end = "<!-- %s:begin -->\n" % name, "<!-- %s:end -->" % name
    a, b = text.find(begin), text.find(end)
    if a < 0 or b < a:
        sys.exit("report.py: %s: no %s ... %s markers" % (doc, begin.strip(), end))
    with open(doc, "w") as fh:
        fh.write(text[:a + len(begin)] + table + text[b:])
    print("report.py: %s: the table between the %s markers is now %s" % (doc, name, figures))


def main(argv):
    if len(argv) == 5 and argv[1] == "--docs":
        replace_block(argv[2], "bench", os.path.join(argv[4], "figures.md"))
        replace_block(argv[3], "bench-summary", os.path.join(argv[4], "summary.md"))
        return 0
    if len(argv) != 2:
        sys.exit(__doc__)
    d = argv[1]
    inflate_runs = load_runs(d, "inflate")
    rfig = rate_figures(load_runs(d, "rates"))
    rows = inflate_rows(inflate_figures(inflate_runs)) + rate_rows(rfig)
    fp = load_runs(d, "footprint")
    if fp:
        rows += footprint_rows(fp)
    rows += oomlat_rows(d) + hang_rows(d) + cost_rows(d) + scale_rows(d)
    when = {}
    for p in ("inflate", "rates", "footprint", "oomlat", "hang", "cost"):
        w = os.path.join(d, p, "when")
        if os.path.exists(w):
            when[p] = open(w).read().strip()
    meta = ["measured on %s; parts: %s" % (machine(), ", ".join(
        "%s %s" % (p, w) for p, w in when.items())),
            "ratios are per round (the runs of a round back to back, their order rotated and "
            "reversed from round to round), then median and range over the rounds; MiB/s by "
            "cgroup usage = "
            "99 % of the size over the time from the usage crossing 1 % of it to crossing it "
            "(memory.usage_in_bytes every 20 ms, interpolated)"]
    notes = [n for n in (load_note(d, p) for p in ("inflate", "rates", "footprint", "oomlat",
                                                     "hang", "cost", "scale")) if n]
    if notes:
        meta.append("machine during the parts (all processes, the bench's own included): "
                    + "; ".join(notes))
    table = md_table(rows)
    with open(os.path.join(d, "figures.md"), "w") as fh:
        fh.write("`sudo make bench` (the scale row: `make bench-scale`); %s.\n\n"
                 % "; ".join(meta))
        fh.write(table)
    with open(os.path.join(d, "summary.md"), "w") as fh:
        fh.write("`sudo make bench` on %s, %s; the full table, with the peers' figures and "
                 "how each was measured: [docs/benchmarks.md](docs/benchmarks.md).\n\n"
                 % (machine(), min(when.values()) if when else "?"))
        fh.write(summary_table(rows))
    write_html(os.path.join(d, "inflate.html"), rows, inflate_runs, rfig, meta, d)
    print()
    print("== balloon benchmark: figures only, nothing asserted ==")
    for m in meta:
        print(m)
    print()
    print(table)
    print("raw runs: %s/{inflate,rates,footprint,oomlat,hang,cost,scale}/ (NAME.csv samples, NAME.log the "
          "tool's output, NAME.json what ran)" % d)
    print("chart:    %s/inflate.html; this table: %s/figures.md, its headlines: %s/summary.md "
          "(make bench-docs puts them in docs/benchmarks.md and README.md)" % (d, d, d))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
