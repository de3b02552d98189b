#!/usr/bin/env bash
# Native AOT check (issue 11, docs/aot.md). For each host given (default: the embedded host and the distributed
# face-detector-face-fitter host), one after another (2 cores):
#   1. `dotnet publish -c Release -r linux-x64` (PublishAot from services/Directory.Build.props); fails on any
#      IL2xxx/IL3xxx trim/AOT warning in the log (TreatWarningsAsErrors turns them into errors as well);
#   2. `dotnet build -c Release` of the same host = the JIT build;
#   3. starts both on loopback ports, waits for /health/ready (models loaded and warmed), and has
#      tools/aot-check/aot-check.mjs send a real v1 and v2 request to every route the binary serves (from its own
#      /openapi/v1.json) plus /health, /info, /openapi, /docs, comparing AOT answers with JIT answers (float tolerance);
#      a 501 must be 501 in both.
# A host folder without a .csproj is skipped with a message (hosts appear as their areas land).
#
# usage: .ci/aot.sh [--measure] [services/<host> ...]
#   --measure  also records size, start-to-ready, idle RSS, first-request latency and RSS after AOT_LOAD_REQUESTS
#              requests for AOT and JIT into artifacts/aot/measurements.md (for docs/aot.md; not needed in CI).
# environment: AOT_READY_TIMEOUT (s, default 300), AOT_PORT (default 5871; JIT gets +1), AOT_LOAD_REQUESTS (1000),
#              AOT_OUT (default artifacts/aot), IMAGEAPI_SHARED (default ../shared).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

MEASURE=0
HOSTS=()
for arg in "$@"; do
  case "$arg" in
    --measure) MEASURE=1 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) HOSTS+=("${arg%/}") ;;
  esac
