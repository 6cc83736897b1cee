#!/usr/bin/env bash
# The deploy workflow's plan of one stack: a saved plan file (`tfplan`) and its text (`plan.txt`),
# the output `changes=true|false` for the apply job, and the plan's summary line and text in the
# job summary, where the approver of the apply reads it. Exit codes of `-detailed-exitcode`:
# 0 = no changes, 2 = changes, 1 = error.
set -euo pipefail
stack="${1:?usage: terraform-plan.sh <stack>}"
dir="cdktf.out/stacks/${stack}"
set +e
terraform -chdir="$dir" plan -input=false -no-color -lock=false -detailed-exitcode -out=tfplan
code=$?
set -e
case "$code" in
  0) changes=false ;;
  2) changes=true ;;
  *) echo "::error::terraform plan of ${stack} failed (exit code ${code})"; exit "$code" ;;
esac
terraform -chdir="$dir" show -no-color tfplan > "${dir}/plan.txt"
echo "changes=${changes}" >> "$GITHUB_OUTPUT"
summary=$(grep -m 1 -E '^(Plan: |No changes\.|Changes to Outputs:)' "${dir}/plan.txt" || echo "see the plan below")
{
  echo "### \`${stack}\`: ${summary}"
  if [ "$changes" = true ]; then
    echo
    echo "<details><summary>terraform plan (the apply job applies exactly this file)</summary>"
    echo
    echo '````'
    head -c 60000 "${dir}/plan.txt"
    echo
    echo '````'
    echo "</details>"
  else
    echo
    echo "Nothing to apply: the apply job is skipped."
  fi
} >> "$GITHUB_STEP_SUMMARY"
