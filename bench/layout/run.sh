#!/usr/bin/env bash
# Regenerates src/Samsa.Native/libsamsa.order, the order in which NativeAOT lays out libsamsa's methods
# (IlcOrderFile in Samsa.Native.csproj): the code that produce and consume runs first and packed together, so that
# a process maps fewer pages of code (BENCHMARKS.md, libsamsa consumer RSS).
#
#   bench/layout/run.sh [--n 1000000]
#
# 1. publishes libsamsa with the default layout and runs four workloads on it with trace.c preloaded, which records
#    every code page executed: the C benchmark client's consume and produce phases against a standalone test
#    cluster (samsa mock), the group consumer example for 12 s, and a consumer whose broker is unreachable;
# 2. publishes it again with those pages' methods in another order and traces the same runs;
# 3. keeps the methods found on executed pages in both layouts (order.py), in that order of workloads.
# Run it after changes that move a lot of code; methods missing from the file are laid out after the listed ones.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
n=1000000
while [ $# -gt 0 ]; do
    case "$1" in
        --n) n=$2; shift 2 ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
done
work=bench/layout/build
rm -rf "$work" && mkdir -p "$work"
cc -O2 -Wall -Wextra -Werror -shared -fPIC bench/layout/trace.c -o "$work/trace.so" -ldl

echo "==> test cluster"
dotnet build src/Samsa.Cli -c Release -nologo -v quiet
dotnet src/Samsa.Cli/bin/Release/net10.0/samsa.dll mock --brokers 3 --topic layout-1:256 --topic layout-2:256 \
    > "$work/brokers.txt" 2> "$work/mock.log" &
mock=$!
trap 'kill $mock 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/brokers.txt" ] && break; sleep 0.2; done
bootstrap=$(head -1 "$work/brokers.txt")

publish() { # publish DIR ORDER_FILE ("" for the default layout)
    dotnet publish src/Samsa.Native -c Release -r linux-x64 -o "$1" -nologo -v quiet -p:IlcOrderFile="$2"
}
traced() { # traced DIR WORKLOAD COMMAND...: runs the command on DIR's library, its executed pages in DIR/WORKLOAD.pages
    local dir=$1 workload=$2
    shift 2
    LD_LIBRARY_PATH="$root/$dir" LD_PRELOAD="$root/$work/trace.so" TRACE_OUT="$root/$dir/$workload.pages" "$@"
}
trace() { # trace DIR TOPIC: the four workloads
    for phase in produce consume; do
        traced "$1" "$phase" "$work/bench-samsa" --phase "$phase" --bootstrap "$bootstrap" --topic "$2" --n "$n" 2>&1 \
            | grep -E "RESULT|trace:"
    done
    traced "$1" group timeout -s INT 12 "$work/group_consumer" "$bootstrap" "layout-$2" "$2" 2>&1 >/dev/null | grep "trace:" || true
    traced "$1" unreachable "$work/unreachable" 2>&1 | grep "trace:"
}

echo "==> default layout"
publish "$work/default" ""
cc -O2 -std=c11 -D_POSIX_C_SOURCE=200809L -DBENCH_SAMSA_CONSUMER -Iinclude bench/c/bench.c bench/c/client_samsa.c \
    -L "$work/default" -lsamsa -o "$work/bench-samsa"
cc -O2 -std=c99 -Iinclude bindings/c/examples/group_consumer.c -L "$work/default" -lsamsa -o "$work/group_consumer"
cc -O2 -std=c99 -Iinclude bench/layout/unreachable.c -L "$work/default" -lsamsa -o "$work/unreachable"
trace "$work/default" layout-1
workloads=(consume produce group unreachable)
python3 bench/layout/order.py --candidates "$work/candidates.txt" "$work/default" "${workloads[@]}"

echo "==> the same methods in another order"
publish "$work/shuffled" "$root/$work/candidates.txt"
trace "$work/shuffled" layout-2

python3 bench/layout/order.py src/Samsa.Native/libsamsa.order "$work/default" "$work/shuffled" "${workloads[@]}"
echo "==> wrote src/Samsa.Native/libsamsa.order ($(wc -l < src/Samsa.Native/libsamsa.order) methods)"
