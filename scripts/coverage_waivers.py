"""The coverage waiver file (verif/coverage-waivers.txt): parsing, matching
and the check against the sources.

One waiver a line, '#' starts a comment, blank lines are skipped:

  line   rtl/FILE.sv:LINE "TEXT"             REASON
  toggle rtl/FILE.sv[@INSTANCE] SIGNAL[SEL]... REASON

A line waiver names one source line that no regression point reaches, and
quotes TEXT of that line (no '"' in it): the source check requires LINE to
hold TEXT, so a waiver left behind when the code moves fails at once and
says where TEXT is now. A
toggle waiver names toggle points (one bit of one signal of one instance) of
the module in FILE: SIGNAL is the name Verilator gives the point without its
bit indices ('sq_base_q', 'head_meta1.seq'; '*' and '?' match any characters
of a name), each SEL one index of the point, in order: '[*]' any, or a comma list of
'N' and 'HI:LO' ranges ('[7]', '[31:16]', '[30:16,48:41]'). No SEL matches every bit of the signal; with SELs the
point must have exactly as many indices. @INSTANCE (a glob over the instance
path below the top, e.g. 'u_work_fifo', 'u_cq_writer.u_w_fifo') narrows a
waiver to some instances of the module. Every waiver has a reason.
"""
import fnmatch
import os
import re

LINE_RE = re.compile(r"^line\s+(rtl/[\w.]+\.sv):(\d+)(?:\s+(.*))?$")
ANCHOR_RE = re.compile(r'^"([^"]+)"(?:\s+(.*))?$')
TOGGLE_RE = re.compile(r"^toggle\s+(rtl/[\w.]+\.sv)(?:@(\S+))?\s+([\w.*?]+)((?:\[[^\]\s]+\])*)(?:\s+(.*))?$")
SEL_RE = re.compile(r"\[([^\]]+)\]")
POINT_RE = re.compile(r"^([^\[]*)((?:\[\d+\])*)$")


class Waiver:
    def __init__(self, lineno, kind, file, reason, line=0, instance=None, signal=None, sels=None,
                 anchor=None):
        self.lineno = lineno      # line of the waiver file
        self.kind = kind          # "line" or "toggle"
        self.file = file          # rtl/FILE.sv
        self.reason = reason
        self.line = line          # line waivers: the source line
        self.anchor = anchor      # line waivers: text the source line holds
        self.instance = instance  # toggle waivers: instance glob or None
        self.signal = signal      # toggle waivers: signal name glob
        self.sels = sels or []    # toggle waivers: per index [(lo, hi), ...] or None for '*'

    def text(self):
        if self.kind == "line":
            return f"line {self.file}:{self.line}"
        inst = f"@{self.instance}" if self.instance else ""
        sels = "".join("[*]" if s is None else
                       "[" + ",".join(f"{hi}:{lo}" if hi != lo else f"{lo}" for lo, hi in s) + "]"
                       for s in self.sels)
        return f"toggle {self.file}{inst} {self.signal}{sels}"

    def matches_toggle(self, file, hier, name):
        """True when the toggle point (module file, instance path, Verilator
        point name such as 'mem[3][17]') is one this waiver names."""
        if self.kind != "toggle" or file != self.file:
            return False
        if self.instance is not None:
            below = hier.split(".", 2)[2] if hier.count(".") >= 2 else ""
            if not fnmatch.fnmatchcase(below, self.instance):
                return False
        m = POINT_RE.match(name)
        if not m or not fnmatch.fnmatchcase(m.group(1), self.signal):
            return False
        if not self.sels:
            return True
        idx = [int(i) for i in re.findall(r"\[(\d+)\]", m.group(2))]
        if len(idx) != len(self.sels):
            return False
        return all(s is None or any(lo <= i <= hi for lo, hi in s) for s, i in zip(self.sels, idx))


