#!/usr/bin/env python3
"""Code layout check run by CTest: libsamsa was laid out with src/Samsa.Native/libsamsa.order (IlcOrderFile), and
that file still names the library's methods.

    check_layout.py ORDER_FILE LIBRARY_DEBUG_FILE

Fails when fewer than 90 % of the ordered methods exist in the library (the file is stale: regenerate it with
bench/layout/run.sh), or when the ordered methods are not packed together (the order was not applied: they should
span little more than their own size).
"""
import subprocess
import sys


def managed_code(debug_file: str) -> tuple:
    """Address range of the compiled methods (the __managedcode section), the part the order file lays out."""
    out = subprocess.run(["readelf", "-SW", debug_file], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        parts = line.replace("[ ", "[").split()
        if len(parts) > 5 and parts[1] == "__managedcode":
            return int(parts[3], 16), int(parts[3], 16) + int(parts[5], 16)
    raise SystemExit(f"FAIL: {debug_file} has no __managedcode section")


def main(order_file: str, debug_file: str) -> int:
    with open(order_file) as f:
        ordered = [line.strip() for line in f if line.strip()]
    start, end = managed_code(debug_file)
    out = subprocess.run(["nm", "-S", "--defined-only", debug_file], capture_output=True, text=True, check=True).stdout
    where = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in "tT" and start <= int(parts[0], 16) < end:
            where[parts[3]] = (int(parts[0], 16), int(parts[1], 16))
    found = [where[name] for name in ordered if name in where]
    share = len(found) / max(len(ordered), 1)
    print(f"{len(found)} of {len(ordered)} ordered methods are in the library ({share:.1%})")
    if share < 0.90:
        print("FAIL: libsamsa.order is stale; regenerate it with bench/layout/run.sh")
        return 1
    size = sum(s for _, s in found)
    span = max(a + s for a, s in found) - min(a for a, _ in found)
    print(f"they hold {size / 1e6:.2f} MB of code and span {span / 1e6:.2f} MB of the library")
    if span > 1.25 * size:
        print("FAIL: the ordered methods are scattered: the order file was not applied (IlcOrderFile)")
        return 1
    print("ok: the ordered methods are packed together")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
