#!/usr/bin/env bash
# Records/s one ingest instance reads from a source topic into webhooks.events, per format: today's JSON path
# (campanello-json), avro (Confluent wire format, registry stand-in), debezium-outbox and debezium-change:
#   bash bench/source-formats.sh          (about 2 minutes with the defaults)
# Settings: BENCH_RECORDS (50000 per round), BENCH_ROUNDS (3; the formats take turns), BENCH_FORMATS. Exits 1
# when a round does not accept every record in time (bench.round-timeout-seconds, 180). Broker, ingest and the
# registry stand-in share one JVM. Builds and runs under /tmp/campanello-mvn.lock.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=/tmp/campanello-mvn.lock
flock "$lock" ./mvnw -B -ntp -q -Dspotless.check.skip=true -pl ingest-service -am test-compile \
  dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
cd ingest-service
flock "$lock" java -Xmx1g \
  -Dbench.records="${BENCH_RECORDS:-50000}" -Dbench.rounds="${BENCH_ROUNDS:-3}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  -Dbench.formats="${BENCH_FORMATS:-campanello-json,avro,debezium-outbox,debezium-change}" \
  io.campanello.ingest.SourceThroughputBenchmark
