#!/usr/bin/env python3
"""Line and toggle coverage of rtl/ from a merged Verilator coverage file,
checked against the waiver file (format: scripts/coverage_waivers.py).

  coverage_summary.py MERGED.dat [--waivers FILE] [--root DIR] [--min-toggle PCT]
  coverage_summary.py --check-waivers FILE [--root DIR]

A line counts as hit when any coverage point on it (any instance) counted;
a toggle point (one bit of one signal of one instance) when it counted.
Prints lines hit / waived / neither, toggles over all points and over the
points no waiver names (the target figure), and every error. Exit 1 when an
rtl/ line is neither hit nor waived, when the non-waived toggle figure is
below --min-toggle (95), or on a bad waiver: no reason, a line waiver for a
line that is hit or has no point, a toggle waiver that names no point
(stale) or names a point that toggles (untrue).

--check-waivers checks only the file's format and that every waiver names a
real rtl/ file and line, or a signal (and instance) of that file.
"""
import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import coverage_waivers  # noqa: E402


def points(path):
    """Yields (fields, count) of every point in a Verilator coverage file."""
    line_re = re.compile(r"^C '(.*)' (\d+)$")
    with open(path, encoding="latin-1") as f:
        for line in f:
            m = line_re.match(line.rstrip("\n"))
            if not m:
                continue
            fields = {}
            for part in m.group(1).split("\x01"):
                if "\x02" in part:
                    key, value = part.split("\x02", 1)
                    fields[key] = value
            yield fields, int(m.group(2))


def rtl_file(name, root):
    rel = os.path.relpath(os.path.realpath(name), root) if os.path.isabs(name) else name
    rel = rel.replace("\\", "/")
    i = rel.find("rtl/")
    return rel[i:] if i >= 0 and "/" not in rel[i + 4:] else None


def pct(a, b):
    return 100.0 * a / b if b else 100.0


def collect(merged, root):
    line_hit = collections.defaultdict(int)  # (file, line) -> count
    toggles = {}                              # (hier, file, name) -> count
    user = {}
    for fields, count in points(merged):
        f = rtl_file(fields.get("f", ""), root)
        if f is None:
            continue
        page = fields.get("page", "")
        if page.startswith("v_line") or page.startswith("v_branch"):
            line_hit[(f, int(fields.get("l", "0")))] += count
        elif page.startswith("v_toggle"):
            key = (fields.get("h", ""), f, fields.get("o", ""))
            toggles[key] = toggles.get(key, 0) + count
        elif page.startswith("v_user"):
            key = (fields.get("h", ""), f, fields.get("l", ""), fields.get("o", ""))
            user[key] = user.get(key, 0) + count
    return line_hit, toggles, user


def summarize(args):
    root = os.path.realpath(args.root)
    line_hit, toggles, user = collect(args.merged, root)
    waivers, errors = [], []
    if args.waivers:
        waivers, errors = coverage_waivers.parse(args.waivers)

    line_waived = {}
    for w in (w for w in waivers if w.kind == "line"):
        key = (w.file, w.line)
        line_waived[key] = w
        if key not in line_hit:
            errors.append(f"stale waiver line {w.lineno} ({w.text()}): no coverage point on that line")
        elif line_hit[key] > 0:
            errors.append(f"stale waiver line {w.lineno} ({w.text()}): the line is hit; drop the waiver")

    toggle_waivers = [w for w in waivers if w.kind == "toggle"]
    by_file = collections.defaultdict(list)
    for w in toggle_waivers:
        by_file[w.file].append(w)
    named = collections.Counter()       # waiver -> points it names
    named_hit = collections.Counter()   # waiver -> of those, points that toggle
    waived_points = set()
    for key, count in toggles.items():
        hier, f, name = key
        for w in by_file.get(f, ()):
            if w.matches_toggle(f, hier, name):
                named[w.lineno] += 1
                if count > 0:
                    named_hit[w.lineno] += 1
                else:
                    waived_points.add(key)
    for w in toggle_waivers:
        if named[w.lineno] == 0:
            errors.append(f"stale waiver line {w.lineno} ({w.text()}): names no toggle point")
        elif named_hit[w.lineno] > 0:
            errors.append(f"untrue waiver line {w.lineno} ({w.text()}): {named_hit[w.lineno]} of "
                          f"{named[w.lineno]} points it names toggle; narrow or drop it")

    lines_total = len(line_hit)
    lines_hit = sum(1 for c in line_hit.values() if c > 0)
    lines_waived = sum(1 for k, c in line_hit.items() if c == 0 and k in line_waived)
    unhit = sorted(k for k, c in line_hit.items() if c == 0 and k not in line_waived)
    tog_total = len(toggles)
    tog_hit = sum(1 for c in toggles.values() if c > 0)
    tog_rest = tog_total - len(waived_points)
    tog_rest_pct = pct(tog_hit, tog_rest)

    print(f"rtl/ lines:          {lines_total} with a point: {lines_hit} hit "
          f"({pct(lines_hit, lines_total):.2f} %), {lines_waived} waived, {len(unhit)} neither hit nor waived")
    print(f"rtl/ toggles, all:   {tog_hit} of {tog_total} points ({pct(tog_hit, tog_total):.2f} %)")
    print(f"rtl/ toggles, non-waived: {tog_hit} of {tog_rest} points ({tog_rest_pct:.2f} %, "
          f"target {args.min_toggle:g} %); {len(waived_points)} points waived by "
          f"{len(toggle_waivers)} waivers")
    if user:
        print(f"rtl/ user points:    {sum(1 for c in user.values() if c > 0)} of {len(user)}")
    for f, line in unhit:
        print(f"unhit: {f}:{line}")
    rest = collections.Counter()
    for key, count in toggles.items():
        if count == 0 and key not in waived_points:
            hier, f, name = key
            rest[(f, hier, coverage_waivers.POINT_RE.match(name).group(1))] += 1
    for (f, hier, name), n in sorted(rest.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"untoggled, not waived: {n:4d} {f} {hier} {name}")
    if tog_rest_pct < args.min_toggle:
        errors.append(f"non-waived toggle coverage {tog_rest_pct:.2f} % is below {args.min_toggle:g} %")
    for e in errors:
        print(f"error: {e}")
    return 1 if unhit or errors else 0


def check_only(args):
    waivers, errors = coverage_waivers.parse(args.check_waivers)
    errors += coverage_waivers.check_sources(waivers, os.path.realpath(args.root))
    for e in errors:
        print(f"error: {e}")
    print(f"{args.check_waivers}: {len(waivers)} waivers, {len(errors)} errors")
    return 1 if errors else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("merged", nargs="?")
    ap.add_argument("--waivers")
    ap.add_argument("--root", default=".")
    ap.add_argument("--min-toggle", type=float, default=95.0)
    ap.add_argument("--check-waivers", metavar="FILE")
    args = ap.parse_args()
    if args.check_waivers:
        return check_only(args)
    if not args.merged:
        ap.error("a merged coverage file or --check-waivers FILE is needed")
    return summarize(args)


if __name__ == "__main__":
    sys.exit(main())
