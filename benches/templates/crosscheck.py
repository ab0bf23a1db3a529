#!/usr/bin/env python3
"""Renders the jobs of real release directories with bale and with the Ruby reference renderer
(erb-oracle.rb) under several contexts per job, and reports how often they agree.

    python3 benches/templates/crosscheck.py --oracle PATH/erb-oracle.rb --bale target/debug/bale \
        [--now 2026-01-01T00:00:00Z] [--table results.md] RELEASE_DIR...

Both sides read the same fixed clock (`--now`; the oracle through fixed_now.rb), so templates
calling `Time.now` are compared too. bale draws from a fixed seed (`--random-seed 1`), so its
side repeats; an output made of unseeded random draws can never agree with Ruby's. `--ruby` picks the Ruby the oracle runs on: the one on the
PATH, or Ruby 3.4 from npm (`npm ci --prefix benches/templates/ruby34`, then
`--ruby "node benches/templates/ruby34/ruby.mjs"`), the director's Ruby since v283.0.

Contexts per job (a "job case" is one job under one context):
  defaults     spec defaults only (no manifest properties): required properties are missing
  lint         what `bale lint-templates --write-contexts` builds: defaults, plus the `example`
               (or a placeholder) of each property without a default, one instance per link
  example      every property that has an `example` set to it, over lint
  all-set      every property set: example, else default, else lint's placeholder
  link-bare    lint, with every consumed link's properties empty
  no-links     lint, with no links at all (optional links absent)
A miss is rendered by the oracle once more: one it does not repeat itself (unseeded random
draws) is named so and counted apart as well. A job case agrees when both render identical files, or both fail on the same templates at the
same lines (Ruby's own runtime messages differ between Ruby versions, so only the line is
compared for them; the evaluation API's messages are compared exactly). A file agrees when
both render it identically within an agreeing case, or both fail on it at the same line.
Needs Ruby; release content is read in place, never copied.
"""
import argparse, collections, concurrent.futures, copy, datetime, json, os, pathlib, subprocess, sys, tempfile

import yaml

HERE = pathlib.Path(__file__).resolve().parent
API_MESSAGES = ("Can't find property", "Can't find link", "expects a hash")


def set_dotted(tree, name, value):
    segs = name.split('.')
    for s in segs[:-1]:
        if not isinstance(tree.get(s), dict):
            tree[s] = {}
        tree = tree[s]
    tree[segs[-1]] = value


def variants(spec, lint):
    props = spec.get('properties') or {}
    if not isinstance(props, dict):
        props = {}
    out = {}
    d = copy.deepcopy(lint)
    d['properties'] = {}
    out['defaults'] = d
    out['lint'] = lint
    ex = copy.deepcopy(lint)
    has_example = False
    for name, defn in props.items():
        if isinstance(defn, dict) and defn.get('example') is not None:
            set_dotted(ex['properties'], str(name), defn['example'])
            has_example = True
    if has_example:
        out['example'] = ex
    al = copy.deepcopy(ex)
    for name, defn in props.items():
        defn = defn if isinstance(defn, dict) else {}
        if defn.get('example') is None and defn.get('default') is not None:
            set_dotted(al['properties'], str(name), defn['default'])
    out['all-set'] = al
    if lint.get('links'):
        lb = copy.deepcopy(lint)
        for l in lb['links'].values():
            if isinstance(l, dict):
                l['properties'] = {}
        out['link-bare'] = lb
        nl = copy.deepcopy(lint)
        nl['links'] = {}
        out['no-links'] = nl
    return out


def bale_render(bale, job, ctx, tmp, now):
    out = pathlib.Path(tempfile.mkdtemp(dir=tmp))
    p = subprocess.run([bale, 'render', '--job-dir', str(job), '--context', str(ctx), '--out', str(out / 'o'),
                        '--now', now, '--random-seed', '1'],
                       capture_output=True, timeout=300)
    files = {}
    if p.returncode == 0:
        for f in (out / 'o').rglob('*'):
            if f.is_file():
                files[str(f.relative_to(out / 'o'))] = f.read_bytes().decode('utf-8', 'replace')
    errors = [l for l in p.stderr.decode('utf-8', 'replace').splitlines() if l.strip()]
    return {'code': p.returncode, 'files': files, 'errors': errors}


