#!/usr/bin/env bash
# Builds the service images (and the console's) from the jars of `./mvnw -DskipTests package`:
#   <REGISTRY>/<service>:<TAG>, e.g. ghcr.io/campanello/ingest-service:0.1.0
# Usage: deploy/docker/build-images.sh [TAG]   (REGISTRY=ghcr.io/campanello by default; PUSH=1 pushes too)
set -euo pipefail
cd "$(dirname "$0")/../.."

tag="${1:-0.1.0}"
registry="${REGISTRY:-ghcr.io/campanello}"
declare -A ports=([ingest-service]=8081 [subscription-service]=8082 [dispatcher-service]=8083 [retry-service]=8084 [history-service]=8085 [console]=8080)

for service in ingest-service subscription-service dispatcher-service retry-service history-service console; do
  jar="$service/target/$service-0.1.0-SNAPSHOT-exec.jar"
  [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -DskipTests package first" >&2; exit 1; }
  docker build -f deploy/docker/Dockerfile \
    --build-arg SERVICE="$service" --build-arg PORT="${ports[$service]}" \
    -t "$registry/$service:$tag" .
  if [ "${PUSH:-0}" = 1 ]; then
    docker push "$registry/$service:$tag"
  fi
done
