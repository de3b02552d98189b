#!/usr/bin/env bash
# The test command of README.md: renders the Helm chart (the chart tests read it), builds and runs every test
# project of ImageApi.sln, and ends with the totals on a line of their own: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The browser tests (tests/ImageApi.Browser.Tests) drive Debian's chromium through Playwright and run the page's curl
# commands; nothing is downloaded at run time, so both come from apt here. libjpeg-turbo's TurboJPEG library decodes
# whole JPEGs where it is installed (the same pixels as Skia, faster; the decoder tests compare the two and fail
# without it). Skipped at once when all are present.
turbojpeg_present() { ldconfig -p 2>/dev/null | grep -q 'libturbojpeg\.so\.0'; }
if ! command -v chromium >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1 || ! turbojpeg_present; then
  sudo=""; [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo="sudo -n"
  echo "[ci] installing chromium and curl for the browser tests, libturbojpeg0 for the JPEG decoder"
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium curl libturbojpeg0; } >/dev/null \
    || echo "[ci] could not install chromium/libturbojpeg0: the browser and decoder tests will fail"
fi
# PostgreSQL for the identification tests (two replicas over one database); the tests fail, not skip, without it.
IMAGEAPI_TEST_POSTGRES=$(bash .ci/postgres.sh) || { echo "postgres setup failed"; echo "0 passed, 1 failed"; exit 1; }
export IMAGEAPI_TEST_POSTGRES

bash .ci/helm.sh || { echo "helm lint/template failed"; echo "0 passed, 1 failed"; exit 1; }

results=artifacts/test-results
rm -rf "$results"
dotnet build ImageApi.sln -c Release -nologo -clp:ErrorsOnly || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }
dotnet test ImageApi.sln -c Release --no-build -nologo --logger "trx" --logger "console;verbosity=minimal" \
  --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000
rc=$?
for png in artifacts/screenshots/*.png; do [ -f "$png" ] && echo "[ci] browser test screenshot: $png"; done

# The GPU flavour (issue 24, docs/deploy.md): restore Microsoft.ML.OnnxRuntime.Gpu.Linux (246 MB download, 550 MB
# unpacked), build the embedded host and the execution-provider tests with -p:ImageApiGpu=true (into bin-gpu/ and
# obj-gpu/, beside the CPU build) and run those tests: no CI machine has a GPU, so CUDA cannot start and they check
# the refusal and the explicit CPU fallback of the GPU build itself.
dotnet test tests/ImageApi.ExecutionProvider.Tests/ImageApi.ExecutionProvider.Tests.csproj -c Release -p:ImageApiGpu=true \
  -nologo --logger "trx;LogFileName=gpu-flavour.trx" --logger "console;verbosity=minimal" --results-directory "$results" \
  || rc=1

passed=0; failed=0; total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
# A project that crashed writes no counters: count the difference as failures.
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
