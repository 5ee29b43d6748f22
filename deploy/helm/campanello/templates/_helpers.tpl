{{/* The chart name, or nameOverride. */}}
{{- define "campanello.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The prefix of every resource name: <release>-campanello, or the release name when it contains the chart name. */}}
{{- define "campanello.fullname" -}}
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

{{/* Labels of every resource. */}}
{{- define "campanello.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "campanello.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: campanello
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* Labels that select the release's pods. */}}
{{- define "campanello.selectorLabels" -}}
app.kubernetes.io/name: {{ include "campanello.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component (a service, or the topic job); argument: (list $ "ingest"). */}}
{{- define "campanello.componentLabels" -}}
{{ include "campanello.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/* Selector labels of one component; argument: (list $ "ingest"). */}}
{{- define "campanello.componentSelectorLabels" -}}
{{ include "campanello.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/*
Deep merge of two maps, the second winning; lists and scalars are replaced, false and 0 override too
(Sprig's merge functions treat them as empty). Argument: (list $base $override); returns YAML.
*/}}
{{- define "campanello.deepMerge" -}}
{{- $base := index . 0 | default dict }}
{{- $override := index . 1 | default dict }}
{{- $out := deepCopy $base }}
{{- range $key, $value := $override }}
{{- $current := index $out $key }}
{{- if and (kindIs "map" $value) (kindIs "map" $current) }}
{{- $_ := set $out $key (include "campanello.deepMerge" (list $current $value) | fromYaml) }}
{{- else }}
{{- $_ := set $out $key $value }}
{{- end }}
{{- end }}
{{- toYaml $out }}
{{- end }}

{{/* The settings of one service: defaults merged with services.<key>. Argument: (list $ "ingest"); returns YAML. */}}
{{- define "campanello.service" -}}
{{- $root := index . 0 }}
{{- $key := index . 1 }}
{{- include "campanello.deepMerge" (list $root.Values.defaults (index $root.Values.services $key)) }}
{{- end }}

{{/* Name of one component's resources; argument: (list $ "ingest"). */}}
{{- define "campanello.componentName" -}}
{{- printf "%s-%s" (include "campanello.fullname" (index . 0)) (index . 1) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The image of a service; argument: (list $ "ingest-service"). */}}
{{- define "campanello.image" -}}
{{- $root := index . 0 }}
{{- $tag := default $root.Chart.AppVersion $root.Values.image.tag }}
{{- printf "%s/%s:%s" (trimSuffix "/" $root.Values.image.registry) (index . 1) $tag }}
{{- end }}

{{- define "campanello.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "campanello.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Name of the Secret holding Campanello's API keys and secrets key. */}}
{{- define "campanello.secretName" -}}
{{- default (printf "%s-secrets" (include "campanello.fullname" .)) .Values.secrets.existingSecret }}
{{- end }}

{{/* Whether the services create missing topics themselves. */}}
{{- define "campanello.servicesCreateTopics" -}}
{{- eq .Values.topics.provisioning "services" }}
{{- end }}

{{/* A Spring duration (500ms, 5s, 2m, 6h, 1d) in milliseconds. */}}
{{- define "campanello.durationMs" -}}
{{- $amount := regexFind "^[0-9]+" . | int64 }}
{{- $unit := regexFind "[a-z]+$" . }}
{{- $factors := dict "ms" 1 "s" 1000 "m" 60000 "h" 3600000 "d" 86400000 }}
{{- if not (hasKey $factors $unit) }}
{{- fail (printf "topics.retry.delays: %q is not a duration such as 500ms, 5s, 2m, 6h or 1d" .) }}
{{- end }}
{{- mul $amount (index $factors $unit) }}
{{- end }}

{{/* The name of a retry tier topic for a delay as people write it (Topics.compact in the schemas module). */}}
{{- define "campanello.retryTopic" -}}
{{- $root := index . 0 }}
{{- $ms := include "campanello.durationMs" (index . 1) | int64 }}
{{- $compact := printf "%dms" $ms }}
{{- if eq (mod $ms 86400000) 0 }}{{ $compact = printf "%dd" (div $ms 86400000) }}
{{- else if eq (mod $ms 3600000) 0 }}{{ $compact = printf "%dh" (div $ms 3600000) }}
{{- else if eq (mod $ms 60000) 0 }}{{ $compact = printf "%dm" (div $ms 60000) }}
{{- else if eq (mod $ms 1000) 0 }}{{ $compact = printf "%ds" (div $ms 1000) }}
{{- end }}
{{- printf "%s%s" $root.Values.topics.retry.prefix $compact }}
{{- end }}

{{/*
Every topic Campanello uses, as a YAML list of {name, partitions, replicas, config}: the catalog, then one retry
tier per distinct delay with retention max(retentionFactor × delay, minRetentionMs).
*/}}
{{- define "campanello.topics" -}}
{{- $root := . }}
{{- $topics := list }}
{{- range $key, $topic := .Values.topics.catalog }}
{{- $config := dict "cleanup.policy" $topic.cleanupPolicy }}
{{- if ne $topic.cleanupPolicy "compact" }}
{{- $_ := set $config "retention.ms" (toString (int64 $topic.retentionMs)) }}
{{- end }}
{{- $topics = append $topics (dict "name" $topic.name "partitions" (default $root.Values.topics.partitions $topic.partitions | int) "config" $config) }}
{{- end }}
{{- $seen := dict }}
{{- range .Values.topics.retry.delays }}
{{- $name := include "campanello.retryTopic" (list $root .) }}
{{- if not (hasKey $seen $name) }}
{{- $_ := set $seen $name true }}
{{- $ms := include "campanello.durationMs" . | int64 }}
{{- $retention := max (mul $ms (int64 $root.Values.topics.retry.retentionFactor)) (int64 $root.Values.topics.retry.minRetentionMs) }}
{{- $config := dict "cleanup.policy" "delete" "retention.ms" (toString $retention) }}
{{- $topics = append $topics (dict "name" $name "partitions" ($root.Values.topics.partitions | int) "config" $config) }}
{{- end }}
{{- end }}
{{- toYaml (dict "topics" $topics) }}
{{- end }}

{{/* Volumes for the Kafka TLS material, when configured. */}}
{{- define "campanello.kafkaVolumes" -}}
{{- with .Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.kafka.tls.caKey }}
        path: ca.crt
{{- end }}
{{- with .Values.kafka.tls.keystoreSecret }}
- name: kafka-keystore
  secret:
    secretName: {{ . }}
    items:
      - key: {{ $.Values.kafka.tls.keystoreKey }}
        path: keystore.p12
{{- end }}
{{- end }}

{{- define "campanello.kafkaVolumeMounts" -}}
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/campanello/kafka-ca
  readOnly: true
{{- end }}
{{- if .Values.kafka.tls.keystoreSecret }}
- name: kafka-keystore
  mountPath: /etc/campanello/kafka-keystore
  readOnly: true
{{- end }}
{{- end }}

{{/* The JAAS login module for a SASL mechanism with username and password. */}}
{{- define "campanello.loginModule" -}}
{{- if eq . "PLAIN" }}org.apache.kafka.common.security.plain.PlainLoginModule
{{- else if hasPrefix "SCRAM-" . }}org.apache.kafka.common.security.scram.ScramLoginModule
{{- else }}{{ fail (printf "kafka.sasl.mechanism %s needs kafka.sasl.jaasConfigKey" .) }}
{{- end }}
{{- end }}

{{/*
Environment of the Kafka client secrets, shared by the services and the topic job: KAFKA_SASL_USERNAME,
KAFKA_SASL_PASSWORD or KAFKA_SASL_JAAS_CONFIG, KAFKA_KEYSTORE_PASSWORD.
*/}}
{{- define "campanello.kafkaSecretEnv" -}}
{{- $kafka := .Values.kafka }}
{{- if hasPrefix "SASL_" $kafka.securityProtocol }}
{{- $secret := required "kafka.sasl.existingSecret is required with a SASL_* securityProtocol" $kafka.sasl.existingSecret }}
{{- if $kafka.sasl.jaasConfigKey }}
- name: KAFKA_SASL_JAAS_CONFIG
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.jaasConfigKey }}
{{- else }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.usernameKey }}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ $kafka.sasl.passwordKey }}
- name: KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "%s required username=\"$(KAFKA_SASL_USERNAME)\" password=\"$(KAFKA_SASL_PASSWORD)\";" (include "campanello.loginModule" $kafka.sasl.mechanism) | quote }}
{{- end }}
{{- end }}
{{- if $kafka.tls.keystoreSecret }}
- name: KAFKA_KEYSTORE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $kafka.tls.keystoreSecret }}
      key: {{ $kafka.tls.keystorePasswordKey }}
{{- end }}
{{- end }}

{{/* Spring Kafka settings of the services, after campanello.kafkaSecretEnv. */}}
{{- define "campanello.kafkaEnv" -}}
{{- $kafka := .Values.kafka }}
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ required "kafka.bootstrapServers is required" $kafka.bootstrapServers | quote }}
- name: SPRING_KAFKA_SECURITY_PROTOCOL
  value: {{ $kafka.securityProtocol | quote }}
{{- if hasPrefix "SASL_" $kafka.securityProtocol }}
- name: SPRING_KAFKA_PROPERTIES_SASL_MECHANISM
  value: {{ $kafka.sasl.mechanism | quote }}
- name: SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG
  value: "$(KAFKA_SASL_JAAS_CONFIG)"
{{- end }}
{{- if $kafka.tls.caSecret }}
- name: SPRING_KAFKA_SSL_TRUST_STORE_TYPE
  value: PEM
- name: SPRING_KAFKA_SSL_TRUST_STORE_LOCATION
  value: file:/etc/campanello/kafka-ca/ca.crt
{{- end }}
{{- if $kafka.tls.keystoreSecret }}
- name: SPRING_KAFKA_SSL_KEY_STORE_TYPE
  value: PKCS12
- name: SPRING_KAFKA_SSL_KEY_STORE_LOCATION
  value: file:/etc/campanello/kafka-keystore/keystore.p12
- name: SPRING_KAFKA_SSL_KEY_STORE_PASSWORD
  value: "$(KAFKA_KEYSTORE_PASSWORD)"
{{- end }}
{{- end }}
