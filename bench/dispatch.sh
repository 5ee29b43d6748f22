#!/usr/bin/env bash
# Dispatcher throughput and latency, broker, services and receivers in one JVM (issue 4's scenarios):
#   bash bench/dispatch.sh [a|b|c|d|e|all]      (default all = a, b, c, d; about 6 minutes)
#   a  20 fast endpoints, fan-out 20, maximum throughput        c  as a, 2 of the 20 endpoints hang (1 s timeout)
#   b  1,000 events/s paced, each to one of 10 fast endpoints   d  as c, with the naive baseline dispatcher
#   e  a mix of fast, slow, 500, reset and hanging endpoints (not part of all)
# Several at once: bash bench/dispatch.sh a,c. Prints one table per scenario (deliveries/s, p50/p95/p99 from the
# 202 of POST /v1/events to the endpoint receiving the POST, by endpoint class) and the checks; the whole log is
# kept in standalone/target/dispatch-bench.log. A failed check (a delivery missing, a duplicate beyond
# -Dbench.allowedDuplicates, more deliveries than posted) prints "dispatch CHECK FAILED: ..." and exits with status 1.
# Settings: BENCH_WARMUP / BENCH_WINDOW seconds (10 / 30; the first scenario of a run warms up BENCH_JVM_WARMUP,
# 30 s, longer: the JIT of the whole stack); BENCH_BACKLOG, the most deliveries the senders keep
# posted but not yet received (5000: at saturation, latency is about backlog / throughput); BENCH_RATE, events/s to
# pace a, c, d and e at instead of going flat out (their latency below saturation); BENCH_JAVA_OPTS, more JVM options
# (e.g. -XX:StartFlightRecording=filename=/tmp/dispatch.jfr).
# Builds and runs under /tmp/campanello-mvn.lock, so it never shares the CPU with another build.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/campanello-mvn.lock
flock "$lock" ./mvnw -B -ntp -q -Dspotless.check.skip=true -pl standalone -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd standalone
flock "$lock" java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=../.mvn/logback-test.xml \
  -Dbench.warmup="${BENCH_WARMUP:-10}" -Dbench.jvmWarmup="${BENCH_JVM_WARMUP:-30}" \
  -Dbench.window="${BENCH_WINDOW:-30}" \
  -Dbench.backlog="${BENCH_BACKLOG:-5000}" -Dbench.rate="${BENCH_RATE:-0}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.campanello.standalone.DispatchBenchmark "${1:-all}" 2>&1 \
  | tee target/dispatch-bench.log | grep --line-buffered -E "^(\||dispatch )"
