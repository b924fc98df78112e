{{/* The name of every object: <release>-davmesh, or the release name when it holds "davmesh". */}}
{{- define "davmesh.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "davmesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select pods: name, instance and (with a role) component. Call with (dict "root" $ "role" "edge"). */}}
{{- define "davmesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "davmesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- with .role }}
app.kubernetes.io/component: {{ . }}
{{- end }}
{{- end -}}

{{- define "davmesh.labels" -}}
{{ include "davmesh.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "davmesh.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* The Secret holding DATABASE_URL: created by the chart from database.url, or by the operator. */}}
{{- define "davmesh.databaseSecret" -}}
{{- .Values.database.secretName | default (printf "%s-database" (include "davmesh.fullname" .)) -}}
{{- end -}}

{{/* NATS: the bundled chart's client Service (named as the nats chart names it), else the external URL. */}}
{{- define "davmesh.natsUrl" -}}
{{- if .Values.nats.enabled -}}
{{- $dependency := false -}}
{{- range .Chart.Dependencies -}}{{- if eq .Name "nats" -}}{{- $dependency = true -}}{{- end -}}{{- end -}}
{{- if not $dependency -}}
{{- fail "nats.enabled=true needs the official nats chart as a dependency of this chart: see README.md (NATS), or set nats.enabled=false and bus.url" -}}
{{- end -}}
{{- $service := ternary .Release.Name (printf "%s-nats" .Release.Name) (contains "nats" .Release.Name) | trunc 63 | trimSuffix "-" -}}
{{- printf "%s://%s:4222" (ternary "tls" "nats" .Values.bus.tls.enabled) $service -}}
{{- else -}}
{{- required "bus.url is required when nats.enabled is false" .Values.bus.url -}}
{{- end -}}
{{- end -}}

{{/* Checks values that only make sense together; fails the render with the reason. */}}
{{- define "davmesh.validate" -}}
{{- if and .Values.edge.tls.enabled (not .Values.edge.tls.secretName) -}}
{{- fail "edge.tls.enabled needs edge.tls.secretName (a kubernetes.io/tls Secret)" -}}
{{- end -}}
{{- if and .Values.bus.tls.enabled (not .Values.bus.tls.secretName) -}}
{{- fail "bus.tls.enabled needs bus.tls.secretName" -}}
{{- end -}}
{{- if and (or .Values.bus.auth.userKey .Values.bus.auth.passwordKey .Values.bus.auth.nkeySeedKey .Values.bus.auth.credsKey) (not .Values.bus.auth.secretName) -}}
{{- fail "bus.auth keys need bus.auth.secretName" -}}
{{- end -}}
{{- if ne (empty .Values.bus.auth.userKey) (empty .Values.bus.auth.passwordKey) -}}
{{- fail "bus.auth.userKey and bus.auth.passwordKey go together" -}}
{{- end -}}
{{- include "davmesh.validateDatabaseTls" . -}}
{{- end -}}

{{/*
Where the database's TLS Secrets are mounted, and, when the chart holds the URL (database.url),
that its sslrootcert/sslcert/sslkey name those files: a URL that names a file no Secret provides
fails the render instead of every start.
*/}}
{{- define "davmesh.postgresCaFile" -}}/etc/davmesh/postgres-ca/ca.crt{{- end -}}
{{- define "davmesh.postgresClientCertFile" -}}/etc/davmesh/postgres-client/tls.crt{{- end -}}
{{- define "davmesh.postgresClientKeyFile" -}}/etc/davmesh/postgres-client/tls.key{{- end -}}
{{- define "davmesh.validateDatabaseTls" -}}
{{- $tls := .Values.database.tls -}}
{{- with .Values.database.url -}}
{{- $url := . -}}
{{- $files := dict "sslrootcert" (list $tls.caSecretName "database.tls.caSecretName" (include "davmesh.postgresCaFile" $)) "sslcert" (list $tls.clientSecretName "database.tls.clientSecretName" (include "davmesh.postgresClientCertFile" $)) "sslkey" (list $tls.clientSecretName "database.tls.clientSecretName" (include "davmesh.postgresClientKeyFile" $)) -}}
{{- range $parameter, $wiring := $files -}}
{{- $secret := index $wiring 0 -}}{{- $value := index $wiring 1 -}}{{- $path := index $wiring 2 -}}
{{- $given := regexReplaceAll "^[?&][a-z]+=" (regexFind (printf "[?&]%s=[^&]*" $parameter) $url) "" -}}
{{- if and $secret (ne $given $path) -}}
{{- fail (printf "%s is mounted at %s: database.url needs %s=%s" $value $path $parameter $path) -}}
{{- end -}}
{{- if and $given (not $secret) (hasPrefix "/etc/davmesh/postgres-" $given) -}}
{{- fail (printf "database.url's %s=%s is a file of %s, which is not set" $parameter $given $value) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The environment of a container. Call with (dict "root" $ "role" "edge"|"calendar"|"contacts"|"config"|"migrate").
*/}}
{{- define "davmesh.env" -}}
{{- $v := .root.Values -}}
- name: LOG_FORMAT
  value: json
