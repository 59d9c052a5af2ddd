#!/usr/bin/env bash
# The end-to-end benchmark, one command from a clean checkout: builds what it needs (the .NET harness and the
# test cluster host, libsamsa.so with NativeAOT, the C client twice), runs every client against the test cluster
# (tests/Samsa.Bench.E2E), writes the results into BENCHMARKS.md and the chart BENCHMARKS.png.
#
#   bench/run.sh [--n 1000000] [--size 100] [--runs 3] [--partitions 256]
#                [--clients samsa-managed,confluent,libsamsa,librdkafka] [--no-build] [--no-write]
#
# --no-write prints the results without touching BENCHMARKS.md and the chart (for trial runs).
# Not part of ./test.sh. Run it on a quiet machine: it prints the load average with the results.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
rdk=${LIBRDKAFKA_REDIST:-$HOME/.nuget/packages/librdkafka.redist/2.16.0}
out=bench/c/build
build=1 write=1
args=()
for a in "$@"; do
    case "$a" in
        --no-build) build=0 ;;
        --no-write) write=0 ;;
        *) args+=("$a") ;;
    esac
done

if [ "$build" = 1 ]; then
    echo "==> building the harness and the test cluster host (dotnet build)"
    dotnet build tests/Samsa.Bench.E2E -c Release -nologo -v quiet
    echo "==> publishing libsamsa.so (NativeAOT)"
    dotnet publish src/Samsa.Native -c Release -r linux-x64 -o artifacts/native -nologo -v quiet
    echo "==> compiling the C client for libsamsa and for librdkafka"
    mkdir -p "$out"
    cflags=(-O2 -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L)
    # The consumer half of libsamsa's C API may not be there yet: then its consume phase reports "not available".
    # (the declaration, "... *samsa_consumer_new(", not the mentions of it in comments).
    if grep -Eq '\*[[:space:]]*samsa_consumer_new[[:space:]]*\(' include/samsa.h; then cflags+=(-DBENCH_SAMSA_CONSUMER); fi
    cc "${cflags[@]}" -Iinclude bench/c/bench.c bench/c/client_samsa.c \
        -L artifacts/native -lsamsa -Wl,-rpath,"$root/artifacts/native" -o "$out/bench-samsa"
    # centos8-librdkafka.so (the default librdkafka.so needs the absent libsasl2.so.3), under its SONAME.
    ln -sf "$rdk/runtimes/linux-x64/native/centos8-librdkafka.so" "$out/librdkafka.so.1"
    cc "${cflags[@]}" -isystem "$rdk/build/native/include" bench/c/bench.c bench/c/client_rdkafka.c \
        "$out/librdkafka.so.1" -Wl,-rpath,'$ORIGIN' -o "$out/bench-rdkafka"
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src tests bench 2>/dev/null)" ]; then commit="$commit+changes"; fi
echo "==> uptime: $(uptime)"
report=()
if [ "$write" = 1 ]; then report=(--benchmarks-md BENCHMARKS.md --csv bench/results.csv); fi
dotnet tests/Samsa.Bench.E2E/bin/Release/net10.0/Samsa.Bench.E2E.dll --c-dir "$out" --commit "$commit" "${report[@]}" "${args[@]}"
echo "==> uptime: $(uptime)"

if [ "$write" = 1 ]; then
    if /usr/bin/python3 -c 'import matplotlib' 2>/dev/null; then
        /usr/bin/python3 bench/chart.py bench/results.csv BENCHMARKS.png
    else
        echo "no chart: python3-matplotlib is missing (apt-get install -y python3-matplotlib)" >&2
    fi
fi
