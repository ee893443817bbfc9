#!/usr/bin/env python3
"""Lists import cycles between the modules of Rust crates, read from their
`crate::` paths (test modules aside). Usage: scripts/module-cycles.py
<crate>/src ...; exits 1 if any crate has a cycle."""

import os
import re
import sys


def modules(root):
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)[:-3]
            if rel.endswith("/mod"):
                rel = rel[:-4]
            if rel in ("lib", "main"):
                rel = ""
            with open(path, encoding="utf-8") as f:
                found[rel.replace("/", "::")] = f.read()
    return found


def edges_of(found):
    names = set(found)

    def resolve(path):
        parts = path.split("::")
        for k in range(len(parts), 0, -1):
            candidate = "::".join(parts[:k])
            if candidate in names:
                return candidate
        return None

    edges = {m: set() for m in names}
    for module, source in found.items():
        source = re.sub(r"#\[cfg\(test\)\]\s*mod tests \{.*", "", source, flags=re.S)
        for use in re.finditer(r"crate::([a-z_]+(?:::[a-z_]+)*)(?:::\{([^}]*)\})?", source):
            base, items = use.group(1), use.group(2)
            targets = [resolve(base)]
            for item in (items or "").split(","):
                item = item.strip().split(" ")[0].split("::")[0]
                if item and item != "self":
                    targets.append(resolve(f"{base}::{item}"))
            edges[module].update(t for t in targets if t and t != module)
    return edges


def cycles(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


failed = False
for root in sys.argv[1:]:
    found = modules(root)
    found_cycles = cycles(edges_of(found))
    for cycle in found_cycles:
        print(f"{root}: import cycle: {' -> '.join(cycle)}")
    if found_cycles:
        failed = True
    else:
        print(f"{root}: no import cycles among {len(found)} modules")
sys.exit(1 if failed else 0)