def compare(o, b):
    """(case agrees, files agreeing, files considered, cause)"""
    if o['code'] == 0 and b['code'] == 0:
        keys = set(o['files']) | set(b['files'])
        same = sum(o['files'].get(k) == b['files'].get(k) for k in keys)
        return same == len(keys), same, len(keys), None if same == len(keys) else 'different output'
    if o['code'] == 1 and b['code'] == 1:
        wo = {e.split(': ', 1)[0]: e for e in o['errors']}
        wb = {e.split(': ', 1)[0]: e for e in b['errors']}
        same = 0
        for w, e in wo.items():
            if w in wb and (not any(m in e for m in API_MESSAGES) or e == wb[w]):
                same += 1
        n = len(set(wo) | set(wb))
        return same == n and len(wo) == len(wb), same, n, None if same == n else 'different error'
    if o['code'] == 0:
        return False, 0, max(1, len(o['files'])), 'bale fails, oracle renders'
    if b['code'] == 0:
        return False, 0, max(1, len(b['files'])), 'oracle fails, bale renders'
    return False, 0, 1, 'exit codes %d/%d' % (o['code'], b['code'])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--oracle', required=True)
    ap.add_argument('--bale', required=True)
    ap.add_argument('--table', help='write a markdown results table here')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--now', default='2026-01-01T00:00:00Z', help='the time Time.now answers on both sides')
    ap.add_argument('--ruby', default='ruby',
                    help='the command that runs the reference renderer, e.g. '
                         '"node benches/templates/ruby34/ruby.mjs" for Ruby 3.4 (see its header)')
    ap.add_argument('releases', nargs='+')
    args = ap.parse_args()
    bale = os.path.abspath(args.bale)
    per_repo = collections.OrderedDict()
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        cases = []  # (repo, job, variant, jobdir, ctxpath)
        for rel in args.releases:
            rel = pathlib.Path(rel).resolve()
            ctxdir = tmp / ('ctx-' + rel.name)
            subprocess.run([bale, 'lint-templates', str(rel), '--write-contexts', str(ctxdir)], capture_output=True)
            per_repo[rel.name] = collections.Counter()
            for jobdir in sorted((rel / 'jobs').iterdir()):
                if not (jobdir / 'spec').is_file():
                    continue
                lint = ctxdir / (jobdir.name + '.json')
                if not lint.is_file():
                    per_repo[rel.name]['job-not-loaded'] += 1
                    continue
                try:
                    spec = yaml.safe_load((jobdir / 'spec').read_text(errors='replace')) or {}
                except yaml.YAMLError:
                    spec = {}
                for name, ctx in variants(spec if isinstance(spec, dict) else {}, json.loads(lint.read_text())).items():
                    path = tmp / ('%s--%s--%s.json' % (rel.name, jobdir.name, name))
                    path.write_text(json.dumps(ctx))
                    cases.append((rel.name, jobdir.name, name, jobdir, path))
        epoch = int(datetime.datetime.fromisoformat(args.now.replace('Z', '+00:00')).timestamp())
        env = dict(os.environ, FIXED_NOW_EPOCH=str(epoch))

        def run_oracle(some, name):
            lst = tmp / name
            lst.write_text(''.join('%s\t%s\n' % (c[3], c[4]) for c in some))
            p = subprocess.run(args.ruby.split() + ['-r', str(HERE / 'fixed_now.rb'), str(HERE / 'oracle_batch.rb'),
                                                     args.oracle, str(lst)], capture_output=True, env=env)
            got = [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]
            if len(got) != len(some):
                sys.exit('oracle stopped after %d cases: %s' % (len(got), p.stderr.decode()[-2000:]))
            return got

        oracle = run_oracle(cases, 'list')
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
            ours = list(ex.map(lambda c: bale_render(bale, c[3], c[4], tmp, args.now), cases))
        for c, o, b in zip(cases, oracle, ours):
            ok, fsame, fn, cause = compare(o, b)
            st = per_repo[c[0]]
            st['cases'] += 1
            st['agree'] += ok
            st['files'] += fn
            st['files-agree'] += fsame
            st['renders'] += o['code'] == 0
            if not ok:
                misses.append((c, cause, o, b))
        # a miss the reference renderer does not repeat itself (unseeded random draws, the
        # machine's own state) is one no renderer could match: rendered once more, it is
        # counted apart
        again = run_oracle([m[0] for m in misses], 'again') if misses else []
        unstable = [m for m, o2 in zip(misses, again) if not compare(m[2], o2)[0]]
    tot = collections.Counter()
    for st in per_repo.values():
        tot.update(st)
    lines = ['| release | job cases | identical | files | identical | cases the oracle renders |', '| --- | ---: | ---: | ---: | ---: | ---: |']
    for name, st in per_repo.items():
        lines.append('| %s | %d | %d | %d | %d | %d |' % (name, st['cases'], st['agree'], st['files'], st['files-agree'], st['renders']))
    pc = lambda a, b: 100.0 * a / b if b else 100.0  # noqa: E731
    lines.append('| **%d releases** | **%d** | **%d (%.2f%%)** | **%d** | **%d (%.2f%%)** | **%d** |' % (
        len(per_repo), tot['cases'], tot['agree'], pc(tot['agree'], tot['cases']), tot['files'], tot['files-agree'],
        pc(tot['files-agree'], tot['files']), tot['renders']))
    lines.append('')
    lines.append('Both sides rendered with `Time.now` fixed at %s.' % args.now)
    if unstable:
        steady = tot['cases'] - len(unstable)
        lines.append('')
        lines.append('%d of the misses the reference renderer itself renders differently when run again; '
                     'identical among the %d job cases it repeats: **%d (%.2f%%)**.' % (
                         len(unstable), steady, tot['agree'], pc(tot['agree'], steady)))
    lines.append('')
    lines.append('Misses: %d' % len(misses))
    for c, cause, o, b in misses:
        lines.append('- %s/%s (%s): %s%s' % (c[0], c[1], c[2], cause, ', and the oracle differs from itself'
                                              if any(m[0] is c for m in unstable) else ''))
        lines.append('  - oracle: `%s`' % (' | '.join(o['errors'])[:300] if o['errors'] else 'renders'))
        lines.append('  - bale: `%s`' % (' | '.join(b['errors'])[:300] if b['errors'] else 'renders'))
        if cause == 'different output':
            for k in sorted(set(o['files']) | set(b['files'])):
                if o['files'].get(k) != b['files'].get(k):
                    lines.append('  - differs: %s' % k)
    text = '\n'.join(lines) + '\n'
    print(text)
    if args.table:
        pathlib.Path(args.table).write_text(text)


if __name__ == '__main__':
    main()
