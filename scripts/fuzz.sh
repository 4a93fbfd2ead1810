#!/bin/sh
# Fuzzes one parser with afl-fuzz and SharpFuzz (docs/fuzzing.md).
#   sh scripts/fuzz.sh TARGET [SECONDS]      TARGET: see `sh scripts/fuzz.sh --list`; SECONDS default 600
#   FUZZ_MAX_EXECS=1100000 sh scripts/fuzz.sh TARGET 3600    stops at that many inputs, or the time, whichever first
# Builds fuzz/Converge.Fuzz into fuzz/out/TARGET/bin, instruments the Converge assemblies there
# (and MimeKit for the mime target) with the sharpfuzz tool, then runs afl-fuzz from the seed
# corpus fuzz/corpus/TARGET. Findings land in fuzz/out/TARGET/findings/default/{crashes,hangs};
# replay one with: dotnet fuzz/out/TARGET/bin/converge-fuzz.dll TARGET FILE
# Not part of CI: it installs afl++ itself (scripts/install-test-deps.sh does not).
set -eu
repo_root=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

targets="xml sasl address smpp gsm smtp mime dialback websocket"
target=${1:-}
seconds=${2:-600}
if [ -z "$target" ] || [ "$target" = "--list" ]; then
    echo "$targets" | tr ' ' '\n'
    exit 0
fi
case " $targets " in
    *" $target "*) ;;
    *) echo "fuzz: unknown target '$target' (one of: $targets)" >&2; exit 2 ;;
esac

if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing afl++"
    apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
fi

tools="$repo_root/fuzz/out/tools"
if [ ! -x "$tools/sharpfuzz" ]; then
    dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

out="$repo_root/fuzz/out/$target"
bin="$out/bin"
# Instrumenting is done on a fresh copy of the build: sharpfuzz must never see its own work.
dotnet build fuzz/Converge.Fuzz/Converge.Fuzz.csproj -c Release -nologo -v q
rm -rf "$bin"
mkdir -p "$out"
cp -r fuzz/Converge.Fuzz/bin/Release/net10.0 "$bin"
instrument="Converge.Core.dll Converge.Xmpp.dll Converge.Interworking.dll"
if [ "$target" = mime ]; then
    instrument="$instrument MimeKit.dll"
fi
for dll in $instrument; do
    "$tools/sharpfuzz" "$bin/$dll"
done

findings="$out/findings"
# One run per directory: the last run's findings are kept beside it until the next run.
if [ -d "$findings" ]; then
    rm -rf "$findings.previous"
    mv "$findings" "$findings.previous"
fi
mkdir -p "$findings"
dictionary=""
case "$target" in
    xml|dialback|websocket) [ -f /usr/share/afl/testcases/_extras/xml.dict ] && dictionary="-x /usr/share/afl/testcases/_extras/xml.dict" ;;
esac

# A heap limit turns unbounded memory into a crash afl-fuzz records; -t catches hangs (ms per input).
# nice: the machine is shared; run one target at a time.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export DOTNET_GCHeapHardLimit=0x20000000 DOTNET_TieredPGO=0 DOTNET_TC_QuickJitForLoops=1 DOTNET_ReadyToRun=1
executions=""
[ -n "${FUZZ_MAX_EXECS:-}" ] && executions="-E $FUZZ_MAX_EXECS"
# shellcheck disable=SC2086
nice -n 10 afl-fuzz -i "fuzz/corpus/$target" -o "$findings" -t 5000 -m none -V "$seconds" $executions $dictionary \
    -- dotnet "$bin/converge-fuzz.dll" "$target" || true

stats="$findings/default/fuzzer_stats"
if [ -f "$stats" ]; then
    grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|peak_rss_mb) ' "$stats" || \
        grep -E '^(run_time|execs_done|execs_per_sec|paths_total|unique_crashes|unique_hangs) ' "$stats"
fi
crashes=$(find "$findings/default/crashes" "$findings/default/hangs" -type f ! -name README.txt 2>/dev/null | wc -l)
echo "fuzz: $target: $crashes crash/hang inputs in $findings/default"
[ "$crashes" -eq 0 ]
