#!/usr/bin/env bash
# One command for the end-to-end performance numbers (issue: "spend the time in the models"):
#   builds the Release host, runs the ort-node peer on testdata/identity, starts the host on loopback, drives it with
#   bench/ImageApi.Bench.Http and writes bench/results/http.md + http.json. Stops the host when done.
# Usage: bash bench/run.sh [--iterations 30] [--throughput-seconds 20] [--soak-minutes 10] [--port 5080]
# Extra host settings pass through the environment (e.g. Profile=fast, FaceAttributes__GenderCropScales__0=1.05).
set -euo pipefail
cd "$(dirname "$0")/.."
port=5080; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    *) pass+=("$1"); shift ;;
  esac
done
shared="${IMAGEAPI_SHARED:-$(cd .. && pwd)/shared}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "[bench] building the Release host and the driver"
dotnet build services/image-api -c Release -nologo -clp:ErrorsOnly
dotnet build bench/ImageApi.Bench.Http -c Release -nologo -clp:ErrorsOnly

peer_out=$(mktemp /tmp/imageapi-peer.XXXXXX.jsonl)
peer_dir="$shared/peers/ort-node"
if command -v node >/dev/null && [ -d "$peer_dir" ]; then
  # The peer's folder may be read-only: install and run it from a copy.
  work=/tmp/imageapi-ort-node
  if [ ! -d "$work/node_modules/onnxruntime-node" ]; then
    rm -rf "$work"; cp -r "$peer_dir" "$work"; chmod -R u+w "$work"
    bash "$work/install.sh" >/dev/null
  fi
  echo "[bench] ort-node peer on testdata/identity (3 repeats per photo, 1 thread)"
  node "$work/run.js" "$shared/testdata/identity" "$peer_out" --repeat 3 --threads 1 --no-body --models "$shared/models" 2>/dev/null \
    || { echo "[bench] the peer failed; its row is left out"; rm -f "$peer_out"; }
else
  echo "[bench] node or the peer is missing; its row is left out"; rm -f "$peer_out"
fi

echo "[bench] starting the host on 127.0.0.1:$port"
Inference__IntraOpThreads=1 ASPNETCORE_URLS="http://127.0.0.1:$port" Logging__LogLevel__Default=Warning \
  dotnet services/image-api/bin/Release/net10.0/image-api.dll >/tmp/imageapi-bench-host.log 2>&1 &
host=$!
trap 'kill $host 2>/dev/null || true; wait $host 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 $host 2>/dev/null || { echo "[bench] host exited"; cat /tmp/imageapi-bench-host.log; exit 1; }
  sleep 1
done

args=(--url "http://127.0.0.1:$port" --pid "$host")
[ -f "$peer_out" ] && args+=(--peer "$peer_out")
dotnet bench/ImageApi.Bench.Http/bin/Release/net10.0/ImageApi.Bench.Http.dll "${args[@]}" "${pass[@]}"
