// @ts-check
/**
 * Helpers of `.github/workflows/pull-request.yml`, loaded with `require("./scripts/ci/pr-comment.cjs")`
 * from `actions/github-script` steps (plain CommonJS: that action cannot run TypeScript). The pure
 * functions are tested in `__tests__/workflows.test.ts`.
 *
 * - `planMatrix`: which synthesized stacks a pull request changes, as a job matrix; `splitPlans`:
 *   which of them run at once and which are held by their `<env>-plan` GitHub environment.
 * - `stalePlanComments`: plan comments of stacks the pull request no longer changes.
 * - `synthDiffComment` / `planComment`: the bodies of the pull request comments.
 * - `upsertComment`: one comment per marker, updated in place on every push.
 */

/** GitHub refuses comments longer than this. */
const MAX_COMMENT_CHARS = 65536;

/** Layers of an environment in deploy order (stacks are `<env>-<layer>`). */
const LAYERS = ["network", "cluster", "addons"];

/** Hidden marker of the synth diff comment. */
const SYNTH_DIFF_MARKER = "<!-- eks-idp:synth-diff -->";

/**
 * Hidden marker of one stack's plan comment.
 * @param {string} stack
 */
function planMarker(stack) {
  return `<!-- eks-idp:plan:${stack} -->`;
}

/**
 * The stacks to plan: those the synth diff reports as added or changed, with the account and region
 * of their environment. Bootstrap stacks (local state, applied by hand) and stacks of unknown
 * environments are returned in `skipped`.
 *
 * @param {{ stacks: readonly { stack: string; status: string }[] }} report the `--format json` synth diff
 * @param {Record<string, { account: string; region: string }>} environments account and region by environment
 * @returns {{ include: { stack: string; environment: string; layer: string; account: string; region: string }[]; skipped: string[] }}
 */
function planMatrix(report, environments) {
  const order = Object.keys(environments);
  /** @type {{ stack: string; environment: string; layer: string; account: string; region: string }[]} */
  const include = [];
  /** @type {string[]} */
  const skipped = [];
  for (const { stack, status } of report.stacks) {
    if (status !== "added" && status !== "changed") continue;
    const match = /^(.+)-(network|cluster|addons)$/.exec(stack);
    const target = match ? environments[match[1]] : undefined;
    if (!match || !target) {
      skipped.push(stack);
      continue;
    }
    include.push({ stack, environment: match[1], layer: match[2], account: target.account, region: target.region });
  }
  include.sort(
    (a, b) => order.indexOf(a.environment) - order.indexOf(b.environment) || LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer),
  );
  return { include, skipped };
}

/** Layers whose plans talk to the cluster (Helm, Kubernetes providers): held, on the in-VPC runner. */
const CLUSTER_LAYERS = ["addons"];
/** GitHub-hosted runner of the plans that call AWS APIs only. */
const HOSTED_RUNNER = "ubuntu-24.04";

/**
 * Splits the stacks to plan: `open` plans (nonprod network and cluster stacks, GitHub-hosted) run
 * at once; `held` plans (every stack of a prod environment, and every add-ons stack, whose plan
 * reads the add-on namespaces' Secrets) wait for the reviewers of the environment's `<env>-plan`
 * GitHub environment. Add-ons plans run on the environment's in-VPC CodeBuild runner (label
 * `codebuild-<project>-<run id>-<run attempt>`), the only network path to its API server.
 *
 * @param {{ stack: string; environment: string; layer: string; account: string; region: string }[]} include from `planMatrix`
 * @param {Record<string, { planEnvironment: string; runner: string; prod?: boolean }>} environments
 * @param {{ runId: string | number; runAttempt: string | number }} run
 */
