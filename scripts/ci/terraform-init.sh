#!/usr/bin/env bash
# terraform init of one synthesized stack (cdktf.out/stacks/<stack>) with the committed provider
# lock of its layer, .terraform-locks/<layer>.terraform.lock.hcl: `-lockfile=readonly` verifies
# every downloaded provider against the committed hashes and refuses to change the lock.
# The lock files are produced by CI (scripts/ci/provider-locks.sh, docs/ci.md), never by hand.
set -euo pipefail
stack="${1:?usage: terraform-init.sh <stack>}"
layer="${stack##*-}"
lock=".terraform-locks/${layer}.terraform.lock.hcl"
if [ ! -f "$lock" ]; then
  echo "::error file=${lock}::${lock} is missing: commit the file from the terraform-locks artifact of the pull-request workflow (docs/ci.md, provider locks)"
  exit 1
fi
cp "$lock" "cdktf.out/stacks/${stack}/.terraform.lock.hcl"
terraform -chdir="cdktf.out/stacks/${stack}" init -input=false -no-color -lockfile=readonly
