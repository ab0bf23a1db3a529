#!/usr/bin/env python3
"""How much machine code one job of the template bench runs through: the distinct 64-byte
lines of instructions each job of a cold round executes, by area of the code, how many of
them the job before also ran, and the union over the round. A job whose lines outnumber
the processor's first-level instruction cache fetches its code again from the next level
every time, and a round whose union crowds the second level evicts it from there: the cost
a round of many different jobs pays and a set of a few jobs repeated does not.

    benches/templates/codelines.py BENCH_BINARY LIST

BENCH_BINARY is the `templates` bench built with its symbols (see callgrind.sh); LIST its
list of (job dir, context) pairs. Needs valgrind. Prints one summary line and the lines a
job runs in each area, averaged over the round's jobs.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile

FN = re.compile(r"c?fn=\((\d+)\)(?: (.*))?")
AREA = re.compile(r"<?([a-z_0-9]+)::([a-z_0-9]+)")


def lines_by_function(path):
    """The 64-byte instruction lines run in one callgrind dump (`--dump-instr=yes`), by
    function name."""
    names, fn, addr, after_call = {}, None, 0, False
    out = collections.defaultdict(set)
    with open(path) as f:
        for raw in f:
            if raw.startswith(("fn=", "cfn=")):
                m = FN.match(raw.rstrip("\n"))
                if m.group(2):
                    names[m.group(1)] = m.group(2)
                if raw[0] == "f":
                    fn = names.get(m.group(1))
                continue
            if raw.startswith("calls="):
                after_call = True
                continue
            c = raw[:1]
            if not (c.isdigit() or c in "+-*"):
                continue
            a = raw.split(None, 1)[0]
            if a.startswith("0x"):
                addr = int(a, 16)
            elif c == "+":
                addr += int(a[1:])
            elif c == "-":
                addr -= int(a[1:])
            if after_call:
                # the cost line of a call: its address is the call's, already counted
                after_call = False
                continue
            out[fn].add(addr >> 6)
    return out


def area(name):
    m = AREA.match(name or "")
    if not m:
        return "libc and other"
    if m.group(1) in ("core", "alloc", "std", "hashbrown", "indexmap"):
        return "Rust std, collections"
    return f"{m.group(1)}::{m.group(2)}"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, listing = sys.argv[1], sys.argv[2]
    with open(listing) as f:
        jobs = sum(1 for line in f if line.strip())
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg")
        # a dump before every job's reading: dump k + 1 is the cold round's job k
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--dump-instr=yes",
             "--dump-before=bale::template::job::Job::from_dir",
             f"--callgrind-out-file={out}", binary, listing, "1"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        per_area = collections.Counter()
        total = shared = 0
        before, union = set(), set()
        for k in range(2, jobs + 2):
            lines = set()
            for fn, ls in lines_by_function(f"{out}.{k}").items():
                per_area[area(fn)] += len(ls)
                lines |= ls
            total += len(lines)
            shared += len(lines & before)
            before = lines
            union |= lines
    print(f"{jobs} jobs: {total / jobs:.0f} code lines a job ({total / jobs / 16:.0f} KiB), "
          f"{shared / total:.0%} of them also run by the job before; "
          f"{len(union)} lines ({len(union) / 16:.0f} KiB) over the round")
    for name, n in per_area.most_common(20):
        print(f"{n / jobs:8.0f}  {name}")


if __name__ == "__main__":
    main()