- name: LOG_LEVEL
  value: {{ $v.logLevel | quote }}
{{- if ne .role "migrate" }}
- name: NATS_URL
  value: {{ include "davmesh.natsUrl" .root | quote }}
- name: DAVMESH_SUBJECT_PREFIX
  value: {{ $v.subjectPrefix | quote }}
- name: DAVMESH_SHUTDOWN_GRACE_SECONDS
  value: {{ $v.shutdownGraceSeconds | quote }}
- name: DAVMESH_OPS_PORT
  value: {{ $v.ops.port | quote }}
- name: DAVMESH_OPS_HOST
  value: 0.0.0.0
{{- end }}
{{- if eq .role "edge" }}
- name: HOST
  value: 0.0.0.0
- name: PORT
  value: {{ $v.edge.port | quote }}
{{- if $v.edge.tls.enabled }}
- name: DAVMESH_TLS_CERT
  value: /etc/davmesh/tls/tls.crt
- name: DAVMESH_TLS_KEY
  value: /etc/davmesh/tls/tls.key
{{- end }}
{{- else }}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "davmesh.databaseSecret" .root }}
      key: {{ .root.Values.database.secretKey }}
{{- end }}
{{- if has .role (list "calendar" "contacts" "config") }}
- name: DAVMESH_MIGRATIONS
  value: {{ ternary "wait" "run" $v.migrations.enabled }}
- name: DAVMESH_SCHEMA_WAIT_SECONDS
  value: {{ $v.migrations.schemaWaitSeconds | quote }}
- name: DAVMESH_DATABASE_PREPARED_STATEMENTS
  value: {{ ternary "on" "off" $v.database.preparedStatements | quote }}
{{- end }}
{{- if eq .role "config" }}
- name: DAVMESH_CONFIG_DIR
  value: {{ $v.configFiles.dir | quote }}
- name: DAVMESH_CONFIG_POLL_MS
  value: {{ $v.configFiles.pollMs | quote }}
{{- end }}
{{- if ne .role "migrate" }}
{{- with $v.bus.tls }}
{{- if .enabled }}
- name: NATS_TLS_CA
  value: /etc/davmesh/nats-tls/{{ .caKey }}
{{- if .certKey }}
- name: NATS_TLS_CERT
  value: /etc/davmesh/nats-tls/{{ .certKey }}
