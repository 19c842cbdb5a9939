#!/usr/bin/env python3
"""Mutation sampling: does some test fail when the RTL or the driver code is wrong?

    scripts/mutants.py rtl    [--seed S] [--count N] [--build DIR] [--tests REGEX]
                              [--config default|small|max|all]
    scripts/mutants.py driver [--seed S] [--count N] [--build DIR] [--tests REGEX]
    scripts/mutants.py {rtl,driver} --list
    ... --sites REGEX   only the sites whose FILE:LINE the regex finds (a change's lines)

Each mutant changes one operator or constant on one line: && and ||, == and
!=, < and <=, > and >=, a dropped ! (or ~ in the RTL), + 1 and - 1 made 2,
1'b0 and 1'b1 in the RTL, true and false in C++. The scope `rtl` mutates
rtl/*.sv, `driver` the driver models (driver_model/*.cpp and *.h). Mutants
are drawn at random (--seed) from every such site; one that does not compile
(Verilator lint for the RTL, the build for C++) is skipped and not counted.

For each of --count mutants the script rebuilds what the mutated file goes
into and runs the tests until the first failure (--tests, a ctest regex).
By default, for rtl: the RTL tests of --config (the default configuration's
unless told otherwise) and the co-simulation tests; --config small, max or
all runs the RTL suites of that configuration instead (all: of the three,
and each mutant then recompiles a model per configuration), to find mutants
that only another size tells apart. For driver: every test but the RTL-only
suites and the formatting and layering checks. A mutant is KILLED when a
test fails and SURVIVED when none does: a survivor is either equivalent (no
input can tell it from the original; say why when reviewing it) or a gap in
the tests.

The repository is never touched: the script copies the tracked files (as
they are in the working tree) to DIR/src and builds there, in DIR/build,
with CHIMNEY_RTL_MODEL_OPT=-O0 so a mutated model compiles quickly. Results
go to DIR/mutants-<scope>.jsonl (one JSON object per mutant), a line per
mutant and a summary to stdout.
Exit status: 0 when the run completed (survivors included), 1 when the
unmutated tree already fails to build or to pass the tests, 2 on bad
arguments.
"""
import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (pattern, replacement): one match of the pattern is replaced per mutant.
COMMON = [
    (r'&&', '||'), (r'\|\|', '&&'), (r'==', '!='), (r'!=', '=='),
    (r' < ', ' <= '), (r' > ', ' >= '), (r'!(?=[A-Za-z_(])', ''),
    (r"\+ 1\b(?!')", '+ 2'), (r"- 1\b(?!')", '- 2'),
]


def rtl_config_targets(config):
    """Build targets and ctest arguments for the RTL tests of `config` (or 'all')."""
    configs = ['default', 'small', 'max'] if config == 'all' else [config]
    # (offload_target: the sample driver library some cosim.* tests load)
    targets = ['cosim_tests', 'chimney-cosim', 'sva_engine_bind_test', 'offload_target']
    for c in configs:
        suffix = '' if c == 'default' else '_' + c
        targets += [t + suffix for t in ('cpl_engine_vl', 'rtl_directed_test', 'rtl_random_test',
                                          'rtl_differential_test', 'rtl_throughput_test')]
    # the default model also goes into the co-simulation and the bind test
    if 'default' not in configs:
        targets.append('cpl_engine_vl')
    # (rtl_block.*: the blocks' own Icarus testbenches, compiled from the
    # mutated sources; they hold what the engine-level tests may not show,
    # such as a round robin's next priority. formal.<block>.*: the blocks'
    # proofs, read from the mutated sources too; not formal.catches.*, which
    # edit a block themselves and fail on a mutant of the line they edit
    # whatever it does.)
    regex = ('|'.join('^%s[.]' % c for c in configs) +
             r'|^cosim[.]|^SvaEngineBind|^rtl_block[.]|^formal[.](rr_arbiter|fifo|slot_pool|out_reg|irq|match_read)[.]')
    return targets, ['-R', regex]


SCOPES = {
    'rtl': {
        'files': lambda name: name.startswith('rtl/') and name.endswith('.sv'),
        'operators': COMMON + [(r"1'b1", "1'b0"), (r"1'b0", "1'b1"), (r'~(?=[A-Za-z_(])', '')],
        # Lines that declare rather than compute.
        'skip': ('`', 'module', 'parameter', 'localparam', 'input', 'output', 'import',
                 'package', 'endpackage', 'typedef'),
        # What links the default configuration's model, and its tests (--config: others).
        'targets': rtl_config_targets('default')[0],
        'tests': rtl_config_targets('default')[1],
    },
    'driver': {
        'files': lambda name: (name.startswith('driver_model/') and
                               name.endswith(('.cpp', '.h'))),
        'operators': COMMON + [(r'\btrue\b', 'false'), (r'\bfalse\b', 'true')],
        'skip': ('#', 'namespace', 'using', 'class', 'struct', 'enum', 'template'),
        'targets': [],  # everything
        # not the RTL-only suites (the blocks' proofs and the netlist replay
        # included), nor the source checks (a mutated line may only break
        # the formatting)
        'tests': ['-E', r'^(default|small|max|formal|netlist|format|layering)[.]'],
    },
}


