#!/usr/bin/env python3
"""The coverage checker (scripts/coverage_summary.py) on small fixtures.

  coverage_check_test.py SCRIPTS_DIR CASE

Writes a Verilator coverage file of a two-module fixture (rtl/fix.sv: lines
10..13, a 4-bit signal 'bus' in two instances and a 1-bit 'flag') and a
waiver file into a temporary directory, runs the checker and requires its
exit code and a line of its output. Exit 0 when the checker behaves.
"""
import os
import subprocess
import sys
import tempfile

FIX_SV = """// fixture
module fix (input wire clk, output logic [3:0] bus, output logic flag);
  // line 3
  // line 4
  // line 5
  // line 6
  // line 7
  // line 8
  // line 9
  always_ff @(posedge clk) bus <= bus + 4'd1;
  always_ff @(posedge clk) flag <= 1'b0;
  always_ff @(posedge clk) if (bus == 4'd3) flag <= 1'b1;
  always_ff @(posedge clk) if (bus == 4'd9) flag <= 1'b1;
endmodule
"""


def point(f, line, page, o, h, count):
    keys = [("f", f), ("l", str(line)), ("page", page), ("o", o), ("h", h)]
    return "C '" + "".join(f"\x01{k}\x02{v}" for k, v in keys) + f"' {count}\n"


def write_dat(path, root, line_counts, toggle_counts):
    f = os.path.join(root, "rtl", "fix.sv")
    with open(path, "w", encoding="latin-1") as out:
        out.write("# SystemC::Coverage-3\n")
        for line, count in line_counts.items():
            out.write(point(f, line, "v_line/fix", "block", "TOP.top.u_a", count))
        for (inst, name), count in toggle_counts.items():
            out.write(point(f, 2, "v_toggle/fix", name, f"TOP.top.{inst}", count))


# Everything toggles except bus[3] of u_b; every line is hit except 13.
LINES = {10: 5, 11: 5, 12: 2, 13: 0}
TOGGLES = {(inst, f"bus[{b}]"): 3 for inst in ("u_a", "u_b") for b in range(4)}
TOGGLES[("u_b", "bus[3]")] = 0
TOGGLES[("u_a", "flag")] = 2
TOGGLES[("u_b", "flag")] = 2
OK_WAIVERS = ("line rtl/fix.sv:13 \"bus == 4'd9\" bus never reaches 9 in the fixture\n"
              "toggle rtl/fix.sv@u_b bus[3] u_b counts below 8\n")

