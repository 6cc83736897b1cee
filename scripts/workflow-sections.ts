/**
 * Generated parts of the GitHub Actions workflows, kept true by a test: `npm run docs` rewrites
 * them in place (between `# <name>:begin` and `# <name>:end` comment lines), and
 * `__tests__/workflows.test.ts` fails when they are stale. They come from the environments, the
 * layers and the CI role and runner names:
 * - the environment map (account, region, `<env>-plan` GitHub environment, in-VPC runner project,
 *   and whether the environment is prod) in promotion order;
 * - the plan jobs of the pull-request workflow (open plans of nonprod network and cluster stacks,
 *   held plans of prod stacks and of every add-ons stack) and its one aggregate result job;
 * - the deploy workflow's chain: per environment (promotion order) and layer, a plan job (plan
 *   role, saved plan file as a short-lived artifact, summary for the approver) and an apply job
 *   (the environment's deploy role, behind its GitHub environment) that applies exactly that file,
 *   skipped when the plan is empty.
 */
import { deployOrder } from "../environments/derived";
import type { PlatformEnvironment } from "../environments/validate";
import { runnerLabel, runnerProjectName } from "../modules/ci-runner/codebuild-runner";
import { ciRoleNames } from "../modules/github/ci-policies";
import { planEnvironmentName } from "../modules/github/github-oidc";
import { Layer, LAYERS, PLATFORM, stackName } from "../stacks/naming";
import { replaceLines } from "./readme-sections";

/** The workflow files with generated parts, relative to the repository root. */
export const WORKFLOW_FILES = [".github/workflows/deploy.yml", ".github/workflows/pull-request.yml"] as const;

/** Where a generated part begins and ends in a workflow. */
export const workflowMarkers = (name: string) => ({ begin: `# ${name}:begin`, end: `# ${name}:end` });

/** GitHub-hosted runner of the jobs that need no network path to a cluster. */
export const HOSTED_RUNNER = "ubuntu-24.04";

/**
 * Layers whose Terraform providers talk to the cluster's API server (Helm, Kubernetes): their plans
 * and applies run on the environment's in-VPC runners. The others call AWS APIs only.
 */
export const CLUSTER_LAYERS: readonly Layer[] = ["addons"];

/** How long a saved plan file lives (it holds secrets): long enough for the approvals of one run. */
export const PLAN_ARTIFACT_RETENTION_DAYS = 1;
/** How long an `errored.tfstate` of a failed apply is kept (it holds secrets too). */
export const ERRORED_STATE_RETENTION_DAYS = 3;

/**
 * Session and job limits. The deploy roles' longest session is 2 hours
 * (modules/github/github-actions-roles.ts, `maxSessionDuration`), and a job gets its credentials
 * when it starts: an apply job stops before they expire. The plan role's session is 1 hour.
 */
export const DEPLOY_SESSION_SECONDS = 7200;
export const APPLY_TIMEOUT_MINUTES = 115;
export const PLAN_SESSION_SECONDS = 3600;
export const PLAN_TIMEOUT_MINUTES = 45;

/** Name of the pull-request workflow's aggregate job: the one status check to require. */
export const RESULT_JOB_NAME = "pull-request result";

/** One environment in `PLATFORM_ENVIRONMENTS`. */
export interface WorkflowEnvironment {
  readonly account: string;
  readonly region: string;
  /** The GitHub environment whose reviewers hold a pull request's held plans of it. */
  readonly planEnvironment: string;
  /** The CodeBuild project of its in-VPC runners. */
  readonly runner: string;
  /** Prod environments: every pull-request plan of them is held. */
  readonly prod?: true;
}

/** What the workflows know of an environment. */
export function workflowEnvironment(env: PlatformEnvironment): WorkflowEnvironment {
  return {
    account: env.account.id,
    region: env.region,
    planEnvironment: planEnvironmentName(env.name),
    runner: runnerProjectName(`${PLATFORM}-${env.name}`),
    ...(env.stage === "prod" ? { prod: true as const } : {}),
  };
}

/** `PLATFORM_ENVIRONMENTS`: every environment in promotion order (4-space indent, under `env:`). */
export function environmentMapYaml(envs: readonly PlatformEnvironment[]): string {
  const entries = envs.map((e) => `${JSON.stringify(e.name)}:${JSON.stringify(workflowEnvironment(e))}`);
  const lines = entries.map((entry, i) => `    ${i === 0 ? "{" : ""}${entry}${i === entries.length - 1 ? "}" : ","}`);
  return ["  PLATFORM_ENVIRONMENTS: >-", ...lines].join("\n");
}

/** The `runs-on` of a job on one layer of one environment. */
export function runsOnFor(env: string, layer: Layer): string {
  return CLUSTER_LAYERS.includes(layer) ? runnerLabel(runnerProjectName(`${PLATFORM}-${env}`)) : HOSTED_RUNNER;
}