def sites(src, scope, only=None):
    """Every (file, line index, operator index, column) a mutant can change; with
    `only` (a compiled regex), those whose 'FILE:LINE' it finds."""
    spec = SCOPES[scope]
    found = []
    for name in tracked_files():
        if not spec['files'](name):
            continue
        with open(os.path.join(src, name)) as f:
            lines = f.read().split('\n')
        for i, line in enumerate(lines):
            if only is not None and not only.search('%s:%d' % (name, i + 1)):
                continue
            code = line.split('//')[0]  # both languages comment with //
            stripped = code.strip()
            if not stripped or stripped.startswith(spec['skip']) or stripped.startswith('*'):
                continue
            for k, (pattern, _) in enumerate(spec['operators']):
                # A loop bound moved past the last element only writes out of
                # range in the RTL (nothing changes) or reads out of bounds in
                # C++: not a useful mutant either way.
                if pattern in (r' < ', r' > ') and re.search(r'\bfor\s*\(', code):
                    continue
                for m in re.finditer(pattern, code):
                    found.append((name, i, k, m.start()))
    return found


def tracked_files():
    """The repository's files (git ls-files), or every file when it is not a checkout."""
    try:
        out = subprocess.run(['git', '-C', ROOT, 'ls-files'], capture_output=True, text=True,
                             check=True).stdout
        return sorted(n for n in out.split('\n') if n)
    except (OSError, subprocess.CalledProcessError):
        found = []
        for top, dirs, files in os.walk(ROOT):
            dirs[:] = [d for d in dirs if not d.startswith(('.', 'build'))]
            found += [os.path.relpath(os.path.join(top, f), ROOT) for f in files]
        return sorted(found)


def mutate(text, i, k, col, operators):
    """The file text with operator k replaced at (line i, column col)."""
    lines = text.split('\n')
    line = lines[i]
    pattern, replacement = operators[k]
    m = re.compile(pattern).match(line, col)
    lines[i] = line[:col] + replacement + line[m.end():]
    return '\n'.join(lines), line.strip(), lines[i].strip()


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 124, 'timeout after %d s' % timeout


def first_failure(ctest_output):
    for line in ctest_output.split('\n'):
        # ***Failed, ***Timeout, ***Exception (after "Child aborted" or
        # "Subprocess aborted"), ***Not Run
        m = re.search(r'Test\s+#\d+: (\S+) \.+.*\*\*\*', line)
        if m:
            return m.group(1)
    return ''


def copy_tree(src):
    """Brings the copy up to date with the working tree for an incremental build.

    A file whose content changed is written anew, so its time is now and make
    rebuilds what depends on it; an unchanged file keeps its time. (Copying
    the origin's time instead can leave objects of an earlier copy that are
    newer than a changed source: stale objects, linked with fresh ones.)
    """
    names = set()
    for name in tracked_files():
        origin = os.path.join(ROOT, name)
        if not os.path.isfile(origin):
            continue  # deleted in the working tree
        names.add(name)
        dest = os.path.join(src, name)
        with open(origin, 'rb') as f:
            content = f.read()
        if os.path.isfile(dest):
            with open(dest, 'rb') as f:
                if f.read() == content:
                    continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest, 'wb') as f:
            f.write(content)
        shutil.copymode(origin, dest)
    for top, _dirs, files in os.walk(src):
        for f in files:
            path = os.path.join(top, f)
            if os.path.relpath(path, src) not in names:
                os.remove(path)  # no longer in the tree