# case: (waiver text, line counts, toggle counts, extra args, exit code, expected output line part)
CASES = {
    "everything_hit_or_waived_passes": (OK_WAIVERS, LINES, TOGGLES, [], 0, "1 points waived by 1 waivers"),
    "unwaived_unhit_line_fails": (OK_WAIVERS.split("\n", 1)[1], LINES, TOGGLES, [], 1,
                                  "unhit: rtl/fix.sv:13"),
    "waiver_without_reason_fails": ("line rtl/fix.sv:13 \"4'd9\"\n" + OK_WAIVERS.split("\n", 1)[1], LINES,
                                    TOGGLES, [], 1, "a waiver needs a reason: line rtl/fix.sv:13"),
    "line_waiver_without_text_fails": ("line rtl/fix.sv:13 bus never reaches 9\n", LINES, TOGGLES, [], 1,
                                       "a line waiver quotes text of its line"),
    "waiver_of_a_hit_line_is_stale": (OK_WAIVERS + "line rtl/fix.sv:12 \"4'd3\" never\n", LINES, TOGGLES, [], 1,
                                      "stale waiver line 3 (line rtl/fix.sv:12): the line is hit"),
    "waiver_of_a_line_without_point_is_stale": (OK_WAIVERS + "line rtl/fix.sv:5 \"line 5\" never\n", LINES, TOGGLES, [],
                                                1, "stale waiver line 3 (line rtl/fix.sv:5): no coverage point"),
    "toggle_waiver_naming_no_point_is_stale": (OK_WAIVERS + "toggle rtl/fix.sv bus[7:4] gone\n", LINES,
                                               TOGGLES, [], 1, "stale waiver line 3"),
    "toggle_waiver_naming_a_toggling_point_is_untrue": (
        OK_WAIVERS.split("\n", 1)[0] + "\ntoggle rtl/fix.sv bus[3] never\n", LINES, TOGGLES, [], 1,
        "untrue waiver line 2 (toggle rtl/fix.sv bus[3]): 1 of 2 points it names toggle"),
    "toggles_below_the_target_fail": (OK_WAIVERS.split("\n", 1)[0] + "\n", LINES, TOGGLES, [], 1,
                                      "non-waived toggle coverage 90.00 % is below 95 %"),
    "lower_target_passes": (OK_WAIVERS.split("\n", 1)[0] + "\n", LINES, TOGGLES, ["--min-toggle", "90"], 0,
                            "untoggled, not waived:    1 rtl/fix.sv TOP.top.u_b bus"),
}
# --check-waivers on the fixture's sources (no coverage data).
CHECK_CASES = {
    "source_check_accepts_real_lines_and_signals": (OK_WAIVERS + "toggle rtl/fix.sv fl* ok\n", 0,
                                                    "3 waivers, 0 errors"),
    "source_check_rejects_a_line_past_the_end": ("line rtl/fix.sv:99 \"x\" gone\n", 1, "rtl/fix.sv has"),
    "source_check_rejects_a_comment_line": ("line rtl/fix.sv:4 \"line 4\" comment\n", 1,
                                            "the line holds no code"),
    "source_check_rejects_a_moved_line": ("line rtl/fix.sv:12 \"bus == 4'd9\" moved\n", 1,
                                          "the line does not hold \"bus == 4'd9\" (it is on line 13)"),
    "source_check_rejects_an_unknown_signal": ("toggle rtl/fix.sv bux[3] typo\n", 1,
                                               "declares no signal 'bux'"),
    "source_check_rejects_an_unknown_file": ("line rtl/nofile.sv:3 \"x\" gone\n", 1, "no file rtl/nofile.sv"),
    "source_check_rejects_an_unknown_instance": ("toggle rtl/fix.sv@u_zz bus[3] typo\n", 1,
                                                 "no instance 'u_zz'"),
    "source_check_rejects_a_bad_range": ("toggle rtl/fix.sv bus[1:3] reversed\n", 1, "bad bit selection"),
    "source_check_rejects_duplicates": (OK_WAIVERS + OK_WAIVERS.split("\n", 1)[0] + "\n", 1,
                                        "waived already on line 1"),
}


def main():
    scripts, case = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "rtl"))
        with open(os.path.join(root, "rtl", "fix.sv"), "w", encoding="utf-8") as f:
            f.write(FIX_SV)
        with open(os.path.join(root, "rtl", "top.sv"), "w", encoding="utf-8") as f:
            f.write("module top (input wire clk);\n  fix u_a (.clk);\n  fix u_b (.clk);\nendmodule\n")
        waivers = os.path.join(root, "waivers.txt")
        cmd = [sys.executable, os.path.join(scripts, "coverage_summary.py")]
        if case in CASES:
            text, lines, toggles, extra, code, want = CASES[case]
            dat = os.path.join(root, "merged.dat")
            write_dat(dat, root, lines, toggles)
            cmd += [dat, "--waivers", waivers, "--root", root] + extra
        elif case in CHECK_CASES:
            text, code, want = CHECK_CASES[case]
            cmd += ["--check-waivers", waivers, "--root", root]
        else:
            print(f"unknown case '{case}' (allowed: {', '.join(list(CASES) + list(CHECK_CASES))})")
            return 2
        with open(waivers, "w", encoding="utf-8") as f:
            f.write(text)
        r = subprocess.run(cmd, capture_output=True, text=True, check=False)
        out = r.stdout + r.stderr
        print(out)
        if r.returncode != code:
            print(f"FAIL: exit code {r.returncode}, expected {code}")
            return 1
        if want not in out:
            print(f"FAIL: no output line holds '{want}'")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
