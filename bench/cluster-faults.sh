#!/usr/bin/env bash
# Campanello as a cluster under faults, the long form of ClusterFaultsIT: three brokers (separate JVMs, replication
# factor 3, min.insync.replicas=2), two JVMs of every service, a steady load of events posted over HTTP to both ingest
# instances and delivered to a real receiver, through: kill -9 of one dispatcher, matcher, ingest and retry instance
# in turn; a rolling restart of every service; a dispatcher joining and leaving while the endpoint hangs; a broker
# killed and restarted; every broker down for BENCH_OUTAGE_SECONDS.
#   bash bench/cluster-faults.sh          (about 8 minutes; builds first; takes /tmp/campanello-mvn.lock)
# Prints per scenario: events accepted, deliveries expected and delivered, lost, duplicates (and how many events and
# delivery tasks Kafka holds twice), posts sent again, time to recover. Exits non-zero when anything accepted is lost
# (or a duplicate appears away from the faults). Settings: BENCH_RATE events/s (40), BENCH_STEADY_SECONDS of load
# between faults (15), BENCH_OUTAGE_SECONDS (30).
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp /tmp/cluster-faults.XXXXXX.log)
status=0
flock /tmp/campanello-mvn.lock ./mvnw -B -ntp -Dspotless.check.skip=true -pl cluster-harness -am verify \
  -Dit.test=ClusterFaultsIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dcluster.faults.rate="${BENCH_RATE:-40}" -Dcluster.faults.steady-seconds="${BENCH_STEADY_SECONDS:-15}" \
  -Dcluster.faults.outage-seconds="${BENCH_OUTAGE_SECONDS:-30}" > "$log" 2>&1 || status=$?
# The summary table printed once the class ends, and the outage's own line.
sed -n '/cluster faults$/,/^\[/p' "$log" | grep -E '^\|' || true
grep -E 'outage of|Tests run:|FAIL|BUILD' "$log" | sed 's/^.*ClusterFaultsIT - //' || true
echo "full log: $log"
exit "$status"
