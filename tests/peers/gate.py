#!/usr/bin/env python3
"""Gate docksec on the peers' own test suites (see tests/integration/peers.sh).

usage: gate.py lint DISAGREEMENTS.md KNOWN.tsv [--update]
       gate.py check RESULTS_DIR RERUN_LOG KNOWN.tsv [--update]

Every disagreement must be known: judged the peer's fault or a design choice
(the verdicts in ../shared, or this repository's KNOWN.tsv), or listed in
KNOWN.tsv as open work. Prints PASS/FAIL lines for tests/run.sh. --update
rewrites KNOWN.tsv from the current disagreements, keeping the reasons of
the cases already there (review the diff)."""
import glob, json, os, re, sys

CLASSES = ('open', 'peer-wrong', 'design')


def read_known(path):
    known = {}
    if os.path.exists(path):
        for line in open(path, encoding='utf-8'):
            if line.startswith('#') or not line.strip():
                continue
            case, cls, why = (line.rstrip('\n').split('\t') + ['', ''])[:3]
            known[case] = (cls, why)
    return known


def write_known(path, rows, head):
    with open(path, 'w', encoding='utf-8') as f:
        f.write(head)
        for case, cls, why in sorted(rows):
            f.write(f'{case}\t{cls}\t{why}\n')


def lint(md, known_path, update):
    text = open(md, encoding='utf-8').read()
    cases = re.findall(r'^## (\S+) (\S+) (\S+): (\S+) \[([^\]]+)\]', text, re.M)
    known = read_known(known_path)
    rows, unknown, nopen = [], [], 0
    for cid, peer, rule, outcome, verdict in cases:
        if verdict in ('peer-wrong', 'design'):
            continue  # judged in ../shared
        cls, why = known.get(cid, ('open' if verdict == 'docksec-wrong' else '', ''))
        if update:
            rows.append((cid, cls or 'open', why or f'{peer} {rule} {outcome}'))
        elif cid not in known:
            unknown.append(f'{cid} {peer} {rule}: {outcome} [{verdict}]')
        nopen += cls == 'open'
    if update:
        write_known(known_path, rows, '# lint disagreements not judged in ../shared, or docksec\'s own and still open\n'
                    '# case\tclass (open | peer-wrong | design)\treason\n')
        return 0
    for u in unknown:
        print(f'FAIL peers lint: a new disagreement with the peers\' tests: {u} (see {md})')
    if not unknown:
        print(f'PASS peers lint: every one of {len(cases)} disagreements is judged or known ({nopen} open, in {known_path})')
    fixed = [c for c, (cls, _) in known.items() if cls == 'open' and c not in {x[0] for x in cases}]
    if fixed:
        print(f'PASS peers lint: now agree, drop from {known_path}: {" ".join(sorted(fixed))}')
    return len(unknown)


def judgements(log):
    """case -> the => line printed after it by rerun.py."""
    out, last = {}, None
    for line in open(log, encoding='utf-8'):
        m = re.match(r'^  (\S.*?): peer=', line)
        if m:
            last = m.group(1).split(' ', 1)[-1] if ' ' in m.group(1) else m.group(1)
        elif line.strip().startswith('=> ') and last:
            out.setdefault(last, line.strip()[3:])
    return out


def classify(why):
    w = why.lower()
    if w.startswith('peer wrong') or w.startswith('peer outdated'):
        return 'peer-wrong'
    if w.startswith(('docksec', 'leniency')) or 'docksec wrong' in w:
        return 'open'
    return 'design'


def check(results, log, known_path, update):
    known = read_known(known_path)
    why = judgements(log)
    rows, unknown, total, nopen, seen = [], [], 0, 0, set()
    for f in sorted(glob.glob(os.path.join(results, '*.json'))):
        section = os.path.basename(f)[:-5]
        for x in json.load(open(f, encoding='utf-8')):
            if x.get('agree') is not False:
                continue
            total += 1
            case = f'{section}:{x.get("case")}'
            seen.add(case)
            cls, reason = known.get(case, ('', ''))
            if update:
                j = why.get(x.get('case'), '')
                rows.append((case, cls or classify(j), reason or j or x.get('why', '')))
            elif case not in known:
                unknown.append(f'{case} ({x.get("why", "")[:100]})')
            nopen += cls == 'open'
    if update:
        write_known(known_path, rows, '# check disagreements with the peers\' tests (rerun.py), with who is wrong\n'
                    '# section:case\tclass (open | peer-wrong | design)\treason\n')
        return 0
    for u in unknown:
        print(f'FAIL peers check: a new disagreement with the peers\' tests: {u}')
    if not unknown:
        print(f'PASS peers check: every one of {total} disagreements is known ({nopen} open, in {known_path})')
    fixed = [c for c, (cls, _) in known.items() if c not in seen]
    if fixed:
        print(f'PASS peers check: now agree, drop from {known_path}: {" ".join(sorted(fixed))}')
    return len(unknown)


if __name__ == '__main__':
    a = [x for x in sys.argv[1:] if x != '--update']
    upd = '--update' in sys.argv
    if a and a[0] == 'lint' and len(a) == 3:
        sys.exit(1 if lint(a[1], a[2], upd) else 0)
    if a and a[0] == 'check' and len(a) == 4:
        sys.exit(1 if check(a[1], a[2], a[3], upd) else 0)
    sys.exit(__doc__)
