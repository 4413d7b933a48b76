#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""No personal data in logs.

check-no-pii.py --ctl PFDO_CTL [--skip TESTPATH]... TEST...

Runs each TEST program (the desk's UI and sync tests) with every debug
message on (G_MESSAGES_DEBUG=all) and reads what it wrote to stdout and
stderr for the names, SNILS and phones of the test data: every child and
parent in the stores the tests used (kept with PFDO_TEST_KEEP_DIRS, each
program in a TMPDIR of its own) and in the demo regions they are seeded
from (pfdo-ctl seed, seeds 1 and 5). A SNILS or a phone counts in any
spelling: with or without separators. The report names the program, the
line and the kind of data, with the value masked: it is a log too.

Before that, a canary: `pfdo-ctl find` prints a child's name on purpose,
and the check must catch it, or it cannot be trusted to catch anything.
"""
import argparse
import glob
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

DEMO_SEEDS = ('1', '5')
DIGITS_RE = re.compile(r'\+?\d[\d \t()\-]{8,22}\d')
WORD_RE = re.compile(r'[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*')


def fold(word):
    return word.lower().replace('ё', 'е')


class Identifiers:
    """What must not be in the output: names folded, SNILS and phones as digits."""

    def __init__(self):
        self.names = set()
        self.snils = set()
        self.phones = set()

    def add_name(self, value):
        for part in WORD_RE.findall(value or ''):
            # Two letters match too much of ordinary Russian.
            if len(part) >= 3:
                self.names.add(fold(part))

    def add_snils(self, value):
        digits = re.sub(r'\D', '', value or '')
        if len(digits) == 11:
            self.snils.add(digits)

    def add_phone(self, value):
        digits = re.sub(r'\D', '', value or '')
        if len(digits) >= 10:
            self.phones.add(digits[-10:])

    def read_store(self, path):
        try:
            db = sqlite3.connect(path, timeout=10)
            tables = {row[0] for row in
                      db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if 'child' in tables:
                for row in db.execute('SELECT last_name, first_name, middle_name, snils '
                                      'FROM child'):
                    for name in row[:3]:
                        self.add_name(name)
                    self.add_snils(row[3])
            if 'parent' in tables:
                for row in db.execute('SELECT last_name, first_name, middle_name, phone '
                                      'FROM parent'):
                    for name in row[:3]:
                        self.add_name(name)
                    self.add_phone(row[3])
            db.close()
        except sqlite3.DatabaseError as error:
            # A store cut short by a test that kills desks on purpose.
            print(f'# {os.path.basename(path)}: not read ({error})')


def mask(kind, value):
    if kind == 'name':
        return value[0] + '…' + value[-1]
    return '*' * (len(value) - 2) + value[-2:]


def find_leaks(text, ids):
    """(line number, kind, masked value) for each piece of personal data in text."""
    leaks = []
    for number, line in enumerate(text.splitlines(), 1):
        for match in DIGITS_RE.finditer(line):
            digits = re.sub(r'\D', '', match.group(0))
            if len(digits) == 11 and digits in ids.snils:
                leaks.append((number, 'SNILS', mask('snils', digits)))
            elif len(digits) in (10, 11) and digits[-10:] in ids.phones:
                leaks.append((number, 'phone', mask('phone', digits)))
        for word in WORD_RE.findall(line):
            if fold(word) in ids.names:
                leaks.append((number, 'name', mask('name', word)))
    return leaks


def run(args, env, timeout):
    process = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             timeout=timeout)
    return process.returncode, process.stdout.decode('utf-8', errors='replace')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--ctl', required=True)
    parser.add_argument('--skip', action='append', default=[],
                        help='a GTest path to skip in every program (slow and noisy)')
    parser.add_argument('--timeout', type=int, default=600)
    parser.add_argument('tests', nargs='+')
    options = parser.parse_args()

    work = tempfile.mkdtemp(prefix='pfdo-no-pii-')
    ids = Identifiers()
    env = dict(os.environ)
    env['G_MESSAGES_DEBUG'] = 'all'
    env['PFDO_TEST_KEEP_DIRS'] = '1'

    # The demo regions the tests are seeded from.
    for seed in DEMO_SEEDS:
        store = os.path.join(work, f'demo-{seed}.sqlite')
        code, output = run([options.ctl, 'seed', '--db', store, '--scale', 'demo', '--seed', seed],
                           env, options.timeout)
        if code != 0:
            print(output)
            sys.exit(f'pfdo-ctl seed failed with {code}')
        ids.read_store(store)

    # The canary: the look-up prints a child's name on purpose.
    db = sqlite3.connect(os.path.join(work, 'demo-1.sqlite'))
    snils = db.execute('SELECT snils FROM child WHERE snils IS NOT NULL LIMIT 1').fetchone()[0]
    db.close()
    code, output = run([options.ctl, 'find', '--db', os.path.join(work, 'demo-1.sqlite'), snils],
                       env, options.timeout)
    if code != 0 or not any(kind == 'name' for _, kind, _ in find_leaks(output, ids)):
        sys.exit('The check does not see the name pfdo-ctl find prints: it cannot be trusted.')
    print(f'# canary: pfdo-ctl find is caught ({len(find_leaks(output, ids))} findings)')

    outputs = []
    failed = []
    for test in options.tests:
        name = os.path.basename(test)
        tmp = os.path.join(work, name)
        os.makedirs(tmp)
        test_env = dict(env, TMPDIR=tmp)
        args = [test]
        for path in options.skip:
            args += ['-s', path]
        code, output = run(args, test_env, options.timeout)
        print(f'# {name}: exit {code}, {len(output.splitlines())} lines of output')
        if code != 0:
            failed.append(name)
        outputs.append((name, output))
        for store in glob.glob(os.path.join(tmp, '**', '*.sqlite'), recursive=True):
            ids.read_store(store)

    print(f'# looked for {len(ids.names)} names, {len(ids.snils)} SNILS, {len(ids.phones)} phones')
    if len(ids.names) < 100 or len(ids.snils) < 100 or len(ids.phones) < 100:
        sys.exit('Too little test data was found to look for: the check would prove nothing.')

    leaks = 0
    for name, output in outputs:
        found = find_leaks(output, ids)
        for line, kind, value in found[:20]:
            print(f'{name}:{line}: {kind} {value}')
        if len(found) > 20:
            print(f'{name}: … and {len(found) - 20} more')
        leaks += len(found)

    if failed:
        sys.exit(f'These tests failed, so their output is not the whole story: {", ".join(failed)} '
                 f'(stores kept in {work})')
    if leaks > 0:
        sys.exit(f'{leaks} pieces of personal data in the tests\' output (masked above; stores '
                 f'kept in {work}).')
    print('No names, SNILS or phones of the test data in the output.')
    shutil.rmtree(work)


if __name__ == '__main__':
    main()