- name: NATS_TLS_KEY
  value: /etc/davmesh/nats-tls/{{ .keyKey }}
{{- end }}
{{- end }}
{{- end }}
{{- with $v.bus.auth }}
{{- if .userKey }}
- name: NATS_USER
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .userKey }}
- name: NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .passwordKey }}
{{- end }}
{{- if .nkeySeedKey }}
- name: NATS_NKEY_SEED_FILE
  value: /etc/davmesh/nats-auth/{{ .nkeySeedKey }}
{{- end }}
{{- if .credsKey }}
- name: NATS_CREDS_FILE
  value: /etc/davmesh/nats-auth/{{ .credsKey }}
{{- end }}
{{- end }}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Volume mounts and volumes of a container; same argument as davmesh.env. Empty lists render as []. */}}
{{- define "davmesh.volumeMounts" -}}
{{- $v := .root.Values -}}
{{- $mounts := list -}}
{{- if eq .role "config" }}{{- $mounts = append $mounts (dict "name" "config-files" "mountPath" $v.configFiles.dir "readOnly" true) -}}{{- end -}}
{{- if and (eq .role "edge") $v.edge.tls.enabled }}{{- $mounts = append $mounts (dict "name" "edge-tls" "mountPath" "/etc/davmesh/tls" "readOnly" true) -}}{{- end -}}
{{- if ne .role "migrate" -}}
{{- if $v.bus.tls.enabled }}{{- $mounts = append $mounts (dict "name" "nats-tls" "mountPath" "/etc/davmesh/nats-tls" "readOnly" true) -}}{{- end -}}
{{- if or $v.bus.auth.nkeySeedKey $v.bus.auth.credsKey }}{{- $mounts = append $mounts (dict "name" "nats-auth" "mountPath" "/etc/davmesh/nats-auth" "readOnly" true) -}}{{- end -}}
{{- end -}}
{{- if ne .role "edge" -}}
{{- if $v.database.tls.caSecretName }}{{- $mounts = append $mounts (dict "name" "postgres-ca" "mountPath" "/etc/davmesh/postgres-ca" "readOnly" true) -}}{{- end -}}
{{- if $v.database.tls.clientSecretName }}{{- $mounts = append $mounts (dict "name" "postgres-client" "mountPath" "/etc/davmesh/postgres-client" "readOnly" true) -}}{{- end -}}
{{- end -}}
{{- toYaml $mounts -}}
{{- end -}}

{{- define "davmesh.volumes" -}}
{{- $v := .root.Values -}}
{{- $volumes := list -}}
{{- if eq .role "config" -}}
{{- $items := list -}}
{{- range $file, $_ := $v.configFiles.properties }}{{- $items = append $items (dict "key" $file "path" $file) -}}{{- end -}}
{{- range $file, $_ := $v.configFiles.contextSets }}{{- $items = append $items (dict "key" (printf "contextSets.%s" $file) "path" (printf "contextSets/%s" $file)) -}}{{- end -}}
{{- $volumes = append $volumes (dict "name" "config-files" "configMap" (dict "name" (printf "%s-config-files" (include "davmesh.fullname" .root)) "items" $items)) -}}
{{- end -}}
{{- if and (eq .role "edge") $v.edge.tls.enabled -}}
{{- $volumes = append $volumes (dict "name" "edge-tls" "secret" (dict "secretName" $v.edge.tls.secretName)) -}}
{{- end -}}
{{- if ne .role "migrate" -}}
{{- if $v.bus.tls.enabled -}}
{{- $volumes = append $volumes (dict "name" "nats-tls" "secret" (dict "secretName" $v.bus.tls.secretName)) -}}
{{- end -}}
{{- if or $v.bus.auth.nkeySeedKey $v.bus.auth.credsKey -}}
{{- $items := list -}}
{{- with $v.bus.auth.nkeySeedKey }}{{- $items = append $items (dict "key" . "path" .) -}}{{- end -}}
{{- with $v.bus.auth.credsKey }}{{- $items = append $items (dict "key" . "path" .) -}}{{- end -}}
{{- $volumes = append $volumes (dict "name" "nats-auth" "secret" (dict "secretName" $v.bus.auth.secretName "items" $items)) -}}
{{- end -}}
{{- end -}}
{{- if ne .role "edge" -}}
{{- if $v.database.tls.caSecretName -}}
{{- $volumes = append $volumes (dict "name" "postgres-ca" "secret" (dict "secretName" $v.database.tls.caSecretName "items" (list (dict "key" $v.database.tls.caKey "path" "ca.crt")))) -}}
{{- end -}}
{{- if $v.database.tls.clientSecretName -}}
{{- $items := list (dict "key" $v.database.tls.clientCertKey "path" "tls.crt") (dict "key" $v.database.tls.clientKeyKey "path" "tls.key") -}}
{{- $volumes = append $volumes (dict "name" "postgres-client" "secret" (dict "secretName" $v.database.tls.clientSecretName "items" $items)) -}}
{{- end -}}
{{- end -}}
{{- toYaml $volumes -}}
{{- end -}}

{{/* Pod-level settings every workload shares. */}}
{{- define "davmesh.podCommon" -}}
{{- $v := .Values -}}
automountServiceAccountToken: false
{{- with $v.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
securityContext:
  {{- toYaml $v.podSecurityContext | nindent 2 }}
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
