#!/usr/bin/env bash
# Matching throughput with 100, 10,000 and 100,000 active subscriptions, and the heap they take:
#   bash bench/matching.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -pl subscription-service -am install -DskipTests
./mvnw -B -ntp -q -pl subscription-service test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd subscription-service
java -Xmx2g -XX:+UseParallelGC -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.campanello.subscription.matching.MatchingBenchmark
