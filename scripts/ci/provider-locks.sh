#!/usr/bin/env bash
# Produces the provider lock file of every layer for every platform CI and people run Terraform on
# (`terraform providers lock`, which downloads each provider package from the registry and records
# its hashes), writes them to <out>/<layer>.terraform.lock.hcl and compares them with the committed
# .terraform-locks/<layer>.terraform.lock.hcl. Exit 1 when one is missing or differs: commit the
# files from the `terraform-locks` artifact (docs/ci.md). Run by the pull-request workflow.
set -euo pipefail
out="${1:?usage: provider-locks.sh <out-dir>}"
mkdir -p "$out"
status=0
for layer in network cluster addons; do
  stack=$(find cdktf.out/stacks -mindepth 1 -maxdepth 1 -type d -name "*-${layer}" | sort | head -n 1)
  rm -f "${stack}/.terraform.lock.hcl"
  terraform -chdir="$stack" providers lock -no-color \
    -platform=linux_amd64 -platform=linux_arm64 -platform=darwin_amd64 -platform=darwin_arm64 -platform=windows_amd64
  cp "${stack}/.terraform.lock.hcl" "${out}/${layer}.terraform.lock.hcl"
  if ! cmp -s "${out}/${layer}.terraform.lock.hcl" ".terraform-locks/${layer}.terraform.lock.hcl"; then
    echo "::error file=.terraform-locks/${layer}.terraform.lock.hcl::the provider lock of the ${layer} layer is missing or out of date: commit it from the terraform-locks artifact"
    status=1
  fi
done
exit "$status"
