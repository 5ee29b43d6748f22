#!/usr/bin/env bash
# Delivery history at scale: loads N attempts (N / 2 deliveries of 2 attempts, 1,000 subscriptions) into the
# history on an in-process broker, waits until it has read them, then measures query latency over HTTP (p50/p99 of
# 2,000 queries each: by delivery id, by event id, a subscription's newest 50) and the disk and memory it took:
#   bash bench/history.sh [N]          (default 1000000; the issue's target is 10000000)
# Builds and runs under /tmp/campanello-mvn.lock, so it never shares the CPU with another build. Prints table rows
# for BENCHMARKS.md; the whole log is in history-service/target/history-bench.log.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/campanello-mvn.lock
flock "$lock" ./mvnw -B -ntp -q -Dspotless.check.skip=true -pl history-service -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd history-service
flock "$lock" java -Xmx2g ${BENCH_JAVA_OPTS:-} -Dlogback.configurationFile=../.mvn/logback-test.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.campanello.history.bench.HistoryBenchmark "${1:-1000000}" 2>&1 \
  | tee target/history-bench.log | grep --line-buffered -E "^\|"
