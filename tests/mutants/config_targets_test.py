#!/usr/bin/env python3
"""scripts/mutants.py --config names real things: for each configuration (and
all), every build target it rebuilds per mutant is a target of this build,
and its ctest selection finds that configuration's RTL tests, the
co-simulation tests, the blocks' own testbenches and their proofs (not the
formal.catches.* checks), and every driver
library (.so) a selected test loads is built by one of those targets (named
after it). Exit status 0 when all hold.

    config_targets_test.py BUILD_DIR
"""
import importlib.util
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def main():
    build = sys.argv[1]
    spec = importlib.util.spec_from_file_location(
        'mutants', os.path.join(ROOT, 'scripts', 'mutants.py'))
    mutants = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutants)
    help_text = subprocess.run(['cmake', '--build', build, '--target', 'help'],
                               capture_output=True, text=True, check=True).stdout
    known = set(re.findall(r'^\.\.\. (\S+)', help_text, re.M))
    failures = []
    for config in ('default', 'small', 'max', 'all'):
        targets, tests = mutants.rtl_config_targets(config)
        for t in targets:
            if t not in known:
                failures.append('%s: %s is not a target of the build' % (config, t))
        listed = subprocess.run(['ctest', '--test-dir', build, '-N'] + tests,
                                capture_output=True, text=True, check=True).stdout
        names = re.findall(r'Test\s+#\d+: (\S+)', listed)
        configs = ['default', 'small', 'max'] if config == 'all' else [config]
        for c in configs + ['cosim', 'rtl_block', 'formal.rr_arbiter', 'formal.fifo',
                            'formal.slot_pool', 'formal.out_reg', 'formal.irq',
                            'formal.match_read']:
            if not any(n.startswith(c + '.') for n in names):
                failures.append('%s: selects no %s.* test' % (config, c))
        for n in names:
            if not re.match(r'(%s|cosim|rtl_block|formal[.](rr_arbiter|fifo|slot_pool|out_reg|irq|match_read))[.]|'
                            r'SvaEngineBind' % '|'.join(configs), n):
                failures.append('%s: selects %s' % (config, n))
        shown = json.loads(subprocess.run(
            ['ctest', '--test-dir', build, '--show-only=json-v1'] + tests,
            capture_output=True, text=True, check=True).stdout)
        for t in shown.get('tests', []):
            for arg in t.get('command', []):
                lib = os.path.basename(arg)
                if arg.startswith(os.path.abspath(build)) and lib.endswith('.so') and \
                        lib[:-3] not in targets:
                    failures.append('%s: %s loads %s, which no rebuilt target makes' %
                                    (config, t['name'], lib))
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