function splitPlans(include, environments, run) {
  const withRunner = include.map((s) => {
    const env = environments[s.environment];
    const inVpc = CLUSTER_LAYERS.includes(s.layer);
    return { ...s, runsOn: inVpc ? `codebuild-${env.runner}-${run.runId}-${run.runAttempt}` : HOSTED_RUNNER, held: inVpc || env.prod === true };
  });
  const strip = ({ held, ...rest }) => rest;
  return {
    open: withRunner.filter((s) => !s.held).map(strip),
    held: withRunner.filter((s) => s.held).map((s) => ({ ...strip(s), planEnvironment: environments[s.environment].planEnvironment })),
  };
}

/** Hidden marker that a plan comment was marked as no longer current. */
const STALE_MARKER = "<!-- eks-idp:plan-stale -->";

/**
 * The plan comments (written by a bot) of stacks that this run does not plan, i.e. stacks the pull
 * request no longer changes, and that are not marked yet.
 * @param {readonly { id: number; body?: string; user?: { type?: string } }[]} comments
 * @param {readonly string[]} planned stacks planned by this run
 * @returns {{ id: number; stack: string }[]}
 */
function stalePlanComments(comments, planned) {
  /** @type {{ id: number; stack: string }[]} */
  const stale = [];
  for (const c of comments) {
    if (c.user?.type !== "Bot" || typeof c.body !== "string" || c.body.includes(STALE_MARKER)) continue;
    const m = /^<!-- eks-idp:plan:(\S+) -->/.exec(c.body);
    if (m && !planned.includes(m[1])) stale.push({ id: c.id, stack: m[1] });
  }
  return stale;
}

/**
 * The body that replaces the plan comment of a stack the pull request no longer changes.
 * @param {{ stack: string; runUrl: string }} input
 */
function stalePlanComment({ stack, runUrl }) {
  return [
    planMarker(stack),
    STALE_MARKER,
    `### \`${stack}\`: no longer changed by this pull request`,
    "",
    `The latest push leaves \`${stack}\` as it is on the base branch, so it was not planned ([run](${runUrl})). The plan that was here is out of date.`,
  ].join("\n");
}

/**
 * Marks the plan comments of stacks no longer changed (see `stalePlanComments`).
 * @param {{ github: any; context: any; planned: readonly string[]; runUrl: string }} input
 * @returns {Promise<string[]>} the stacks whose comments were marked
 */
async function markStalePlanComments({ github, context, planned, runUrl }) {
  const issue = { owner: context.repo.owner, repo: context.repo.repo, issue_number: context.issue.number };
  const comments = await github.paginate(github.rest.issues.listComments, { ...issue, per_page: 100 });
  const stale = stalePlanComments(comments, planned);
  for (const { id, stack } of stale) {
    await github.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: id, body: stalePlanComment({ stack, runUrl }) });
  }
  return stale.map((s) => s.stack);
}

/**
 * Cuts `text` to at most `max` characters.
 * @param {string} text
 * @param {number} max
 * @param {"head" | "tail"} keep which end to keep
 * @returns {{ text: string; truncated: number }} the text and how many characters were cut
 */
function truncate(text, max, keep = "head") {
  if (text.length <= max) return { text, truncated: 0 };
  return { text: keep === "head" ? text.slice(0, max) : text.slice(text.length - max), truncated: text.length - max };
}

/**
 * A fenced code block whose fence is longer than any run of backticks in `text`.
 * @param {string} text
 * @param {string} [language]
 */
