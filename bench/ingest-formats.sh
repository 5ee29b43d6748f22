#!/usr/bin/env bash
# Records/s one ingest instance reads from a source topic and writes to webhooks.events, per source format (issue 13):
#   bash bench/ingest-formats.sh [formats]   (default campanello-json,debezium-outbox,debezium-change,campanello-json)
# One in-process KRaft broker; for each format a backlog of BENCH_RECORDS (200,000) records on a fresh topic of 3
# partitions, then ingest (source-concurrency 2) starts with that source alone and is timed from the tenth of the
# backlog to the last record. The first format also warms the JVM: campanello-json runs first and again last.
# Builds and runs under /tmp/campanello-mvn.lock, so it never shares the CPU with another build.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/campanello-mvn.lock
flock "$lock" ./mvnw -B -ntp -q -Dspotless.check.skip=true -pl ingest-service -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd ingest-service
flock "$lock" java -Xmx1g -Dlogback.configurationFile=../.mvn/logback-test.xml \
  -Dbench.records="${BENCH_RECORDS:-200000}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.campanello.ingest.SourceFormatsBenchmark "${1:-campanello-json,debezium-outbox,debezium-change,campanello-json}" \
  2>&1 | tee target/ingest-formats-bench.log | grep --line-buffered -E "^\|"