def main():
    ap = argparse.ArgumentParser(description='Mutation sampling of the RTL or the driver code.')
    ap.add_argument('scope', choices=sorted(SCOPES), help='what to mutate')
    ap.add_argument('--seed', type=int, default=1, help='which mutants are drawn (default 1)')
    ap.add_argument('--count', type=int, default=30, help='mutants to test (default 30)')
    ap.add_argument('--build', default=os.path.join(ROOT, 'build-mutants'),
                    help='a directory of its own (default build-mutants)')
    ap.add_argument('--tests', help='ctest regex of the tests to run (default: see above)')
    ap.add_argument('--config', choices=['default', 'small', 'max', 'all'], default='default',
                    help='rtl: the configuration(s) whose RTL tests run (default: default)')
    ap.add_argument('--test-timeout', type=int, default=120, help='seconds per test (default 120)')
    ap.add_argument('--list', action='store_true', help='list the mutation sites and exit')
    ap.add_argument('--sites', metavar='REGEX',
                    help="only the sites whose 'FILE:LINE' the regex finds, e.g. "
                         "'rtl/cpl_fifo[.]sv:(2[89]|3[0-3])$' (the lines a change touched)")
    args = ap.parse_args()
    if args.count < 1:
        ap.error('--count %d: must be at least 1' % args.count)
    only = None
    if args.sites is not None:
        try:
            only = re.compile(args.sites)
        except re.error as e:
            ap.error('--sites %r: not a regular expression (%s)' % (args.sites, e))
    spec = dict(SCOPES[args.scope])
    operators = spec['operators']
    if args.config != 'default' and args.scope != 'rtl':
        ap.error('--config %s: only with rtl (the driver code has no configurations)' % args.config)
    if args.scope == 'rtl':
        spec['targets'], spec['tests'] = rtl_config_targets(args.config)

    if args.list:
        for name, i, k, col in sites(ROOT, args.scope, only):
            print('%s:%d:%d %s -> %s' % (name, i + 1, col + 1, operators[k][0], operators[k][1]))
        return 0

    work = os.path.abspath(args.build)
    src = os.path.join(work, 'src')
    build = os.path.join(work, 'build')
    copy_tree(src)
    candidates = sites(src, args.scope, only)
    if not candidates:  # said before the build, not after it
        print('mutants: no mutation site matches --sites %r' % args.sites, file=sys.stderr)
        return 2
    configure = ['cmake', '-S', src, '-B', build, '-DCMAKE_BUILD_TYPE=Release',
                 '-DCHIMNEY_RTL_MODEL_OPT=-O0']
    if shutil.which('ccache'):
        configure += ['-DCMAKE_CXX_COMPILER_LAUNCHER=ccache', '-DCMAKE_C_COMPILER_LAUNCHER=ccache']
        # paths relative to the copy: the unchanged files hit the cache of the main build
        os.environ['CCACHE_BASEDIR'] = src
    jobs = str(os.cpu_count() or 2)
    build_cmd = ['cmake', '--build', build, '-j', jobs]
    if spec['targets']:
        build_cmd += ['--target'] + spec['targets']
    tests = ['-R', args.tests] if args.tests else spec['tests']
    test_cmd = ['ctest', '--test-dir', build, '-j', jobs, '--timeout', str(args.test_timeout),
                '--stop-on-failure'] + tests
    print('mutants: building the unmutated tree in %s' % build, flush=True)
    for cmd in (configure, build_cmd):
        rc, out = run(cmd, 3600)
        if rc != 0:
            print(out[-3000:], file=sys.stderr)
            print('mutants: the build of the unmutated tree failed', file=sys.stderr)
            return 1
    rc, out = run(test_cmd, 7200)
    if rc != 0:
        print(out[-3000:], file=sys.stderr)
        print('mutants: the unmutated tree fails the tests (%s)' % first_failure(out),
              file=sys.stderr)
        return 1

    random.Random(args.seed).shuffle(candidates)
    rtl_dir = os.path.join(src, 'rtl')
    rtl = sorted(os.path.join(rtl_dir, n) for n in os.listdir(rtl_dir) if n.endswith('_pkg.sv'))
    rtl += sorted(os.path.join(rtl_dir, n) for n in os.listdir(rtl_dir)
                  if n.endswith('.sv') and not n.endswith('_pkg.sv'))
    lint = ['verilator', '--lint-only', '-Wno-fatal', '--top-module', 'cpl_engine', '-I' + src]
    results = []
    log_path = os.path.join(work, 'mutants-%s.jsonl' % args.scope)
    with open(log_path, 'w') as log:
        for name, i, k, col in candidates:
            if len(results) >= args.count:
                break
            path = os.path.join(src, name)
            with open(path) as f:
                original = f.read()
            mutated, old, new = mutate(original, i, k, col, operators)
            try:
                with open(path, 'w') as f:
                    f.write(mutated)
                if args.scope == 'rtl':
                    rc, out = run(lint + rtl, 300)
                    if rc != 0 and '%Error' in out:
                        continue  # not a legal design: not a mutant
                start = time.time()
                rc, out = run(build_cmd, 3600)
                if rc != 0:
                    continue  # does not compile: not a mutant
                rc, out = run(test_cmd, 7200)
                status = 'KILLED' if rc != 0 else 'SURVIVED'
                entry = {'status': status, 'file': name, 'line': i + 1, 'old': old, 'new': new,
                         'failed_test': first_failure(out) if rc != 0 else '',
                         'seconds': round(time.time() - start)}
            finally:
                with open(path, 'w') as f:
                    f.write(original)
            results.append(entry)
            log.write(json.dumps(entry) + '\n')
            log.flush()
            print('[%d/%d] %s %s:%d  %s  ->  %s%s' % (
                len(results), args.count, status, name, i + 1, old, new,
                ('  (' + entry['failed_test'] + ')') if entry['failed_test'] else ''), flush=True)
    # The last mutant's objects are stale: leave the build as the original.
    run(build_cmd, 3600)
    killed = sum(1 for r in results if r['status'] == 'KILLED')
    print('mutants: %s, %d mutants, %d killed, %d survived (seed %d); %s' % (
        args.scope, len(results), killed, len(results) - killed, args.seed, log_path))
    return 0


if __name__ == '__main__':
    sys.exit(main())
