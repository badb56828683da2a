{{- define "chorus.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "chorus.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "chorus.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "chorus.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "chorus.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required with serviceAccount.create=false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* Pods the Deployment asks for: replicaCount, or 2 with the broker relay and 1 without. */}}
{{- define "chorus.replicas" -}}
{{- if kindIs "invalid" .Values.replicaCount -}}
{{- ternary 2 1 .Values.broker.relay.enabled -}}
{{- else -}}
{{- int .Values.replicaCount -}}
{{- end -}}
{{- end -}}

{{/* The most pods that may run at once, rolling updates aside. */}}
{{- define "chorus.maxPods" -}}
{{- if .Values.autoscaling.enabled -}}
{{- int .Values.autoscaling.maxReplicas -}}
{{- else -}}
{{- include "chorus.replicas" . -}}
{{- end -}}
{{- end -}}

{{/* Where bots reach Chorus: integration.publicBaseUrl, or the ingress host. */}}
{{- define "chorus.publicBaseUrl" -}}
{{- if .Values.integration.publicBaseUrl -}}
{{- .Values.integration.publicBaseUrl -}}
{{- else if and .Values.ingress.enabled .Values.ingress.host -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- end -}}
{{- end -}}

{{/* Refusals that the values schema cannot express. */}}
{{- define "chorus.checks" -}}
{{- if and (gt (int (include "chorus.maxPods" .)) 1) (not .Values.broker.relay.enabled) -}}
{{- fail (printf "%d pods need the STOMP broker relay (broker.relay.enabled=true, broker.relay.host): with the in-process broker, live events reach only the sessions of the pod that made them. Set broker.relay, or replicaCount=1 and autoscaling.enabled=false." (int (include "chorus.maxPods" .))) -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) -}}
{{- fail "autoscaling.minReplicas must not exceed autoscaling.maxReplicas" -}}
{{- end -}}
{{- if lt (int .Values.terminationGracePeriodSeconds) (add (int .Values.preStopSleepSeconds) 20) -}}
{{- fail (printf "terminationGracePeriodSeconds (%d) must cover preStopSleepSeconds (%d) and Chorus' graceful stop (20 s): at least %d" (int .Values.terminationGracePeriodSeconds) (int .Values.preStopSleepSeconds) (add (int .Values.preStopSleepSeconds) 20)) -}}
{{- end -}}
{{- if eq (int .Values.management.port) 8080 -}}
{{- fail "management.port must differ from the http port 8080" -}}
{{- end -}}
{{- end -}}
