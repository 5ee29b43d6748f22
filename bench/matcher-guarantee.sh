#!/usr/bin/env bash
# What exactly-once matching costs against at-least-once, on three brokers (separate JVMs) with one subscription-service
# JVM at a time (at-least-once, exactly-once with the default 1 s commit interval, exactly-once with 100 ms, then
# at-least-once again to show the machine's drift):
#   bash bench/matcher-guarantee.sh            (about 3 minutes; takes /tmp/campanello-mvn.lock itself)
# Prints per setting the latency of single events (send → task readable with read_committed, as the dispatcher reads)
# and the throughput of a burst. Settings: BENCH_LATENCY_EVENTS (50), BENCH_BURST_EVENTS (5000).
set -euo pipefail
cd "$(dirname "$0")/.."
flock /tmp/campanello-mvn.lock ./mvnw -B -ntp -Dspotless.check.skip=true -pl cluster-harness -am verify \
  -Dit.test=MatcherGuaranteeBench -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dbench.latency-events="${BENCH_LATENCY_EVENTS:-50}" -Dbench.burst-events="${BENCH_BURST_EVENTS:-5000}" \
  | grep -E '^\| |BUILD|ERROR'
