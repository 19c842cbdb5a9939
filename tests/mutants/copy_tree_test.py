#!/usr/bin/env python3
"""scripts/mutants.py keeps its copy of the tree fit for incremental builds.

The copy is brought up to date by content: an unchanged file keeps its time
(nothing is rebuilt for it), a changed one is written anew even when its old
time is far in the past (make must rebuild what depends on it), and a file
that is no longer in the tree goes away. Exit status 0 when all hold.
"""
import importlib.util
import os
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def main():
    spec = importlib.util.spec_from_file_location(
        'mutants', os.path.join(ROOT, 'scripts', 'mutants.py'))
    mutants = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutants)
    failures = []
    with tempfile.TemporaryDirectory() as work:
        src = os.path.join(work, 'src')
        mutants.copy_tree(src)
        probe = os.path.join(src, 'rtl', 'cpl_irq.sv')
        with open(os.path.join(ROOT, 'rtl', 'cpl_irq.sv'), 'rb') as f:
            original = f.read()
        os.utime(probe, (1000, 1000))
        mutants.copy_tree(src)
        if os.stat(probe).st_mtime != 1000:
            failures.append('an unchanged file was written again')
        with open(probe, 'ab') as f:
            f.write(b'// changed\n')
        os.utime(probe, (1000, 1000))  # older than any object built from it
        stray = os.path.join(src, 'no_longer_tracked.txt')
        with open(stray, 'w') as f:
            f.write('x')
        before = time.time() - 1
        mutants.copy_tree(src)
        with open(probe, 'rb') as f:
            if f.read() != original:
                failures.append('a changed file was not brought back')
        if os.stat(probe).st_mtime < before:
            failures.append('a changed file kept its old time')
        if os.path.exists(stray):
            failures.append('a file no longer in the tree was kept')
    for f in failures:
        print('copy_tree: ' + f)
    print('copy_tree: %s' % ('FAILED' if failures else 'ok'))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
