#!/usr/bin/env bash
# Matching throughput with 100, 10,000 and 100,000 active subscriptions, and the heap they take:
#   bash bench/matching.sh [sizes...]            (default 100 10000 100000; about 2 minutes)
# Each fork (a JVM; 3 of them, one after the other) builds the index of every size, warms them up, then measures
# half-second rounds with the sizes taking turns, so that the machine's noisy moments hit every size alike. Prints
# per size the median of all rounds, the range of the forks' medians, and the drop from the first size: the median
# over the turns of each turn's ratio. Every size must do the same matches per event, or it stops.
# Settings: BENCH_FORKS (3), BENCH_ROUNDS (10), BENCH_WARMUP (4 rounds); BENCH_JAVA_OPTS, more JVM options for the
# forks (e.g. -XX:StartFlightRecording=filename=/tmp/matching.jfr,settings=profile with BENCH_FORKS=1 and one size:
#   BENCH_FORKS=1 BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/m.jfr bash bench/matching.sh 100000).
# Builds and runs under /tmp/campanello-mvn.lock, so it never shares the CPU with another build.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/campanello-mvn.lock
flock "$lock" ./mvnw -B -ntp -q -Dspotless.check.skip=true -pl subscription-service -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd subscription-service
flock "$lock" java -Xmx2g -XX:+UseParallelGC \
  -Dbench.forks="${BENCH_FORKS:-3}" -Dbench.rounds="${BENCH_ROUNDS:-10}" -Dbench.warmup="${BENCH_WARMUP:-4}" \
  -Dbench.childOpts="${BENCH_JAVA_OPTS:-}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.campanello.subscription.matching.MatchingBenchmark "$@"
