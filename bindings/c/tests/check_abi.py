#!/usr/bin/env python3
"""ABI checks run by CTest: samsa.h compiles as C99 and C++17 with -Wall -Wextra -Werror -pedantic, and the
functions it declares are exactly the symbols libsamsa.so exports (nm -D --defined-only).

    check_abi.py HEADER_DIR LIBRARY [CC] [CXX]
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# Exports of the NativeAOT runtime itself, not part of the C API.
RUNTIME_SYMBOLS = {"DotNetRuntimeDebugHeader"}


def compile_header(compiler: str, std: str, suffix: str, include: str) -> bool:
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / ("use" + suffix)
        src.write_text('#include "samsa.h"\nint main(void) { samsa_conf_t *c = samsa_conf_new(); samsa_conf_destroy(c); return SAMSA_OK; }\n')
        cmd = [compiler, "-std=" + std, "-Wall", "-Wextra", "-Werror", "-pedantic", "-I", include, "-c", str(src), "-o", str(Path(d) / "use.o")]
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"FAIL: samsa.h does not compile as {std}:\n{result.stderr}")
            return False
        print(f"ok: samsa.h compiles as {std} ({compiler})")
        return True


def declared_functions(header: Path) -> set:
    text = header.read_text()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)  # drop comments
    text = re.sub(r"typedef[^;]*;", "", text)  # drop typedefs (callbacks look like declarations)
    return set(re.findall(r"\b(samsa_[a-z0-9_]+)\s*\(", text))


def exported_symbols(library: str) -> set:
    out = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in ("T", "D", "B", "W", "R"):
            names.add(parts[2].split("@")[0])
    return names


def main() -> int:
    include, library = sys.argv[1], sys.argv[2]
    cc = sys.argv[3] if len(sys.argv) > 3 else "cc"
    cxx = sys.argv[4] if len(sys.argv) > 4 else "c++"
    ok = compile_header(cc, "c99", ".c", include) & compile_header(cxx, "c++17", ".cpp", include)

    declared = declared_functions(Path(include) / "samsa.h")
    exported = exported_symbols(library)
    samsa_exports = {s for s in exported if s.startswith("samsa_")}
    others = exported - samsa_exports - RUNTIME_SYMBOLS
    if declared != samsa_exports:
        print("FAIL: declared and exported functions differ")
        print("  declared, not exported:", sorted(declared - samsa_exports))
        print("  exported, not declared:", sorted(samsa_exports - declared))
        ok = False
    else:
        print(f"ok: the {len(declared)} declared functions are exactly the library's samsa_ exports")
    if others:
        print("FAIL: unexpected exported symbols:", sorted(others))
        ok = False
    print("check_abi: " + ("1 passed, 0 failed" if ok else "0 passed, 1 failed"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
