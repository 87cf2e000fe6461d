#!/usr/bin/env python3
"""The benchmark's figures from its raw runs (bench/bench.sh): one table, printed and written
to DIR/figures.md, and DIR/inflate.html, a self-contained page (inline CSS and SVG, no script)
with the inflate curves of every tool and the paced runs, drawn like the runner's report
charts (runner/report/chart.c, html.c).

usage: bench/report.py BENCH_DIR                 (after bench/bench.sh; make bench runs it)
       bench/report.py --docs docs/benchmarks.md BENCH_DIR
           replaces the table between <!-- bench:begin --> and <!-- bench:end --> in
           docs/benchmarks.md with BENCH_DIR/figures.md (make bench-docs)

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
    for r in bal:
        kib, shared = beyond_payload(r)
        parts.append("**%d KiB** at %s: %d KiB private, %d KiB file-backed" % (
            kib, fmt_size(r["size"]), kib - shared, shared))
    rss = [r["peak_rss"] / MiB for r in runner]
    lat = [x for x in (oom_latency(r) for r in runner if r.get("report")) if x is not None]
    peer = ("runner (`balloon-run scenarios/oom_killed.ini`, sampled every 20 ms): RSS peak "
            "%s MiB (%d runs)" % ("/".join("%.1f" % x for x in rss), len(rss)) if rss else "")
    if lat:
        peer += ("; from the kernel's OOM kill (its dmesg time) to the runner's verdict (its "
                 "\"exit\" event): %s ms" % "/".join("%.1f" % (1000 * x) for x in lat))
    return [("harness footprint: the balloon's RSS beyond its payload (held, 4K pages)",
             "<= 1 MiB",
             "; ".join(parts) + " (file-backed: libc, ld.so and the balloon's own pages, "
             "shared page cache mapped by fault-around; page tables, VmPTE, come on top: "
             "2 MiB per GiB of 4K pages)", peer)]


def oom_latency(run):
    """Seconds from the kernel's OOM kill of the target (its dmesg line) to the runner's
    "exit" event, both on CLOCK_MONOTONIC (result.json: t0_monotonic_s + t_s)."""
    res = os.path.join(run["dir"], run["name"] + ".report", "oom_killed", "result.json")
    try:
        with open(res) as fh:
            r = json.load(fh)
        with open(os.path.join(run["dir"], run["name"] + ".dmesg")) as fh:
            dm = fh.read()
    except OSError:
        return None
    t0 = r["environment"]["t0_monotonic_s"]
    pid = exit_t = None
    for e in r["events"]:
        m = re.match(r"pid (\d+)", e["detail"])
        if e["what"] == "target_started" and m:
            pid = m.group(1)
        if e["what"] == "exit" and exit_t is None:
            exit_t = t0 + e["t_s"]
    m = re.findall(r"\[\s*([0-9.]+)\] Memory cgroup out of memory: Killed process %s " % pid, dm)
    if not m or exit_t is None:
        return None
    return exit_t - float(m[-1])


def cost_rows(d):
    try:
        with open(os.path.join(d, "cost", "sample_cost.txt")) as fh:
            lines = fh.read().splitlines()
    except OSError:
        return []
    per = {}
    for ln in lines:
        f = ln.split()
        if len(f) == 5 and re.match(r"(balloon|target)_", f[0]):
            per.setdefault(f[0], []).append(f)
    if not per:
        return []
    txt = "; ".join("%s: mean %s ms, worst %s ms, LazyFree every %s ms" % (
        k, "/".join(x[2] for x in v), "/".join(x[3] for x in v), "/".join(x[4] for x in v))
        for k, v in per.items())
    return [("the runner's sampling cost (`bench/sample_cost.sh`, 100 ms interval)",
             "runner side: reported only", txt, "")]


def scale_rows(d):
    runs = load_runs(d, "scale")
    if not runs:
        return [("scale: a 16 GiB balloon alone (cgroup of size + 512 MiB)",
                 "inflate time; the balloon stays correct",
                 "not measured in this run: `make bench-scale` (once, alone on the machine)", "")]
    r = runs[0]
    ver = [e for e in progress_lines(r) if e["event"] == "verified"]
    when = open(os.path.join(d, "scale", "when")).read().strip() \
        if os.path.exists(os.path.join(d, "scale", "when")) else "?"
    pages = r["size"] // 4096
    ok = ver and ver[0]["pattern_pages"] == pages and not ver[0]["zero_pages"] \
        and not ver[0]["other_pages"]
    measured = ("inflated in **%.2f s** (%.0f MiB/s, own timer; %.2f s launch to usage); "
                % (r["own_s"], mibs(r["size"], r["own_s"]), reach_time(r, r["size"]) or -1))
    if ver:
        v = ver[0]
        measured += ("--verify read all %d pages back: %d hold their marker, %d zero, %d other"
                     "%s; oom_kill %d; peak usage %.2f GiB"
                     % (v["pattern_pages"] + v["zero_pages"] + v["other_pages"],
                        v["pattern_pages"], v["zero_pages"], v["other_pages"],
                        " (correct)" if ok else " (NOT correct)", r.get("oom_kill", 0),
                        r["peak_usage"] / GiB))
    kib, shared = beyond_payload(r)
    return [("scale: a %s balloon alone (cgroup of size + 512 MiB)" % fmt_size(r["size"]),
             "inflate time; the balloon stays correct", measured,
             "measured %s by `make bench-scale` (exit status %d; RSS beyond the payload %d KiB,"
             " %d KiB of it file-backed)" % (when, r["status"], kib, shared))]


# ---------------------------------------------------------------- table

def md_table(rows):
    out = ["| figure | goal | measured | peers and limits, same run |", "|---|---|---|---|"]
    for r in rows:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
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
    runs = load_runs(d, "scale")
    if not runs:
        return ""
    r = runs[0]
    pts = [(t, u / MiB) for t, u in samples(r)]
    tmax = pts[-1][0] if pts else 1
    series = [{"label": "balloon (cgroup usage)", "color": TOOLS["balloon"][1], "width": 2,
               "points": pts},
              {"label": "size", "color": SIZE_COLOR, "dash": SIZE_DASH, "width": 1.5,
               "points": [(0, r["size"] / MiB), (tmax, r["size"] / MiB)]}]
    return ('<h2>Scale</h2>\n<p class="caption">The one %s balloon of <code>make bench-scale'
            '</code>: inflated at <code>--rate 0</code>, then every page read back '
            "(<code>--verify</code>) before it exits.</p>\n" % fmt_size(r["size"])
            + svg_chart("scale", "scale: %s" % fmt_size(r["size"]), series, 1000, 340,
                        "time since launch (s)"))


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


def replace_docs(doc, figures):
    with open(doc) as fh:
        text = fh.read()
    with open(figures) as fh:
        table = fh.read()
    begin, end = "<!-- bench:begin -->\n", "<!-- bench:end -->"
    a, b = text.find(begin), text.find(end)
    if a < 0 or b < a:
        sys.exit("report.py: %s: no %s ... %s markers" % (doc, begin.strip(), end))
    with open(doc, "w") as fh:
        fh.write(text[:a + len(begin)] + table + text[b:])
    print("report.py: %s: the table between the bench markers is now %s" % (doc, figures))


def main(argv):
    if len(argv) == 4 and argv[1] == "--docs":
        replace_docs(argv[2], os.path.join(argv[3], "figures.md"))
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
    rows += cost_rows(d) + scale_rows(d)
    when = {}
    for p in ("inflate", "rates", "footprint", "cost"):
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
    notes = [n for n in (load_note(d, p) for p in ("inflate", "rates", "footprint", "cost",
                                                     "scale")) if n]
    if notes:
        meta.append("machine during the parts (all processes, the bench's own included): "
                    + "; ".join(notes))
    table = md_table(rows)
    with open(os.path.join(d, "figures.md"), "w") as fh:
        fh.write("`sudo make bench` (the scale row: `make bench-scale`); %s.\n\n"
                 % "; ".join(meta))
        fh.write(table)
    write_html(os.path.join(d, "inflate.html"), rows, inflate_runs, rfig, meta, d)
    print()
    print("== balloon benchmark: figures only, nothing asserted ==")
    for m in meta:
        print(m)
    print()
    print(table)
    print("raw runs: %s/{inflate,rates,footprint,cost,scale}/ (NAME.csv samples, NAME.log the "
          "tool's output, NAME.json what ran)" % d)
    print("chart:    %s/inflate.html; this table: %s/figures.md (make bench-docs puts it "
          "in docs/benchmarks.md)" % (d, d))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
