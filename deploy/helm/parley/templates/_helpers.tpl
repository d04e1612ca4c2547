{{/* The chart's name, or nameOverride. */}}
{{- define "parley.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name (63 characters at most, a DNS label). */}}
{{- define "parley.fullname" -}}
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

{{- define "parley.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels of everything in the release; add a component (server or redis) to them. */}}
{{- define "parley.commonLabels" -}}
helm.sh/chart: {{ include "parley.chart" . }}
{{ include "parley.instanceLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "parley.instanceLabels" -}}
app.kubernetes.io/name: {{ include "parley.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Parley's own objects. The component keeps its selector from matching the Redis pod. */}}
{{- define "parley.labels" -}}
{{ include "parley.commonLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "parley.selectorLabels" -}}
{{ include "parley.instanceLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "parley.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "parley.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding DATABASE_URL and the other credentials. */}}
{{- define "parley.secretName" -}}
{{- default (include "parley.fullname" .) .Values.secret.existingSecret }}
{{- end }}

{{/* REDIS_URL: the chart's Redis, an external one, or empty (one replica, events in memory). */}}
{{- define "parley.redisUrl" -}}
{{- if .Values.redis.enabled }}
{{- printf "redis://%s-redis:6379" (include "parley.fullname" .) }}
{{- else }}
{{- .Values.redis.url }}
{{- end }}
{{- end }}

{{/* Refuses settings that cannot work, with a message saying what to change. */}}
{{- define "parley.validate" -}}
{{- if not (or .Values.secret.existingSecret .Values.secret.databaseUrl) }}
{{- fail "Set secret.databaseUrl (DATABASE_URL of a PostgreSQL) or secret.existingSecret: the embedded database cannot be shared by replicas and would live in an emptyDir." }}
{{- end }}
{{- if and (not (include "parley.redisUrl" .)) (or .Values.autoscaling.enabled (gt (int .Values.replicaCount) 1)) }}
{{- fail "More than one replica needs Redis: set redis.enabled=true or redis.url." }}
{{- end }}
{{- if and (not (include "parley.redisUrl" .)) (gt (int .Values.workers) 1) }}
{{- fail "More than one worker per pod needs Redis: set redis.enabled=true or redis.url." }}
{{- end }}
{{- if and .Values.secret.adminEmail (not .Values.secret.adminPassword) }}
{{- fail "secret.adminEmail and secret.adminPassword must be set together." }}
{{- end }}
{{- end }}
