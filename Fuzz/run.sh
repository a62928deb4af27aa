#!/bin/sh
# Builds the decoder fuzzer, seeds it with every sample of devices/, and fuzzes for
# FUZZ_SECONDS (default 60). Exits non-zero, with the input that broke a decoder kept in
# .build-fuzz/ (crash-*, leak-*, timeout-*, oom-*), if any input crashes, hangs (2 s), leaks
# or grows memory past 1 GiB (or asks for 128 MiB at once).
set -eu
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
Fuzz/build.sh 2>&1 | grep -v 'Cannot export local symbol' || true
test -x .build-fuzz/decoder-fuzzer
python3 Fuzz/seeds.py devices .build-fuzz/seeds
mkdir -p .build-fuzz/corpus
echo "fuzzing every decoder for $seconds s (log: .build-fuzz/fuzz.log)"
if .build-fuzz/decoder-fuzzer -max_total_time="$seconds" -timeout=2 -rss_limit_mb=1024 -malloc_limit_mb=128 \
     -max_len=70000 -print_final_stats=1 -artifact_prefix=.build-fuzz/ \
     .build-fuzz/corpus .build-fuzz/seeds > .build-fuzz/fuzz.log 2>&1; then
    grep -E '^Done|stat::number_of_executed_units|stat::peak_rss_mb' .build-fuzz/fuzz.log || true
    echo "fuzzing passed"
else
    tail -40 .build-fuzz/fuzz.log
    echo "fuzzing FAILED: the input is in .build-fuzz/ (see Fuzz/README.md to make it a golden sample)" >&2
    exit 1
fi