done
[ ${#HOSTS[@]} -gt 0 ] || HOSTS=(services/image-api services/face-detector-face-fitter)

OUT="${AOT_OUT:-$ROOT/artifacts/aot}"
READY_TIMEOUT="${AOT_READY_TIMEOUT:-300}"
PORT="${AOT_PORT:-5871}"
LOAD_REQUESTS="${AOT_LOAD_REQUESTS:-1000}"
CHECK="$ROOT/tools/aot-check/aot-check.mjs"
mkdir -p "$OUT"

log() { printf '[aot.sh] %s\n' "$*"; }
die() { printf '[aot.sh] error: %s\n' "$*" >&2; exit 1; }

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# --- prerequisites ----------------------------------------------------------------------------------------------
command -v node >/dev/null || die "node is needed for tools/aot-check"
command -v curl >/dev/null || die "curl is needed"
if ! command -v clang >/dev/null || [ ! -e /usr/include/zlib.h ]; then
  log "installing clang and zlib1g-dev (the Native AOT linker prerequisites)"
  if [ "$(id -u)" = 0 ]; then SUDO=(); else SUDO=(sudo); fi
  "${SUDO[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq clang zlib1g-dev >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 ORT_DISABLE_TELEMETRY=1

# ms since epoch
now_ms() { date +%s%3N; }

# wait_ready <url> <pid> → prints ms from $2's start (START_MS) to the first 200 of /health/ready
wait_ready() {
  local url=$1 pid=$2 deadline=$(( $(date +%s) + READY_TIMEOUT ))
  while :; do
    if curl -fsS -o /dev/null --max-time 2 "$url/health/ready" 2>/dev/null; then
      echo $(( $(now_ms) - START_MS )); return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    [ "$(date +%s)" -lt "$deadline" ] || return 2
    sleep 0.05
  done
}

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
size_mb() { du -sb "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }'; }

# start <label> <workdir> <cmd...>: starts in the background, output to $OUT/<label>.log; sets STARTED_PID, START_MS
start() {
  local label=$1 dir=$2; shift 2
  START_MS=$(now_ms)
  (cd "$dir" && exec "$@" >"$OUT/$label.log" 2>&1) &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

if [ $MEASURE = 1 ]; then
  {
    echo "| host | build | binary + native libs (MiB) | start → /health/ready (ms) | idle RSS (MB) | first request (ms) | RSS after $LOAD_REQUESTS requests (MB) | p50 / p95 (ms) |"
    echo "|---|---|---|---|---|---|---|---|"
  } >"$OUT/measurements.md"
fi

checked=0
for host in "${HOSTS[@]}"; do
  csproj=$(ls "$host"/*.csproj 2>/dev/null | head -n1 || true)
  if [ -z "$csproj" ]; then log "skip $host: no project there yet"; continue; fi
  name=$(basename "$host")
  asm=$(sed -n 's:.*<AssemblyName>\(.*\)</AssemblyName>.*:\1:p' "$csproj" | head -n1)
  [ -n "$asm" ] || asm=$(basename "$csproj" .csproj)
  pub="$OUT/$name/publish"
  rm -rf "$pub"

  log "$name: dotnet publish -c Release -r linux-x64 (Native AOT)"
  t0=$(date +%s)
  set +e
  dotnet publish "$csproj" -c Release -r linux-x64 -o "$pub" -p:TrimmerSingleWarn=false >"$OUT/$name.publish.log" 2>&1
  rc=$?
  set -e
  log "$name: publish took $(( $(date +%s) - t0 )) s (exit $rc)"
  warnings=$(grep -Eo '(warning|error) IL[23][0-9]{3}[^[]*' "$OUT/$name.publish.log" | sort -u || true)
  if [ -n "$warnings" ]; then
    printf '%s\n' "$warnings" >&2
    die "$name: trim/AOT warnings (full log: $OUT/$name.publish.log)"
  fi
  if [ $rc -ne 0 ]; then tail -n 40 "$OUT/$name.publish.log" >&2; die "$name: publish failed"; fi
  [ -x "$pub/$asm" ] || die "$name: no native binary $pub/$asm"
  for lib in libonnxruntime.so libSkiaSharp.so; do [ -e "$pub/$lib" ] || die "$name: $lib missing next to the binary"; done

  log "$name: dotnet build -c Release (JIT)"
  dotnet build "$csproj" -c Release >"$OUT/$name.jit-build.log" 2>&1 || { tail -n 40 "$OUT/$name.jit-build.log" >&2; die "$name: JIT build failed"; }
  jitdir="$host/bin/Release/net10.0"
  [ -e "$jitdir/$asm.dll" ] || die "$name: no $jitdir/$asm.dll"

  aot_url="http://127.0.0.1:$PORT" jit_url="http://127.0.0.1:$((PORT + 1))"
  # The binaries find ../models by walking up from their folder (ModelOptions); Models__Directory makes it explicit.
  export Models__Directory="$ROOT/models"

  # The AOT binary exports traces, metrics and logs over OTLP/HTTP to a stand-in collector, to prove the telemetry
  # path works under AOT (the JIT side is covered by tests/ImageApi.Observability.Tests).
  otlp_dir="$OUT/$name.otlp"
  rm -rf "$otlp_dir"
  node "$CHECK" otlp-sink "$((PORT + 2))" "$otlp_dir" &
  sink_pid=$!
  PIDS+=("$sink_pid")
  # Not when measuring: both builds then run with the default (no exporter), as they would be compared in production.
  otlp_env=()
  [ $MEASURE = 1 ] || otlp_env=(OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$((PORT + 2))" OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
    OTEL_BSP_SCHEDULE_DELAY=200 OTEL_METRIC_EXPORT_INTERVAL=500 OTEL_BLRP_SCHEDULE_DELAY=200)
  start "$name.aot" "$pub" env "${otlp_env[@]}" "./$asm" --urls "$aot_url"
  aot_pid=$STARTED_PID
  aot_ready=$(wait_ready "$aot_url" "$aot_pid") || { tail -n 40 "$OUT/$name.aot.log" >&2; die "$name: AOT binary never became ready"; }
  log "$name: AOT ready after $aot_ready ms"
  aot_idle=$(rss_mb "$aot_pid")
  aot_first=""
  [ $MEASURE = 1 ] && aot_first=$(node "$CHECK" first "$aot_url")

  start "$name.jit" "$jitdir" dotnet "$asm.dll" --urls "$jit_url"
  jit_pid=$STARTED_PID
  jit_ready=$(wait_ready "$jit_url" "$jit_pid") || { tail -n 40 "$OUT/$name.jit.log" >&2; die "$name: JIT build never became ready"; }
  log "$name: JIT ready after $jit_ready ms"
  jit_idle=$(rss_mb "$jit_pid")
  jit_first=""
  [ $MEASURE = 1 ] && jit_first=$(node "$CHECK" first "$jit_url")

  log "$name: comparing AOT and JIT answers on every served route"
  node "$CHECK" compare "$aot_url" "$jit_url" | tee "$OUT/$name.compare.log" || die "$name: AOT and JIT answers differ (see above)"

  if [ $MEASURE = 0 ]; then
    sleep 1.5 # one more export interval
    for want in "traces:stage detect" "traces:model face-detector-yunet-n" "traces:imageapi.model.input_shape" \
                "metrics:imageapi.request.duration" "metrics:imageapi.model.run.duration" "metrics:dotnet.gc.collections" \
                "logs:answered"; do
      file="$otlp_dir/${want%%:*}.bin" text="${want#*:}"
      [ -s "$file" ] && grep -aqF "$text" "$file" || die "$name: the AOT binary exported no '$text' over OTLP ${want%%:*}"
    done
    piece=$(base64 -w0 "${IMAGEAPI_SHARED:-$ROOT/../shared}/testdata/group/obama_and_biden.jpg" | cut -c 4001-4048)
    ! grep -aqF "$piece" "$otlp_dir"/*.bin || die "$name: OTLP export contains the request image"
    log "$name: OTLP traces, metrics and logs exported by the AOT binary (no payload in them)"
  fi

  if [ $MEASURE = 1 ]; then
    # One process at a time under load, so the two do not share the 2 cores; alternating in four rounds, so that
    # other work on the machine weighs on both alike.
    rm -f "$OUT/$name.aot.times" "$OUT/$name.jit.times"
    for round in 1 2 3 4; do
      node "$CHECK" load "$aot_url" $((LOAD_REQUESTS / 4)) "$OUT/$name.aot.times" >/dev/null
      node "$CHECK" load "$jit_url" $((LOAD_REQUESTS / 4)) "$OUT/$name.jit.times" >/dev/null
    done
    aot_load=$(node "$CHECK" stats "$OUT/$name.aot.times")
    jit_load=$(node "$CHECK" stats "$OUT/$name.jit.times")
    aot_loaded=$(rss_mb "$aot_pid")
    jit_loaded=$(rss_mb "$jit_pid")
    aot_size=$(size_mb $(find "$pub" -maxdepth 1 -type f ! -name '*.dbg' ! -name '*.pdb' ! -name '*.json'))
    jit_size=$(size_mb $(find "$jitdir" -maxdepth 1 -type f ! -name '*.pdb' ! -name '*.json') "$jitdir/runtimes/linux-x64")
    q() { node -e "const o=JSON.parse(process.argv[1]);console.log(o.$2 ?? '')" "$1"; }
    {
      echo "| $name | AOT | $aot_size | $aot_ready | $aot_idle | $(q "$aot_first" ms) | $aot_loaded | $(q "$aot_load" p50) / $(q "$aot_load" p95) |"
      echo "| $name | JIT | $jit_size (+ shared runtime) | $jit_ready | $jit_idle | $(q "$jit_first" ms) | $jit_loaded | $(q "$jit_load" p50) / $(q "$jit_load" p95) |"
    } >>"$OUT/measurements.md"
    log "$name: load AOT $aot_load; JIT $jit_load"
  fi

  stop "$aot_pid"; stop "$jit_pid"; stop "$sink_pid"
  checked=$((checked + 1))
  log "$name: ok"
done

[ $checked -gt 0 ] || die "no host was checked"
[ $MEASURE = 1 ] && cat "$OUT/measurements.md"
log "Native AOT check passed for $checked host(s)"
