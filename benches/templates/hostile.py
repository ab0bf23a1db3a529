#!/usr/bin/env python3
"""Runs the hostile inputs that once crashed or hung the renderer through `bale render`, with
its default budgets, and prints each one's outcome: exit status, the error's first line, wall
time and the process's peak memory.

    python3 benches/templates/hostile.py --bale target/release/bale [--table FILE]

Each template is the second line of a one-template job (so a clean failure names
`templates/t.erb:2`); the billion-laughs case is a 700-byte `--manifest`. The CI tests
(`crates/rubyerb/tests/hostile.rs`, `tests/cli/budgets.rs`) assert the same outcomes with
smaller budgets; this script shows what a user gets with the defaults.
"""
import argparse, json, os, pathlib, subprocess, sys, tempfile, time

SPEC = "---\nname: hostile\ntemplates:\n  t.erb: t\nproperties:\n  p: {default: 1}\n"


def laughs():
    m = "a0: &a0 [lol,lol,lol,lol,lol,lol,lol,lol,lol,lol]\n"
    for i in range(1, 10):
        m += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n"
    return m + "instance_groups: [{name: g, jobs: [{name: hostile}]}]\n"


def deep_context(n):
    return '{"properties": {"p": ' + "[" * n + "]" * n + "}}"


# (what the issue names, template, extra files, extra arguments)
CASES = [
    ("lambda recursion", "<% f = ->(x) { f.(x) } %><%= f.(1) %>", {}, []),
    ("method recursion", "<% def f(x) = f(x) %><%= f(1) %>", {}, []),
    ("2,000 nested parentheses", "<%= " + "(" * 2000 + "1" + ")" * 2000 + " %>", {}, []),
    ("100,000 nested brackets", "<%= " + "[" * 100000 + "]" * 100000 + " %>", {}, []),
    ("`1.upto(10_000_000_000){}`", "<% 1.upto(10_000_000_000){} %>", {}, []),
    ('`"a" * 10_000_000_000`', '<%= "a" * 10_000_000_000 %>', {}, []),
    ("`ljust(10_000_000_000)`", "<%= 'a'.ljust(10_000_000_000) %>", {}, []),
    ("`[1] * 10_000_000_000`", "<%= ([1] * 10_000_000_000).size %>", {}, []),
    ("`10_000_000_000.times{}`", "<% 10_000_000_000.times{} %>", {}, []),
    ("`1.step(10_000_000_000, 1){}`", "<% 1.step(10_000_000_000, 1){} %>", {}, []),
    ("`'%01000000000d' % 1`", "<%= '%01000000000d' % 1 %>", {}, []),
    ("`(1..10**10).to_a`", "<%= (1..10**10).to_a.size %>", {}, []),
    ("`loop {}`", "<% loop {} %>", {}, []),
    ("doubling a string", "<% s = 'a'; 100.times { s += s } %>", {}, []),
    ("doubling an array", "<% a = [1]; 100.times { a += a } %>", {}, []),
    ("hash literals in a loop", "<% a = []; 20_000_000.times { a << {x: 1} } %>", {}, []),
    ("`zip` of 10,000,000 pairs", "<%= (1..10_000_000).zip(1..10_000_000).size %>", {}, []),
    ("2 ** (2 ** 40)", "<%= 2 ** (2 ** 40) %>", {}, []),
    ("billion laughs `--manifest` (700 bytes)", "<%= p('p') %>", {"m.yml": laughs()},
     ["--manifest", "m.yml"]),
    ("context nested 1,000,000 deep", "<%= p('p') %>", {"c.json": deep_context(1000000)},
     ["--context", "c.json"]),
    ("`YAML.load` billion laughs", "<%= YAML.load(" + json.dumps(laughs()) + ", aliases: true).size %>",
     {}, []),
]


def run(bale, template, files, extra):
    with tempfile.TemporaryDirectory() as d:
        d = pathlib.Path(d)
        (d / "job/templates").mkdir(parents=True)
        (d / "job/spec").write_text(SPEC)
        (d / "job/templates/t.erb").write_text("ok\n" + template + "\n")
        for f, text in files.items():
            (d / f).write_text(text)
        start = time.monotonic()
        with open(d / "stderr", "w+") as err:
            p = subprocess.Popen([bale, "render", "--job-dir", "job", "--out", "out", *extra],
                                 cwd=d, stdout=subprocess.DEVNULL, stderr=err)
            _, code, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(code)
            took = time.monotonic() - start
            err.seek(0)
            first = (err.read().strip().splitlines() or [""])[0]
        wrote = (d / "out").exists()
    return p.returncode, first, took, usage.ru_maxrss / 1024, wrote


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bale", required=True)
    ap.add_argument("--table")
    a = ap.parse_args()
    bale = os.path.abspath(a.bale)
    rows = ["| input | exit | first line of the error | wall s | peak RSS MiB | output written |",
            "| --- | ---: | --- | ---: | ---: | --- |"]
    for name, template, files, extra in CASES:
        status, line, took, rss, wrote = run(bale, template, files, extra)
        line = line.replace("|", "\\|")
        if len(line) > 110:
            line = line[:107] + "..."
        rows.append(f"| {name} | {status} | `{line}` | {took:.2f} | {rss:.0f} | "
                    f"{'yes' if wrote else 'no'} |")
        print(rows[-1], file=sys.stderr)
    text = "\n".join(rows) + "\n"
    print(text)
    if a.table:
        pathlib.Path(a.table).write_text(text)


if __name__ == "__main__":
    main()
