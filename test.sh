#!/usr/bin/env bash
# Runs every Samsa test: the protocol-generation check, the unit tests, the integration tests against the
# embedded test cluster, and (when their parts exist) the native C tests under CTest and the Python tests.
# Usage: ./test.sh            (everything)
#        ./test.sh --quick    (generation check and unit tests only)
set -euo pipefail
cd "$(dirname "$0")"

quick=0
[ "${1:-}" = "--quick" ] && quick=1

step() { printf '\n==> %s\n' "$*"; }

step "Protocol code is up to date with Kafka's message specifications"
dotnet run --project src/Samsa.ProtocolGenerator -c Release -- --check

step "Build (warnings are errors)"
dotnet build Samsa.sln -c Release -nologo -v quiet

step "Unit tests"
dotnet test tests/Samsa.Tests -c Release --no-build -nologo

if [ "$quick" = 1 ]; then
    exit 0
fi

step "Integration tests against the embedded test cluster"
dotnet test tests/Samsa.IntegrationTests -c Release --no-build -nologo

step "samsa command-line tool tests (in-process and as a program, against the embedded test cluster)"
dotnet test tests/Samsa.Cli.Tests -c Release --no-build -nologo

if [ -f CMakeLists.txt ]; then
    step "libsamsa: NativeAOT build, header check, C tests (CTest)"
    cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build build -j 2
    (cd build && ctest --output-on-failure)
fi

if [ -d bindings/python/tests ]; then
    step "Python binding tests"
    SAMSA_LIBRARY="$PWD/artifacts/native/libsamsa.so" /usr/bin/python3 -m pytest -q bindings/python/tests
fi

step "All tests passed"