const pin = {
  checkout: "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
  download: "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c # v8.0.1",
  upload: "actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0",
  credentials: "aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3",
  terraform: "hashicorp/setup-terraform@dfe3c3f87815947d99a8997f908cb6525fc44e9e # v4.0.1",
  script: "actions/github-script@ed597411d8f924073f98dfc5c65a23a2325f34cd # v8.0.0",
};

/** Steps every Terraform job starts with: the CI scripts and provider locks, the synthesized stacks. */
const commonSteps = (what: string) => `      - name: Check out the CI scripts and the provider locks
        uses: ${pin.checkout}
        with:
          sparse-checkout: |
            scripts/ci
            .terraform-locks
          persist-credentials: false

      - name: Download the synthesized stacks
        uses: ${pin.download}
        with:
          name: cdktf-out
          path: cdktf.out

      - name: Set up Terraform
        uses: ${pin.terraform}
        with:
          terraform_version: \${{ env.TERRAFORM_VERSION }}
          terraform_wrapper: false
${what}`;

const credentialsStep = (label: string, role: string, account: string, region: string, session: string, seconds: number) => `
      - name: Assume the ${label}
        uses: ${pin.credentials}
        with:
          role-to-assume: arn:aws:iam::${account}:role/${role}
          role-session-name: ${session}-\${{ github.run_id }}-\${{ github.run_attempt }}
          role-duration-seconds: ${seconds}
          aws-region: ${region}
          allowed-account-ids: ${account}`;

/** Job id of the deploy workflow's plan or apply of one stack. */
export const deployJobId = (kind: "plan" | "apply", env: string, layer: Layer) => `${kind}-${stackName(env, layer)}`;

/** The plan job of one stack in the deploy workflow. */
function deployPlanJobYaml(env: string, layer: Layer, needs: string, first: boolean): string {
  const stack = stackName(env, layer);
  const map = (field: string) => `\${{ fromJSON(env.PLATFORM_ENVIRONMENTS).${env}.${field} }}`;
  return `  ${deployJobId("plan", env, layer)}:
    name: plan ${stack}
    needs: ${needs}
${first ? "" : "    # Runs after the previous stack's apply, or after its empty plan (the apply is then skipped).\n    if: ${{ !cancelled() && !failure() }}\n"}    runs-on: ${runsOnFor(env, layer)}
    timeout-minutes: ${PLAN_TIMEOUT_MINUTES}
    permissions:
      contents: read
      id-token: write
    outputs:
      changes: \${{ steps.plan.outputs.changes }}
    env:
      STACK: ${stack}
    steps:
${commonSteps(credentialsStep(`plan role of ${env}`, "${{ env.PLAN_ROLE_NAME }}", map("account"), map("region"), `plan-${env}`, PLAN_SESSION_SECONDS))}

      - name: terraform init (committed provider lock)
        run: scripts/ci/terraform-init.sh "$STACK"

      # -lock=false: the plan role writes nothing, not even a lock object. The apply takes the lock
      # and refuses this file if the state changed since (Terraform: "Saved plan is stale").
      - name: terraform plan (saved plan file)
        id: plan
        run: scripts/ci/terraform-plan.sh "$STACK"

      - name: Upload the saved plan (short-lived; it holds secrets)
        if: steps.plan.outputs.changes == 'true'
        uses: ${pin.upload}
        with:
          name: tfplan-${stack}
          path: |
            cdktf.out/stacks/${stack}/tfplan
            cdktf.out/stacks/${stack}/plan.txt
          if-no-files-found: error
          retention-days: ${PLAN_ARTIFACT_RETENTION_DAYS}`;
}

/** The apply job of one stack: exactly the plan file of the job before it, behind the environment's rules. */
function deployApplyJobYaml(env: string, layer: Layer): string {
  const stack = stackName(env, layer);
  const plan = deployJobId("plan", env, layer);
  const map = (field: string) => `\${{ fromJSON(env.PLATFORM_ENVIRONMENTS).${env}.${field} }}`;
  return `  ${deployJobId("apply", env, layer)}:
    name: apply ${stack}
    needs: ${plan}
    # Nothing to apply when the plan is empty. The protection rules of the GitHub environment
    # (required reviewers, deployment branch main) hold this job; read the plan in the run's summary.
    if: \${{ !cancelled() && !failure() && needs.${plan}.outputs.changes == 'true' }}
    environment: ${env}
    runs-on: ${runsOnFor(env, layer)}
    # One layer per job, inside the deploy role's ${DEPLOY_SESSION_SECONDS / 3600}-hour session.
    timeout-minutes: ${APPLY_TIMEOUT_MINUTES}
    permissions:
      contents: read
      id-token: write
    env:
      STACK: ${stack}
    steps:
${commonSteps(credentialsStep(`deploy role of ${env}`, ciRoleNames(PLATFORM).deploy(env), map("account"), map("region"), `deploy-${env}`, DEPLOY_SESSION_SECONDS))}

      - name: Download the reviewed plan
        uses: ${pin.download}
        with:
          name: tfplan-${stack}
          path: cdktf.out/stacks/${stack}

      - name: terraform init (committed provider lock)
        run: scripts/ci/terraform-init.sh "$STACK"

      - name: terraform apply of the saved plan
        working-directory: cdktf.out/stacks/${stack}
        run: terraform apply -input=false -no-color tfplan

      - name: Keep the state of a failed apply (errored.tfstate; see docs/runbooks/deploy-and-destroy.md)
        if: failure()
        uses: ${pin.upload}
        with:
          name: errored-tfstate-${stack}
          path: cdktf.out/stacks/${stack}/errored.tfstate
          if-no-files-found: ignore
          retention-days: ${ERRORED_STATE_RETENTION_DAYS}`;
}

