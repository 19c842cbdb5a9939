#!/usr/bin/env python3
"""Line and toggle coverage of rtl/ from a merged Verilator coverage file.

  coverage_summary.py MERGED.dat [--waivers FILE] [--root DIR]

A line counts as hit when any coverage point on it (any instance) counted;
a toggle point (one bit of one signal of one instance) when it counted. Lines
in the waiver file ("rtl/file.sv:LINE reason", '#' comments) are left out of
the unhit list; a waiver without a reason, or for a line that is hit or has no
point, is reported as an error. Exit 1 when an rtl/ line is neither hit nor
waived, or on a bad waiver.
"""
import argparse
import collections
import os
import re
import sys


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("merged")
    ap.add_argument("--waivers")
    ap.add_argument("--root", default=".")
    args = ap.parse_args()
    root = os.path.realpath(args.root)

    line_hit = collections.defaultdict(int)  # (file, line) -> count
    toggles = {}                              # point key -> count
    user = {}
    for fields, count in points(args.merged):
        f = rtl_file(fields.get("f", ""), root)
        if f is None:
            continue
        page = fields.get("page", "")
        if page.startswith("v_line") or page.startswith("v_branch"):
            first = int(fields.get("l", "0"))
            line_hit[(f, first)] += count
        elif page.startswith("v_toggle"):
            key = (fields.get("h", ""), f, fields.get("l", ""), fields.get("o", ""))
            toggles[key] = toggles.get(key, 0) + count
        elif page.startswith("v_user"):
            key = (fields.get("h", ""), f, fields.get("l", ""), fields.get("o", ""))
            user[key] = user.get(key, 0) + count

    waived = {}
    errors = []
    if args.waivers and os.path.exists(args.waivers):
        with open(args.waivers, encoding="utf-8") as w:
            for n, raw in enumerate(w, 1):
                text = raw.split("#", 1)[0].strip()
                if not text:
                    continue
                m = re.match(r"^(rtl/[\w.]+):(\d+)\s+(.*)$", text)
                if not m or not m.group(3).strip():
                    errors.append(f"{args.waivers}:{n}: needs 'rtl/FILE:LINE reason': {text}")
                    continue
                waived[(m.group(1), int(m.group(2)))] = m.group(3).strip()
    for key in waived:
        if key not in line_hit:
            errors.append(f"waiver {key[0]}:{key[1]}: no coverage point on that line")
        elif line_hit[key] > 0:
            errors.append(f"waiver {key[0]}:{key[1]}: the line is hit; drop the waiver")

    lines_total = len(line_hit)
    lines_hit = sum(1 for c in line_hit.values() if c > 0)
    unhit = sorted(k for k, c in line_hit.items() if c == 0 and k not in waived)
    tog_total = len(toggles)
    tog_hit = sum(1 for c in toggles.values() if c > 0)

    def pct(a, b):
        return 100.0 * a / b if b else 100.0

    print(f"rtl/ lines hit:    {lines_hit} of {lines_total} ({pct(lines_hit, lines_total):.2f} %),"
          f" {len(waived)} waived, {len(unhit)} neither hit nor waived")
    print(f"rtl/ toggles hit:  {tog_hit} of {tog_total} ({pct(tog_hit, tog_total):.2f} %)")
    if user:
        print(f"rtl/ user points:  {sum(1 for c in user.values() if c > 0)} of {len(user)}")
    per_file = collections.Counter(f for (f, _), c in line_hit.items() if c == 0)
    for f, n in sorted(per_file.items()):
        print(f"  {f}: {n} lines not hit")
    for f, line in unhit:
        print(f"unhit: {f}:{line}")
    untoggled = collections.Counter(k[1] for k, c in toggles.items() if c == 0)
    for f, n in sorted(untoggled.items()):
        print(f"  {f}: {n} toggle points not hit")
    for e in errors:
        print(f"error: {e}")
    return 1 if unhit or errors else 0


if __name__ == "__main__":
    sys.exit(main())
