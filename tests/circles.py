#!/usr/bin/env python3
"""File-level call circles (HACKING.md: data and calls flow one way).

From the object files of a build: file A -> file B when A references a global symbol that B
defines.  Any strongly connected set of more than one source file is a circle and fails;
circles inside one file are fine.  Usage: circles.py BUILD_DIR"""
import os, subprocess, sys
from collections import defaultdict

def objects(build):
    for root, _, files in os.walk(build):
        for f in files:
            if f.endswith('.c.o') and '/tests/' not in root and 'test_' not in f and 'fuzz' not in root:
                p = os.path.join(root, f)
                i = p.find('/src/')
                if i >= 0 and 'CMakeFiles' in p:
                    yield p[i + 1:-2], p

def main():
    build = sys.argv[1] if len(sys.argv) > 1 else 'build'
    defs, uses = {}, defaultdict(set)
    srcs = {}
    for src, obj in objects(build):
        if src in srcs or not os.path.exists(src):
            continue  # the same source in two targets, or an object left from a removed file
        srcs[src] = obj
        out = subprocess.run(['nm', '-P', obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) < 2:
                continue
            name, kind = parts[0], parts[1]
            if kind == 'U':
                uses[src].add(name)
            elif kind in 'TDBR':
                defs[name] = src
    edges = defaultdict(set)
    for src, names in uses.items():
        for n in names:
            d = defs.get(n)
            if d and d != src:
                edges[src].add(d)
    # Tarjan
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))
    for v in sorted(srcs):
        if v not in index:
            visit(v)
    if not srcs:
        print(f"circles: no object files under '{build}'")
        return 1
    for comp in sccs:
        print("call circle: " + ", ".join(comp))
        cs = set(comp)
        for a in comp:
            for b in sorted(edges[a] & cs):
                why = sorted(n for n in uses[a] if defs.get(n) == b)[:4]
                print(f"  {a} -> {b} ({', '.join(why)})")
    print(f"circles: {len(sccs)} among {len(srcs)} files")
    return 1 if sccs else 0

sys.exit(main())
