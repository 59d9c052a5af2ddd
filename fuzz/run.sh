#!/usr/bin/env bash
# AFL fuzzing of the response decoders, the record-batch reader and the codecs (tests/Samsa.Fuzz, SharpFuzz).
# Not part of test.sh or CI: AFL needs long runs. Samsa.Tests replays what this leaves in tests/Samsa.Fuzz/findings.
#
#   fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default: 300 seconds, every target (responses records codecs)
#
# On a fresh Debian machine it installs afl++ (apt) and SharpFuzz.CommandLine (dotnet tool, into fuzz/.tools),
# builds tests/Samsa.Fuzz (Release), instruments Samsa.Managed.dll and the codec libraries in a copy of the
# output, seeds every target from the golden captures plus the committed corpus and findings, runs one afl-fuzz
# instance per target in turn (niced), then copies crashing and hanging inputs to tests/Samsa.Fuzz/findings/TARGET/.
# Exit status 1 when it found something. Work files: fuzz/work/ (AFL's queue, logs; not committed); a later run
# starts from the previous run's queue as well.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER_TARGET="${1:-300}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(responses records codecs)
SHARPFUZZ_VERSION=2.3.0
TOOLS="$ROOT/fuzz/.tools"
WORK="$ROOT/fuzz/work"
BUILD="$ROOT/tests/Samsa.Fuzz/bin/Release/net10.0"
BIN="$WORK/bin"
FINDINGS="$ROOT/tests/Samsa.Fuzz/findings"
CORPUS="$ROOT/tests/Samsa.Fuzz/corpus"
# Libraries whose code the targets run: Samsa's own, and the decompressors behind the codecs.
INSTRUMENT=(Samsa.Managed.dll Snappier.dll K4os.Compression.LZ4.dll ZstdSharp.dll)

if ! command -v afl-fuzz >/dev/null; then
    echo "== installing afl++"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq afl++
fi
if [ ! -x "$TOOLS/sharpfuzz" ]; then
    echo "== installing SharpFuzz.CommandLine $SHARPFUZZ_VERSION into $TOOLS"
    (cd /tmp && dotnet tool install SharpFuzz.CommandLine --version "$SHARPFUZZ_VERSION" --tool-path "$TOOLS")
fi

echo "== building tests/Samsa.Fuzz"
dotnet build "$ROOT/tests/Samsa.Fuzz/Samsa.Fuzz.csproj" -c Release --nologo -v quiet

echo "== instrumenting a copy of the output in $BIN"
rm -rf "$BIN"
mkdir -p "$WORK"
cp -r "$BUILD" "$BIN"
for dll in "${INSTRUMENT[@]}"; do
    "$TOOLS/sharpfuzz" "$BIN/$dll"
done

# AFL's checks that do not fit a .NET target: the dotnet host is not instrumented (SharpFuzz reports coverage
# from the managed code), the machine is shared (no CPU binding, no frequency governor), and the UI is a log.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1

found=0
for target in "${TARGETS[@]}"; do
    seeds="$WORK/seeds/$target"
    out="$WORK/out/$target"
    rm -rf "$seeds"
    mkdir -p "$seeds"
    # A later run goes on from the queue of the last one (AFL drops what adds no coverage when it calibrates).
    if [ -d "$out/default/queue" ]; then
        find "$out/default/queue" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$seeds/" \;
    fi
    rm -rf "$out"
    # Seeds come from the uninstrumented build: instrumented code must only run under afl-fuzz.
    dotnet "$BUILD/Samsa.Fuzz.dll" seed "$ROOT/tests/Samsa.Tests/Golden/Data" "$WORK/seeds.all" >/dev/null
    cp "$WORK/seeds.all/$target/"* "$seeds/" 2>/dev/null || true
    for extra in "$CORPUS/$target" "$FINDINGS/$target"; do
        if [ -d "$extra" ]; then find "$extra" -type f ! -name 'README*' -exec cp {} "$seeds/" \;; fi
    done
    rm -rf "$WORK/seeds.all"

    echo "== fuzzing $target for ${SECONDS_PER_TARGET}s from $(ls "$seeds" | wc -l) seeds (log: $out.log)"
    mkdir -p "$(dirname "$out")"
    # -t: .NET's first executions JIT; a real hang is far longer. -m none: the CLR reserves a lot of address space.
    nice -n 10 afl-fuzz -i "$seeds" -o "$out" -t 5000 -m none -V "$SECONDS_PER_TARGET" \
        -- dotnet "$BIN/Samsa.Fuzz.dll" fuzz "$target" >"$out.log" 2>&1 || {
        echo "afl-fuzz failed for $target; the end of its log:"; tail -30 "$out.log"; exit 2; }

    stats="$out/default/fuzzer_stats"
    awk -F' *: *' -v t="$target" '
        $1 ~ /^(run_time|execs_done|execs_per_sec|corpus_count|corpus_found|edges_found|saved_crashes|saved_hangs|stability)$/ { s = s sprintf(" %s=%s", $1, $2) }
        END { print "   " t ":" s }' "$stats"

    for kind in crashes hangs; do
        for input in "$out/default/$kind"/id:*; do
            [ -e "$input" ] || continue
            mkdir -p "$FINDINGS/$target"
            prefix=crash; [ "$kind" = hangs ] && prefix=hang
            name="$prefix-$(sha256sum "$input" | cut -c1-12)"
            cp "$input" "$FINDINGS/$target/$name"
            echo "   FOUND $kind: tests/Samsa.Fuzz/findings/$target/$name"
            found=1
        done
    done
done

if [ "$found" -eq 1 ]; then
    echo "== replaying the findings without AFL (stack traces):"
    for target in "${TARGETS[@]}"; do
        [ -d "$FINDINGS/$target" ] && dotnet "$BUILD/Samsa.Fuzz.dll" replay "$target" "$FINDINGS/$target" || true
    done
    exit 1
fi
echo "== no crash and no hang"
