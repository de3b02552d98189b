{{/* Chart name, at most 63 characters. */}}
{{- define "image-api.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-wide name prefix: the release name, or <release>-<chart> when it does not contain the chart name. */}}
{{- define "image-api.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "image-api.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of release-wide objects. */}}
{{- define "image-api.labels" -}}
helm.sh/chart: {{ include "image-api.chart" . }}
app.kubernetes.io/name: {{ include "image-api.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: image-api
{{- if .Chart.AppVersion }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
{{- end }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Name of the objects of one service. Call with (dict "root" $ "name" <service name>). */}}
{{- define "image-api.componentName" -}}
{{- printf "%s-%s" (include "image-api.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels of one service. Call with (dict "root" $ "name" <service name>). */}}
{{- define "image-api.selectorLabels" -}}
app.kubernetes.io/name: {{ include "image-api.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Labels of the objects of one service. Call with (dict "root" $ "name" <service name>). */}}
{{- define "image-api.componentLabels" -}}
{{ include "image-api.labels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "image-api.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "image-api.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "image-api.appTokenSecretName" -}}
{{- default (printf "%s-app-token" (include "image-api.fullname" .)) .Values.appToken.existingSecret }}
{{- end }}

{{- define "image-api.redisSecretName" -}}
{{- default (printf "%s-redis" (include "image-api.fullname" .)) .Values.redis.existingSecret }}
{{- end }}

{{/*
Deep merge of two maps, rendered as YAML: keys of .over replace those of .base, nested maps are merged.
Unlike sprig's mergeOverwrite, false, 0 and "" in .over do replace the base value.
*/}}
{{- define "image-api.deepMerge" -}}
{{- $base := deepCopy .base }}
{{- range $key, $value := .over }}
{{- $old := get $base $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $old) }}
{{- $_ := set $base $key (include "image-api.deepMerge" (dict "base" $old "over" $value) | fromYaml) }}
{{- else }}
{{- $_ := set $base $key $value }}
{{- end }}
{{- end }}
{{- toYaml $base }}
{{- end }}

{{/*
The enabled services, name -> settings (serviceDefaults merged with the entry), as YAML: every entry of
services: with enabled=true, plus image-api when embedded.enabled. Every template that needs the list of
services uses this, so they cannot disagree.
*/}}
{{- define "image-api.enabledServices" -}}
{{- $out := dict }}
{{- range $name, $entry := .Values.services }}
{{- $svc := include "image-api.deepMerge" (dict "base" $.Values.serviceDefaults "over" $entry) | fromYaml }}
{{- if $svc.enabled }}
{{- $_ := set $out $name $svc }}
{{- end }}
{{- end }}
{{- if .Values.embedded.enabled }}
{{- $svc := include "image-api.deepMerge" (dict "base" $.Values.serviceDefaults "over" .Values.embedded) | fromYaml }}
{{- $_ := set $out "image-api" $svc }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* App ids of the enabled services that run with a Dapr sidecar, as a YAML list. */}}
{{- define "image-api.daprAppIds" -}}
{{- $ids := list }}
{{- range $name, $svc := (include "image-api.enabledServices" . | fromYaml) }}
{{- if $svc.dapr.enabled }}
{{- $ids = append $ids $name }}
{{- end }}
{{- end }}
{{- toYaml $ids }}
{{- end }}

{{/* Scopes of the pub/sub and the state store, as a YAML list. */}}
{{- define "image-api.componentScopes" -}}
{{- $scopes := .Values.dapr.componentScopes }}
{{- if and .Values.embedded.enabled .Values.embedded.dapr .Values.embedded.dapr.enabled }}
{{- $scopes = append $scopes "image-api" }}
{{- end }}
{{- toYaml (uniq $scopes) }}
{{- end }}

{{/* Version of one service: its image tag without the GPU suffix. Call with (dict "root" $ "svc" <settings>). */}}
{{- define "image-api.version" -}}
{{- .svc.image.tag | default .root.Values.global.image.tag | default .root.Chart.AppVersion | toString }}
{{- end }}

{{/* Image reference of one service. Call with (dict "root" $ "name" <service name> "svc" <settings>). */}}
{{- define "image-api.image" -}}
{{- $root := .root }}
{{- $repository := .svc.image.repository | default (printf "%s/%s" (trimSuffix "/" $root.Values.global.image.registry) .name) }}
{{- $tag := include "image-api.version" . }}
{{- if .svc.gpu.enabled }}
{{- $tag = printf "%s%s" $tag $root.Values.global.gpu.imageTagSuffix }}
{{- end }}
{{- printf "%s:%s" $repository $tag }}
{{- end }}

{{/* Host:port of the OTLP endpoint, for the Dapr tracing exporter. */}}
{{- define "image-api.otelHostPort" -}}
{{- $url := urlParse .Values.otel.endpoint }}
{{- $url.host }}
{{- end }}

{{/* "true" when at least one enabled service runs with a Dapr sidecar: the Dapr resources are rendered only then
(so the embedded host alone installs on a cluster without Dapr). */}}
{{- define "image-api.daprUsed" -}}
{{- if (include "image-api.daprAppIds" . | fromYamlArray) }}true{{ end }}
{{- end }}

{{/* "true" when some Dapr-enabled service gets the app token. */}}
{{- define "image-api.appTokenUsed" -}}
{{- range $name, $svc := (include "image-api.enabledServices" . | fromYaml) }}
{{- if and $svc.dapr.enabled $svc.dapr.appToken }}true{{ end }}
{{- end }}
{{- end }}