/**
 * The deploy chain: environments in promotion order, each's layers in order, a plan job and an
 * apply job per stack; the first plan waits for `synth`.
 */
export function deployJobsYaml(envs: readonly PlatformEnvironment[]): string {
  const jobs: string[] = [];
  let previous = "synth";
  for (const { environment } of deployOrder(envs)) {
    for (const layer of LAYERS) {
      jobs.push(deployPlanJobYaml(environment, layer, previous, previous === "synth"), deployApplyJobYaml(environment, layer));
      previous = deployJobId("apply", environment, layer);
    }
  }
  return jobs.join("\n\n");
}

/** A plan job of the pull-request workflow. */
interface PlanJob {
  readonly id: string;
  readonly name: string;
  /** Output of the `verify` job with the matrix and the number of its entries. */
  readonly matrixOutput: string;
  readonly countOutput: string;
  /** Lines before `runs-on:` (comment and `environment:`), 4-space indented. */
  readonly head: readonly string[];
}

/** The two plan jobs: open plans (nonprod network and cluster) and plans held by a `<env>-plan` GitHub environment. */
export const PLAN_JOBS: readonly PlanJob[] = [
  {
    id: "plan",
    name: "plan ${{ matrix.stack }}",
    matrixOutput: "matrix",
    countOutput: "count",
    head: ["    # Nonprod network and cluster stacks: AWS APIs only, the account's plan role trusts pull requests."],
  },
  {
    id: "plan-protected",
    name: "plan ${{ matrix.stack }} (held)",
    matrixOutput: "protected-matrix",
    countOutput: "protected-count",
    head: [
      "    # Prod stacks, and every add-ons stack (its plan reads the add-on namespaces' Secrets, on the",
      "    # environment's in-VPC runner): the GitHub environment <env>-plan's required reviewers hold",
      "    # this job. It runs the pull request's code with that access: read the pull request (and its",
      "    # synth diff) before approving.",
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
    runs-on: \${{ matrix.runsOn }}
    timeout-minutes: ${PLAN_TIMEOUT_MINUTES}
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
${commonSteps(credentialsStep("plan role of ${{ matrix.environment }}", "${{ env.PLAN_ROLE_NAME }}", "${{ matrix.account }}", "${{ matrix.region }}", "plan", PLAN_SESSION_SECONDS))}

      # -lock=false: a plan never takes the state lock (the plan role may not write lock objects),
      # so it never blocks a deploy; what it shows may be stale by the time it is read.
      - name: terraform init and plan
        id: plan
        run: |
          set +e
          out="\${GITHUB_WORKSPACE}/plan-\${STACK}.txt"
          scripts/ci/terraform-init.sh "$STACK" > "$out" 2>&1
          code=$?
          if [ "$code" -eq 0 ]; then
            terraform -chdir="cdktf.out/stacks/\${STACK}" plan -no-color -input=false -lock=false -out plan > "$out" 2>&1
            code=$?
          fi
          cat "$out"
          echo "exitcode=\${code}" >> "$GITHUB_OUTPUT"

      - name: Upload the plan text
        id: upload
        uses: ${pin.upload}
        with:
          name: plan-\${{ matrix.stack }}
          path: plan-\${{ matrix.stack }}.txt
          if-no-files-found: error
          retention-days: 14

      - name: Comment the plan on the pull request
        uses: ${pin.script}
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

/**
 * The one job to require in branch protection: it reports on every pull request (matrix job names
 * change with the stacks a pull request touches) and fails when any job before it failed or was
 * cancelled.
 */
export function resultJobYaml(): string {
  const needs = ["verify", ...PLAN_JOBS.map((j) => j.id)];
  return `  result:
    name: ${RESULT_JOB_NAME}
    needs: [${needs.join(", ")}]
    if: always()
    runs-on: ${HOSTED_RUNNER}
    timeout-minutes: 5
    steps:
      - name: Every job succeeded or had nothing to do
        env:
          NEEDS: \${{ toJSON(needs) }}
        run: |
          echo "$NEEDS" | jq -r 'to_entries[] | "\\(.key): \\(.value.result)"'
          echo "$NEEDS" | jq -e '.verify.result == "success" and (to_entries | all(.value.result == "success" or .value.result == "skipped"))' > /dev/null`;
}

/** The plan jobs and the result job of the pull-request workflow. */
export function planJobsYaml(): string {
  return [...PLAN_JOBS.map(planJobYaml), resultJobYaml()].join("\n\n");
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
