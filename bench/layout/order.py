#!/usr/bin/env python3
"""Writes libsamsa's method order file from traces of the code pages a run executed (trace.c).

    order.py OUT DEFAULT_DIR SHUFFLED_DIR WORKLOAD...

DEFAULT_DIR holds libsamsa.so.dbg built with the default layout and WORKLOAD.pages traced on it; SHUFFLED_DIR
the same for a build whose candidate methods were laid out in another order (--candidates writes that order).
A method is kept when it lies on an executed page in both layouts: one page holds several methods, and a method
that was not run only survives if it shares a page with run code twice, next to different neighbours.
Workloads come first to last in the file (the first one's methods are packed together at the front).

    order.py --candidates OUT DEFAULT_DIR WORKLOAD...

writes every method on an executed page of the default layout, sorted by name (the second layout).
"""
import subprocess
import sys


def managed_code(dbg):
    """Start and end address of the __managedcode section: the compiled methods, which the order file can move (the
    runtime's own C++ code in .text cannot be)."""
    out = subprocess.run(['readelf', '-SW', dbg], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.replace('[ ', '[').split()
        if len(parts) > 5 and parts[1] == '__managedcode':
            return int(parts[3], 16), int(parts[3], 16) + int(parts[5], 16)
    raise SystemExit(f'{dbg}: no __managedcode section')


def methods(dbg):
    """(address, size, name) of every compiled method, from the separate debug file (the library is stripped)."""
    start, end = managed_code(dbg)
    out = subprocess.run(['nm', '-S', '-n', '--defined-only', dbg], capture_output=True, text=True, check=True).stdout
    result = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in 'tT' and start <= int(parts[0], 16) < end:
            result.append((int(parts[0], 16), int(parts[1], 16), parts[3]))
    return result


def on_pages(symbols, pages_file):
    """Names of the methods with at least one byte on an executed page (page file offsets = addresses here)."""
    with open(pages_file) as f:
        pages = {int(line, 16) for line in f if line.strip()}
    names = []
    for address, size, name in symbols:
        first, last = address & ~4095, (address + max(size, 1) - 1) & ~4095
        if any(p in pages for p in range(first, last + 1, 4096)):
            names.append(name)
    return names


def write(path, names):
    with open(path, 'w') as f:
        f.write('\n'.join(names) + '\n')


def main(argv):
    if argv[0] == '--candidates':
        out, default_dir, workloads = argv[1], argv[2], argv[3:]
        symbols = methods(f'{default_dir}/libsamsa.so.dbg')
        names = set()
        for w in workloads:
            names.update(on_pages(symbols, f'{default_dir}/{w}.pages'))
        write(out, sorted(names))
        return
    out, default_dir, shuffled_dir, workloads = argv[0], argv[1], argv[2], argv[3:]
    first, second = methods(f'{default_dir}/libsamsa.so.dbg'), methods(f'{shuffled_dir}/libsamsa.so.dbg')
    size = {name: s for _, s, name in first}
    order, seen = [], set()
    for w in workloads:
        again = set(on_pages(second, f'{shuffled_dir}/{w}.pages'))
        keep = [n for n in on_pages(first, f'{default_dir}/{w}.pages') if n in again and n not in seen]
        seen.update(keep)
        order += keep
        print(f'{w}: {len(keep)} methods, {sum(size.get(n, 0) for n in keep) / 1e6:.2f} MB of code', file=sys.stderr)
    write(out, order)


if __name__ == '__main__':
    main(sys.argv[1:])
