#!/usr/bin/env bash
# The GitHub Action's scan step: ONE surveyor run writes SARIF (for upload),
# JSON (for the step outputs), Markdown (for the job summary) and workflow
# annotations (on stdout, where the runner reads them).
#
# Inputs arrive as INPUT_* variables (INPUT_PATHS, INPUT_FAIL_ON,
# INPUT_SARIF_FILE, INPUT_EXTRA_ARGS, INPUT_AWS, INPUT_CATEGORY); results
# leave through $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY. Paths and extra
# arguments are split on whitespace: a path containing a space cannot be given.
#
# Exit status: 0 when the scan ran (findings or not; the exit-code output says
# which, so the SARIF upload can run before the job fails), 2 when it could not.
set -euo pipefail

workspace="${GITHUB_WORKSPACE:-$PWD}"
scratch="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/surveyor-action.$$"
mkdir -p "$scratch"
cd "$workspace"

sarif="${INPUT_SARIF_FILE:-surveyor.sarif}"
json="$scratch/results.json"
summary="$scratch/summary.md"

read -r -d '' -a paths <<<"${INPUT_PATHS-.}" || true
read -r -d '' -a extra <<<"${INPUT_EXTRA_ARGS:-}" || true

args=(scan)
if [ "${INPUT_AWS:-false}" = "true" ]; then
  args+=(--aws)
fi
if [ -n "${INPUT_FAIL_ON:-}" ]; then
  args+=(--fail-on "$INPUT_FAIL_ON")
fi
# upload-sarif's category does not replace an id already in the SARIF, so
# surveyor writes the requested one itself.
if [ -n "${INPUT_CATEGORY:-}" ]; then
  args+=(--sarif-category "$INPUT_CATEGORY")
fi
args+=(
  --format sarif --output "$sarif"
  --format json --output "$json"
  --format markdown --output "$summary"
  --format github
)
args+=("${extra[@]}" "${paths[@]}")

echo "surveyor ${args[*]}" >&2
set +e
surveyor "${args[@]}"
code=$?
set -e

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then
    echo "$1=$2" >>"$GITHUB_OUTPUT"
  fi
}

output exit-code "$code"
if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
  echo "::error title=surveyor::the scan could not run (exit $code); see the log above"
  exit "$code"
fi

output sarif-file "$sarif"

# The job summary takes at most 1 MiB per step; a longer report is cut.
if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$summary" ]; then
  limit=1000000
  if [ "$(wc -c <"$summary")" -gt "$limit" ]; then
    head -c "$limit" "$summary" >>"$GITHUB_STEP_SUMMARY"
    printf '\n\n_Summary cut at 1 MB; the JSON and SARIF files hold every result._\n' \
      >>"$GITHUB_STEP_SUMMARY"
  else
    cat "$summary" >>"$GITHUB_STEP_SUMMARY"
  fi
fi

# Counts come from the JSON written by the same run: findings are FAIL and ERROR.
python3 - "$json" <<'PY' | while IFS= read -r line; do output "${line%%=*}" "${line#*=}"; done
import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    results = json.load(handle)["results"]
findings = [r for r in results if r["status"] in ("FAIL", "ERROR")]
print(f"findings={len(findings)}")
for severity in ("critical", "high", "medium", "low", "info"):
    print(f"{severity}={sum(1 for r in findings if r['severity'] == severity)}")
print(f"suppressed={sum(1 for r in results if r['status'] == 'SUPPRESSED')}")
PY

rm -rf "$scratch"
exit 0
