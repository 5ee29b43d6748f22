#!/usr/bin/env bash
# Retry lateness (p99 target: 1 s) and replay throughput, broker and services in one JVM:
#   bash bench/retry.sh [deliveries]
# Exits with status 1, printing "retry CHECK FAILED: ...", when a delivery is not handed back, not delivered or
# delivered twice, or the replay does not send and deliver every dead letter once.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q install -DskipTests
./mvnw -B -ntp -q -pl standalone test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd standalone
java -Xmx2g -Dlogback.configurationFile=../.mvn/logback-test.xml \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.campanello.standalone.RetryBenchmark "${1:-2000}" 2>&1 | grep -E "^(retry|replay)"
