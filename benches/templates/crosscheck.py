#!/usr/bin/env python3
"""Renders every template of real release job directories with bale and with the Ruby
reference renderer (erb-oracle.rb), one template at a time, and reports how often they agree.

    python3 benches/templates/crosscheck.py --oracle PATH/erb-oracle.rb --bale target/release/bale RELEASE_DIR...

Each job is rendered with the context `bale lint-templates --write-contexts` builds (spec
defaults, placeholders for required properties, a link per consumed link). A template agrees
when both render identical bytes, or both fail on the same line (messages of Ruby runtime
errors differ between Ruby versions, so only the line is compared for those; UnknownProperty,
UnknownLink and raise texts are compared exactly). Needs Ruby; release content is read, never copied.
"""
import argparse, collections, json, os, pathlib, shutil, subprocess, sys, tempfile

ap = argparse.ArgumentParser()
ap.add_argument('--oracle', required=True)
ap.add_argument('--bale', required=True)
ap.add_argument('--show', type=int, default=3, help='examples to print per cause')
ap.add_argument('releases', nargs='+')
args = ap.parse_args()

def run(cmd):
    p = subprocess.run(cmd, capture_output=True)
    return p.returncode, p.stderr.decode('utf-8', 'replace')

def tree(d):
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = open(p, 'rb').read()
    return out

def yq(s):
    return json.dumps(s)

stats = collections.Counter()
causes = collections.defaultdict(list)
total = 0
for rel in args.releases:
    rel = pathlib.Path(rel)
    with tempfile.TemporaryDirectory() as tmp:
        ctxdir = pathlib.Path(tmp) / 'ctx'
        subprocess.run([args.bale, 'lint-templates', str(rel), '--write-contexts', str(ctxdir)], capture_output=True)
        for jobdir in sorted((rel / 'jobs').iterdir()):
            spec = jobdir / 'spec'
            if not spec.is_file():
                continue
            ctx = ctxdir / (jobdir.name + '.json')
            if not ctx.is_file():
                stats['job-not-loaded'] += 1
                continue
            spec_text = spec.read_text(errors='replace')
            pairs = []
            try:
                import yaml  # only to list the templates map
                m = yaml.safe_load(spec_text) or {}
                pairs = list((m.get('templates') or {}).items())
            except Exception:
                pass
            units = [('monit', None)] if (jobdir / 'monit').is_file() else []
            units += [('templates/' + str(s), (s, d)) for s, d in pairs]
            for name, pair in units:
                total += 1
                work = pathlib.Path(tmp) / 'job'
                if work.exists():
                    shutil.rmtree(work)
                try:
                    shutil.copytree(jobdir, work, symlinks=False)
                except shutil.Error:
                    stats['unreadable-template'] += 1
                    continue
                if pair is None:
                    extra = '\ntemplates: {}\n'
                else:
                    if (work / 'monit').exists():
                        (work / 'monit').unlink()
                    extra = '\ntemplates:\n  %s: %s\n' % (yq(str(pair[0])), yq(str(pair[1])))
                (work / 'spec').write_text(spec_text.rstrip('\n') + '\n' + extra)
                o1, o2 = pathlib.Path(tmp) / 'o1', pathlib.Path(tmp) / 'o2'
                for o in (o1, o2):
                    if o.exists():
                        shutil.rmtree(o)
                c1, e1 = run(['ruby', args.oracle, '--job-dir', str(work), '--context', str(ctx), '--out', str(o1)])
                c2, e2 = run([args.bale, 'render', '--job-dir', str(work), '--context', str(ctx), '--out', str(o2)])
                label = '%s/%s %s' % (rel.name, jobdir.name, name)
                if c1 == 0 and c2 == 0:
                    if tree(o1) == tree(o2):
                        stats['same-output'] += 1
                    else:
                        stats['different-output'] += 1
                        causes['different output'].append(label)
                elif c1 == 1 and c2 == 1:
                    l1 = e1.strip().split(': ', 1)
                    l2 = e2.strip().split(': ', 1)
                    api = any(k in e1 for k in ("Can't find property", "Can't find link", "expects a hash"))
                    if l1[0] == l2[0] and (not api or e1 == e2):
                        stats['same-error'] += 1
                    else:
                        stats['different-error'] += 1
                        causes['different error'].append('%s\n      oracle: %s\n      bale:   %s' % (label, e1.strip()[:300], e2.strip()[:300]))
                elif c1 == 0:
                    stats['bale-only-error'] += 1
                    causes['bale fails, oracle renders'].append('%s\n      bale: %s' % (label, e2.strip()[:300]))
                elif c2 == 0:
                    stats['oracle-only-error'] += 1
                    causes['oracle fails, bale renders'].append('%s\n      oracle: %s' % (label, e1.strip()[:300]))
                else:
                    stats['other'] += 1
                    causes['exit codes %d/%d' % (c1, c2)].append('%s\n      oracle: %s\n      bale: %s' % (label, e1.strip()[:200], e2.strip()[:200]))

agree = stats['same-output'] + stats['same-error']
print('templates (incl. monit): %d' % total)
for k, v in sorted(stats.items()):
    print('  %-20s %d' % (k, v))
if total:
    print('agreement: %d/%d = %.1f%%' % (agree, total, 100.0 * agree / total))
for cause, items in causes.items():
    print('\n%s: %d' % (cause, len(items)))
    for i in items[:args.show]:
        print('  - ' + i)
