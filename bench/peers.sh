#!/usr/bin/env bash
# Campanello and its peers side by side, on one machine in one run: the same receiver (reactor-netty, 200 at once, its
# own JVM), the same ~500 B JSON event, the same KRaft broker (Apache Kafka's, inside the standalone's JVM):
#   raw      a reactor-netty client posting straight to the receiver (the HTTP ceiling)
#   naive    a spring-kafka @KafkaListener, concurrency = partitions, one blocking POST per record
#   connect  Kafka Connect 4.2.1 standalone with io.github.clescot's HTTP sink 0.8.84, tasks.max = partitions
#   source   Campanello (standalone jar): records on a source topic, one subscription
#   fanout   Campanello (standalone jar): POST /v1/events, 20 subscriptions on the type
# For each: deliveries/s flat out, CPU seconds per 1,000 deliveries (from /proc/<pid>/stat; the path's processes,
# the receiver and the producer apart), p50/p99 from the producer's send to the receiver, flat out and paced at half
# the flat-out rate; every delivery counted by id (missing or duplicated ones fail the run: exit code 1).
#   bash bench/peers.sh                                   full size (about 15 minutes, most of it warming Campanello up)
#   BENCH_RECORDS=5000 BENCH_WARMUP=2000 BENCH_WARMUP_ROUNDS=2 BENCH_RECEIVER_WARMUP=5000 BENCH_PACED_SECONDS=5 bash bench/peers.sh
#                                                         smoke (under 2 minutes, plus the build)
# Settings: BENCH_RECORDS (deliveries per path flat out, 50000), BENCH_WARMUP (deliveries per warm-up round, 10000),
# BENCH_WARMUP_ROUNDS (at most, 30: rounds stop once the JIT compiler threads took under 5 % of the path's CPU),
# BENCH_RECEIVER_WARMUP
# (requests that warm the receiver up before the first path, 20000), BENCH_PACED_SECONDS (20),
# BENCH_PATHS (raw,naive,connect,source,fanout), BENCH_PARTITIONS (6), BENCH_FANOUT (20), BENCH_HTTP_CONCURRENCY
# (requests in flight of the raw client and of the posters to /v1/events, 64), BENCH_CONNECT_POOL (the sink's
# thread pool and OkHttp dispatcher limits, 64), BENCH_STALL (seconds without progress before a phase gives up,
# 30), BENCH_PHASE_LIMIT (seconds a phase may take at most, 600), BENCH_SKIP_BUILD=1 (use what is built),
# BENCH_STANDALONE_OPTS (extra JVM options for the standalone, e.g. -XX:StartFlightRecording=... to profile it),
# BENCH_SOURCE_FANOUT=n (n subscriptions on the source path's type: n deliveries per record),
# BENCH_SOURCE_ENDPOINTS=n (the source path's records split over n event types, one subscription on each:
# one delivery per record, as with one subscription), BENCH_HOPS=1 (in each paced phase, also when its records could
# be read on each Kafka topic of the path, from the producer's send: where the time goes; costs CPU of its own).
# Needs the standalone's ports (8080-8085, 8090, 9092-9093) and 18083 (Connect's REST) free; Linux (/proc).
# Builds (the standalone jar, and bench/peers/, a Maven project outside the main reactor) and measures under
# /tmp/campanello-mvn.lock, so it never shares the CPU with a build. Logs of every process: the printed work folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
lock=/tmp/campanello-mvn.lock
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  flock "$lock" ./mvnw -B -ntp -q -DskipTests -Dspotless.check.skip=true -pl standalone -am package
  flock "$lock" ./mvnw -B -ntp -q -f bench/peers/pom.xml package
fi
work=${BENCH_WORK:-$(mktemp -d /tmp/campanello-peers.XXXXXX)}
mkdir -p "$work"
trap 'rm -rf "$work/campanello"' EXIT
app=$root/bench/peers/app/target
flock "$lock" java -Xmx1g -cp "$app/peers-app-0.1.0-SNAPSHOT.jar:$app/lib/*" \
  -Dbench.paths="${BENCH_PATHS:-raw,naive,connect,source,fanout}" \
  -Dbench.records="${BENCH_RECORDS:-50000}" -Dbench.warmup="${BENCH_WARMUP:-10000}" \
  -Dbench.warmupRounds="${BENCH_WARMUP_ROUNDS:-30}" \
  -Dbench.pacedSeconds="${BENCH_PACED_SECONDS:-20}" -Dbench.partitions="${BENCH_PARTITIONS:-6}" \
  -Dbench.fanOut="${BENCH_FANOUT:-20}" -Dbench.httpConcurrency="${BENCH_HTTP_CONCURRENCY:-64}" \
  -Dbench.connectPool="${BENCH_CONNECT_POOL:-64}" -Dbench.stall="${BENCH_STALL:-30}" \
  -Dbench.receiverWarmup="${BENCH_RECEIVER_WARMUP:-20000}" -Dbench.phaseLimit="${BENCH_PHASE_LIMIT:-600}" \
  -Dbench.clkTck="$(getconf CLK_TCK)" \
  -Dbench.workerClassPath="$root/bench/peers/connect-worker/target/lib/*" \
  -Dbench.pluginPath="$root/bench/peers/connect-plugin/target/plugin" \
  -Dbench.standaloneJar="$root/standalone/target/campanello-standalone.jar" \
  -Dbench.sourceFanOut="${BENCH_SOURCE_FANOUT:-1}" -Dbench.sourceEndpoints="${BENCH_SOURCE_ENDPOINTS:-1}" \
  -Dbench.standaloneOptions="${BENCH_STANDALONE_OPTS:-}" \
  -Dbench.hops="$([ "${BENCH_HOPS:-0}" = 1 ] && echo true || echo false)" \
  -Dbench.work="$work" \
  io.campanello.bench.peers.Peers 2>"$work/producer.log" | tee "$work/peers.md"
