#!/usr/bin/env bash
# `serverless invoke local` of every AWS function, offline and without credentials, on the packaged
# configuration (the example is packaged in dry-run mode): what a Serverless user tries first, run in
# CI (.ci/run). Each invocation must answer what its comment says; docs/operations.md explains them.
set -euo pipefail
cd "$(dirname "$0")/.."
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_PROFILE
out="$(mktemp)"

invoke() { # FUNCTION EXPECTED-TEXT serverless-args…
  local fn="$1" expected="$2"; shift 2
  if ! npx --no-install serverless invoke local -f "$fn" "$@" >"$out" 2>&1 || ! grep -q -- "$expected" "$out"; then
    cat "$out"; echo "invoke local -f $fn: expected $expected" >&2; exit 1
  fi
  echo "invoke local -f $fn: ok ($expected)"
}

event="$(tr -d '\n' < examples/events/guardduty-s3-exfiltration.json)"
# manual: the plan of a GuardDuty finding (never acts).
invoke manual '"command": "plan"' -d "{\"command\":\"plan\",\"event\":$event}"
# manual: a by-hand containment, dry run (nothing is read or changed).
invoke manual '"outcome": "skipped-dry-run"' -d '{"command":"contain","target":{"principal":"arn:aws:iam::111122223333:role/llm-finetune-role","stores":["models-prod"]},"incidentId":"ir-local-001","approver":"ci","reason":"invoke local"}'
# contain: the EventBridge target on the same finding, dry run.
invoke contain '"status": "dry-run"' -p examples/events/guardduty-s3-exfiltration.json
# evidenceJob: a job still running is left alone (a finished one is read with DescribeJob, online).
invoke evidenceJob '"status": "ignored"' -d "$(sed 's/"Complete"/"Active"/' examples/events/s3-batch-job-status.json | tr -d '\n')"
# scan: it reads the log object from S3 (online); offline, a delivery that names none is rejected.
invoke scan '"rejected"' -d '{"detail-type":"Object Created","source":"aws.s3","detail":{}}'
# findings: offline the function knows no account of its own, so even a well-formed handover is
# rejected and nothing reaches Security Hub.
invoke findings '"rejected"' -p examples/events/tourniquet-incident-finding.json
rm -f "$out"