def parse(path):
    """Returns (waivers, errors) of a waiver file."""
    waivers, errors = [], []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            text = raw.split("#", 1)[0].strip()
            if not text:
                continue
            m = LINE_RE.match(text)
            if m:
                a = ANCHOR_RE.match((m.group(3) or "").strip())
                if not a:
                    errors.append(f"{path}:{n}: a line waiver quotes text of its line "
                                  f"('line rtl/FILE.sv:LINE \"TEXT\" REASON'): {text}")
                    continue
                if not (a.group(2) or "").strip():
                    errors.append(f"{path}:{n}: a waiver needs a reason: {text}")
                    continue
                waivers.append(Waiver(n, "line", m.group(1), a.group(2).strip(), line=int(m.group(2)),
                                      anchor=a.group(1)))
                continue
            m = TOGGLE_RE.match(text)
            if m and not (m.group(5) or "").strip():
                errors.append(f"{path}:{n}: a waiver needs a reason: {text}")
                continue
            if m:
                sels = _selections(m.group(4))
                if sels is None:
                    errors.append(f"{path}:{n}: bad bit selection (allowed [*], or a comma list "
                                  f"of N and HI:LO): {text}")
                    continue
                waivers.append(Waiver(n, "toggle", m.group(1), m.group(5).strip(), instance=m.group(2),
                                      signal=m.group(3), sels=sels))
                continue
            errors.append(f"{path}:{n}: needs 'line rtl/FILE.sv:LINE REASON' or "
                          f"'toggle rtl/FILE.sv[@INSTANCE] SIGNAL[SEL]... REASON': {text}")
    seen = {}
    for w in waivers:
        key = w.text()
        if key in seen:
            errors.append(f"{path}:{w.lineno}: {key} is waived already on line {seen[key]}")
        seen[key] = w.lineno
    return waivers, errors


def _selections(text):
    """The bit selections of '[*][30:16,7]...' as [None, [(16, 30), (7, 7)]],
    or None when one is malformed."""
    sels = []
    for s in SEL_RE.findall(text):
        if s == "*":
            sels.append(None)
            continue
        ranges = []
        for r in s.split(","):
            m = re.fullmatch(r"(\d+)(?::(\d+))?", r)
            if not m:
                return None
            hi = int(m.group(1))
            lo = int(m.group(2)) if m.group(2) is not None else hi
            if hi < lo:
                return None
            ranges.append((lo, hi))
        sels.append(ranges)
    return sels


def _code(text):
    """The source without comments (so a name only in a comment is no signal)."""
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def check_sources(waivers, root):
    """Errors for waivers naming a file, line, signal or instance the RTL
    sources do not have (the check without coverage data)."""
    errors = []
    cache = {}

    def source(rel):
        if rel not in cache:
            p = os.path.join(root, rel)
            cache[rel] = open(p, encoding="utf-8").read() if os.path.isfile(p) else None
        return cache[rel]

    all_code = None
    for w in waivers:
        where = f"waiver line {w.lineno} ({w.text()})"
        text = source(w.file)
        if text is None:
            errors.append(f"{where}: no file {w.file}")
            continue
        if w.kind == "line":
            lines = text.split("\n")
            if not 1 <= w.line <= len(lines):
                errors.append(f"{where}: {w.file} has {len(lines)} lines")
            elif not _code(lines[w.line - 1]).strip():
                errors.append(f"{where}: the line holds no code")
            elif w.anchor not in lines[w.line - 1]:
                now = [str(i) for i, t in enumerate(lines, 1) if w.anchor in t]
                at = f" (it is on line {', '.join(now)})" if now else " (nor does any other line)"
                errors.append(f"{where}: the line does not hold \"{w.anchor}\"{at}")
            continue
        words = set(re.findall(r"\b[A-Za-z_]\w*\b", _code(text)))
        parts = w.signal.split(".")
        if not any(fnmatch.fnmatchcase(word, parts[0]) for word in words):
            errors.append(f"{where}: {w.file} declares no signal '{parts[0]}'")
        if w.instance is not None:
            if all_code is None:
                all_code = _instances(os.path.join(root, "rtl"))
            for part in w.instance.split("."):
                if not any(fnmatch.fnmatchcase(inst, part) for inst in all_code):
                    errors.append(f"{where}: no instance '{part}' in rtl/")
    return errors


def _instances(rtl):
    names = set()
    for name in sorted(os.listdir(rtl)):
        if name.endswith(".sv"):
            with open(os.path.join(rtl, name), encoding="utf-8") as f:
                names |= set(re.findall(r"\b(u_\w+)\s*\(", _code(f.read())))
    return names
