#!/usr/bin/env bash
# Measures what a newcomer meets first: how long `java -jar campanello-standalone.jar` takes to be ready (first
# start, which formats the broker's storage, and a restart on kept data), and the time from ingest's 202 to the
# receiver getting the POST, one event at a time. Needs the ports 8081-8084, 8090 and 9092-9093 free.
#   ./mvnw -DskipTests package && bash bench/quickstart.sh [events]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=standalone/target/campanello-standalone.jar
events=${1:-50}
work=$(mktemp -d)
export CAMPANELLO_API_KEY=cmp_bench_key CAMPANELLO_DATA_DIR="$work/data"
pid=
elapsed=

start() {
  local log=$1 t0 t1
  t0=$(date +%s%N)
  java -jar "$jar" >"$log" 2>&1 &
  pid=$!
  until grep -q "Campanello is ready" "$log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s%N)
  elapsed=$(( (t1 - t0) / 1000000 ))
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; }
# A kill of a process that already stopped fails; under set -e that would turn a good run into exit status 1.
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi; rm -rf "$work"' EXIT

start "$work/first.log"; first=$elapsed; stop
start "$work/second.log"; second=$elapsed
echo "java: $(java -version 2>&1 | head -1)"
echo "standalone ready (wall clock from java -jar): first start ${first} ms, restart on kept data ${second} ms"
java bench/OneEventLatency.java "$CAMPANELLO_API_KEY" "$events"
stop