function codeBlock(text, language = "") {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${language}\n${text.replace(/\n+$/, "")}\n${fence}`;
}

/**
 * The synth diff comment: the markdown report, cut to fit a comment.
 * @param {{ markdown: string; runUrl: string }} input
 */
function synthDiffComment({ markdown, runUrl }) {
  const header = `${SYNTH_DIFF_MARKER}\n`;
  const footer = `\n\n---\n<sub>Offline diff of the synthesized Terraform JSON against the base branch ([run](${runUrl}), artifact \`synth-diff\`). Updated on every push.</sub>`;
  const note = `\n\n> **Truncated**: the full report is the \`synth-diff\` artifact of [this run](${runUrl}).`;
  const room = MAX_COMMENT_CHARS - header.length - footer.length - note.length;
  const cut = truncate(markdown.trim(), room);
  return `${header}${cut.text}${cut.truncated > 0 ? note : ""}${footer}`;
}

/**
 * The summary line of a `terraform plan` output: `Plan: 1 to add, 0 to change, 0 to destroy.`,
 * `No changes. …`, or a short note when neither is there.
 * @param {string} planText
 */
function planSummary(planText) {
  const plan = /^Plan: .+$/m.exec(planText);
  if (plan) return plan[0].trim();
  const none = /^No changes\..*$/m.exec(planText);
  if (none) return none[0].trim();
  if (/^Changes to Outputs:/m.test(planText)) return "Only output values change.";
  return "No summary line found: read the plan below.";
}

/**
 * One stack's plan comment: the summary line, then the plan (its start; the end when it failed),
 * cut to `maxPlanChars` with a link to the full text in the run's artifact.
 *
 * @param {{ stack: string; planText: string; exitCode: number; artifactUrl?: string; runUrl: string; maxPlanChars?: number }} input
 */
function planComment({ stack, planText, exitCode, artifactUrl, runUrl, maxPlanChars = 50000 }) {
  const failed = exitCode !== 0;
  const full = artifactUrl ? `[full plan](${artifactUrl})` : `the \`plan-${stack}\` artifact of [this run](${runUrl})`;
  const cut = truncate(planText.trim(), Math.min(maxPlanChars, MAX_COMMENT_CHARS - 2000), failed ? "tail" : "head");
  const title = failed
    ? `### ❌ \`${stack}\`: terraform plan failed (exit code ${exitCode})`
    : `### \`${stack}\`: ${planSummary(planText)}`;
  const truncatedNote =
    cut.truncated > 0 ? `\n\n> **Truncated** (${cut.truncated} characters ${failed ? "before" : "after"} this): see ${full}.` : "";
  return [
    planMarker(stack),
    title,
    "",
    `<details${failed ? " open" : ""}><summary>terraform plan output</summary>`,
    "",
    codeBlock(cut.text, failed ? "" : "terraform"),
    "",
    "</details>",
    truncatedNote,
    "",
    `<sub>\`terraform plan -lock=false\` with the read-only plan role ([run](${runUrl})). Updated on every push.</sub>`,
  ].join("\n");
}

/**
 * Creates the pull request comment that carries `marker`, or updates it in place.
 * @param {{ github: any; context: any; marker: string; body: string }} input `github`/`context` of actions/github-script
 * @returns {Promise<"created" | "updated">}
 */
async function upsertComment({ github, context, marker, body }) {
  const issue = { owner: context.repo.owner, repo: context.repo.repo, issue_number: context.issue.number };
  /** @type {{ id: number; body?: string; user?: { type?: string } }[]} */
  const comments = await github.paginate(github.rest.issues.listComments, { ...issue, per_page: 100 });
  const previous = comments.find((c) => c.user?.type === "Bot" && typeof c.body === "string" && c.body.includes(marker));
  if (previous) {
    await github.rest.issues.updateComment({ owner: issue.owner, repo: issue.repo, comment_id: previous.id, body });
    return "updated";
  }
  await github.rest.issues.createComment({ ...issue, body });
  return "created";
}

module.exports = {
  CLUSTER_LAYERS,
  HOSTED_RUNNER,
  LAYERS,
  STALE_MARKER,
  markStalePlanComments,
  splitPlans,
  stalePlanComment,
  stalePlanComments,
  MAX_COMMENT_CHARS,
  SYNTH_DIFF_MARKER,
  codeBlock,
  planComment,
  planMarker,
  planMatrix,
  planSummary,
  synthDiffComment,
  truncate,
  upsertComment,
};
