/**
 * Generated parts of the GitHub Actions workflows, kept true by a test: `npm run docs` rewrites
 * them in place (between `# <name>:begin` and `# <name>:end` comment lines), and
 * `__tests__/workflows.test.ts` fails when they are stale. They come from the environments and the
 * CI role names: the environment map (account and region per environment, in promotion order, and
 * the GitHub environment that holds the plans of a prod environment), one deploy job per
 * environment with that environment's deploy role, each after the one before it in promotion order,
 * and the two plan jobs of the pull-request workflow (pull-request plans, and held plans of prod
 * environments).
 */
import { deployOrder } from "../environments/derived";
import type { PlatformEnvironment } from "../environments/validate";
import { ciRoleNames } from "../modules/github/ci-policies";
import { planEnvironmentName } from "../modules/github/github-oidc";
import { LAYERS, PLATFORM, stackName } from "../stacks/naming";
import { replaceLines } from "./readme-sections";

/** The workflow files with generated parts, relative to the repository root. */
export const WORKFLOW_FILES = [".github/workflows/deploy.yml", ".github/workflows/pull-request.yml"] as const;

/** Where a generated part begins and ends in a workflow. */
export const workflowMarkers = (name: string) => ({ begin: `# ${name}:begin`, end: `# ${name}:end` });

/** One environment in `PLATFORM_ENVIRONMENTS`. */
export interface WorkflowEnvironment {
  readonly account: string;
  readonly region: string;
  /** Prod environments only: the GitHub environment whose reviewers hold a pull request's plan of it. */
  readonly planEnvironment?: string;
}

/** What the workflows know of an environment. */
export function workflowEnvironment(env: PlatformEnvironment): WorkflowEnvironment {
  return {
    account: env.account.id,
    region: env.region,
    ...(env.stage === "prod" ? { planEnvironment: planEnvironmentName(env.name) } : {}),
  };
}

/** `PLATFORM_ENVIRONMENTS`: every environment in promotion order (4-space indent, under `env:`). */
export function environmentMapYaml(envs: readonly PlatformEnvironment[]): string {
  const entries = envs.map((e) => `${JSON.stringify(e.name)}:${JSON.stringify(workflowEnvironment(e))}`);
  const lines = entries.map((entry, i) => `    ${i === 0 ? "{" : ""}${entry}${i === entries.length - 1 ? "}" : ","}`);
  return ["  PLATFORM_ENVIRONMENTS: >-", ...lines].join("\n");
}

/** The deploy job of one environment: its layers in order, with the environment's own deploy role. */
function deployJobYaml(env: string, needs: string): string {
  const map = (field: string) => `\${{ fromJSON(env.PLATFORM_ENVIRONMENTS).${env}.${field} }}`;
  const applies = LAYERS.map(
    (layer) => `
      - name: Apply ${stackName(env, layer)}
        working-directory: cdktf.out/stacks/${stackName(env, layer)}
        run: terraform init -input=false -no-color && terraform apply -auto-approve -input=false -no-color`,
  ).join("\n");
  return `  ${env}:
    name: deploy ${env}
    needs: ${needs}
    runs-on: ubuntu-24.04
    timeout-minutes: 180
    # The protection rules of the GitHub environment (required reviewers, deployment branch main)
    # hold this job until they are met; the environment's deploy role trusts this environment only.
    environment: ${env}
    concurrency:
      group: deploy-${env}
      cancel-in-progress: false
    permissions:
      contents: read
      id-token: write
    steps:
      - name: Download the synthesized stacks
        uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1
        with:
          name: cdktf-out
          path: cdktf.out

      - name: Assume the deploy role of ${env}
        uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: arn:aws:iam::${map("account")}:role/${ciRoleNames(PLATFORM).deploy(env)}
          role-session-name: deploy-${env}-\${{ github.run_id }}-\${{ github.run_attempt }}
          role-duration-seconds: 7200
          aws-region: ${map("region")}
          allowed-account-ids: ${map("account")}

      - name: Set up Terraform
        uses: hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1
        with:
          terraform_version: \${{ env.TERRAFORM_VERSION }}
          terraform_wrapper: false
${applies}`;
}

/** One deploy job per environment in promotion order; the first waits for `synth`. */
export function deployJobsYaml(envs: readonly PlatformEnvironment[]): string {
  return deployOrder(envs)
    .map((step) => deployJobYaml(step.environment, step.after ?? "synth"))
    .join("\n\n");
}

/** A plan job of the pull-request workflow: one matrix entry per changed stack, planned read-only without a lock. */
interface PlanJob {
  readonly id: string;
  readonly name: string;
  /** Output of the `verify` job with the matrix and the number of its entries. */
  readonly matrixOutput: string;
  readonly countOutput: string;
  /** Lines before `runs-on:` (comment and `environment:`), 4-space indented. */
  readonly head: readonly string[];
}

