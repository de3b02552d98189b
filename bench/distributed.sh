#!/usr/bin/env bash
# The distributed pipeline against the embedded one (issue: "spend the time in the models", distributed ≤ 1.5 ×):
#   builds the embedded host, the orchestrator and the eight stage apps in Release, then bench/ImageApi.Bench.Distributed
#   starts them on loopback behind a forwarder standing in for the Dapr sidecars and writes bench/results/distributed.md
#   and .json. Stops every process when done.
# Usage: bash bench/distributed.sh [--iterations 20] [--base-port 5180] [--out file.md]
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "[bench] building the hosts and the driver (Release)"
for project in image-api orchestrator face-detector-face-fitter gender-estimator age-estimator emotion-estimator \
               mask-estimator liveness-estimator quality-assessment-estimator template-extractor; do
  dotnet build "services/$project" -c Release -nologo -clp:ErrorsOnly
done
dotnet build bench/ImageApi.Bench.Distributed -c Release -nologo -clp:ErrorsOnly
dotnet bench/ImageApi.Bench.Distributed/bin/Release/net10.0/ImageApi.Bench.Distributed.dll "$@"
