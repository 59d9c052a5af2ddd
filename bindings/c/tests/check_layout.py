#!/usr/bin/env python3
"""Code layout check run by CTest: libsamsa was laid out with src/Samsa.Native/libsamsa.order (IlcOrderFile), and
that file still names the library's methods.

    check_layout.py ORDER_FILE LIBRARY_DEBUG_FILE

Fails when fewer than 90 % of the ordered methods exist in the library (the file is stale: regenerate it with
bench/layout/run.sh), or when the ordered methods are not packed together (the order was not applied: they should
span little more than their own size).
"""
import sys
from pathlib import Path

# The symbol reading is bench/layout/order.py's, which wrote the file.
sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench" / "layout"))
from order import methods  # noqa: E402


def main(order_file: str, debug_file: str) -> int:
    with open(order_file) as f:
        ordered = [line.strip() for line in f if line.strip()]
    where = {name: (address, size) for address, size, name in methods(debug_file)}
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