/** The two plan jobs: pull-request plans (nonprod accounts) and plans held by a `<env>-plan` GitHub environment (prod). */
export const PLAN_JOBS: readonly PlanJob[] = [
  {
    id: "plan",
    name: "plan ${{ matrix.stack }}",
    matrixOutput: "matrix",
    countOutput: "count",
    head: ["    # Nonprod stacks: the plan role of a nonprod account trusts this repository's pull requests."],
  },
  {
    id: "plan-protected",
    name: "plan ${{ matrix.stack }} (held)",
    matrixOutput: "protected-matrix",
    countOutput: "protected-count",
    head: [
      "    # Prod stacks: the prod plan role trusts only the GitHub environment <env>-plan, whose required",
      "    # reviewers hold this job. It runs the pull request's code with read access to prod: read the",
      "    # pull request (and its synth diff) before approving.",
      "    environment: ${{ matrix.planEnvironment }}",
    ],
  },
];

function planJobYaml(job: PlanJob): string {
  return `  ${job.id}:
    name: ${job.name}
    needs: verify
    # No OIDC token for pull requests from forks: they get the synth diff only.
    if: needs.verify.outputs.${job.countOutput} != '0' && github.event.pull_request.head.repo.full_name == github.repository
${job.head.join("\n")}
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    permissions:
      contents: read
      id-token: write
      pull-requests: write
    strategy:
      fail-fast: false
      max-parallel: 4
      matrix: \${{ fromJSON(needs.verify.outputs.${job.matrixOutput}) }}
    env:
      STACK: \${{ matrix.stack }}
    steps:
      - name: Check out the comment helper
        uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
        with:
          sparse-checkout: scripts/ci
          persist-credentials: false

      - name: Download the synthesized stacks
        uses: actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1
        with:
          name: cdktf-out
          path: cdktf.out

      - name: Assume the plan role of \${{ matrix.environment }}
        uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3
        with:
          role-to-assume: arn:aws:iam::\${{ matrix.account }}:role/\${{ env.PLAN_ROLE_NAME }}
          role-session-name: plan-\${{ github.run_id }}-\${{ github.run_attempt }}
          role-duration-seconds: 3600
          aws-region: \${{ matrix.region }}
          allowed-account-ids: \${{ matrix.account }}

      - name: Set up Terraform
        uses: hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1
        with:
          terraform_version: \${{ env.TERRAFORM_VERSION }}
          terraform_wrapper: false

      # -lock=false: a plan never takes the state lock (the plan role may not write lock objects),
      # so it never blocks a deploy; what it shows may be stale by the time it is read.
      - name: terraform init and plan
        id: plan
        working-directory: cdktf.out/stacks/\${{ matrix.stack }}
        run: |
          set +e
          out="\${GITHUB_WORKSPACE}/plan-\${STACK}.txt"
          terraform init -input=false -no-color > "$out" 2>&1
          code=$?
          if [ "$code" -eq 0 ]; then
            terraform plan -no-color -input=false -lock=false -out plan > "$out" 2>&1
            code=$?
          fi
          cat "$out"
          echo "exitcode=\${code}" >> "$GITHUB_OUTPUT"

      - name: Upload the plan text
        id: upload
        uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0
        with:
          name: plan-\${{ matrix.stack }}
          path: plan-\${{ matrix.stack }}.txt
          if-no-files-found: error
          retention-days: 14

      - name: Comment the plan on the pull request
        uses: actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd # v8.0.0
        env:
          PLAN_EXIT_CODE: \${{ steps.plan.outputs.exitcode }}
          ARTIFACT_URL: \${{ steps.upload.outputs.artifact-url }}
        with:
          script: |
            const fs = require("node:fs");
            const ci = require("./scripts/ci/pr-comment.cjs");
            const stack = process.env.STACK;
            const runUrl = \`\${context.serverUrl}/\${context.repo.owner}/\${context.repo.repo}/actions/runs/\${context.runId}\`;
            const body = ci.planComment({
              stack,
              planText: fs.readFileSync(\`plan-\${stack}.txt\`, "utf8"),
              exitCode: Number(process.env.PLAN_EXIT_CODE),
              artifactUrl: process.env.ARTIFACT_URL,
              runUrl,
            });
            core.info(\`plan comment \${await ci.upsertComment({ github, context, marker: ci.planMarker(stack), body })}\`);

      - name: Fail when the plan failed
        if: steps.plan.outputs.exitcode != '0'
        env:
          PLAN_EXIT_CODE: \${{ steps.plan.outputs.exitcode }}
        run: |
          echo "::error::terraform plan of \${STACK} failed (exit code \${PLAN_EXIT_CODE})"
          exit 1`;
}

/** The plan jobs of the pull-request workflow. */
export function planJobsYaml(): string {
  return PLAN_JOBS.map(planJobYaml).join("\n\n");
}

/** A workflow with its generated parts brought up to date (parts it does not have are left alone). */
export function renderWorkflow(document: string, envs: readonly PlatformEnvironment[]): string {
  const parts: Record<string, string> = {
    environments: environmentMapYaml(envs),
    "deploy-jobs": deployJobsYaml(envs),
    "plan-jobs": planJobsYaml(),
  };
  return Object.entries(parts).reduce((doc, [name, body]) => {
    const { begin, end } = workflowMarkers(name);
    return doc.includes(begin) ? replaceLines(doc, begin, end, body) : doc;
  }, document);
}
