// @ts-check
/**
 * Helpers of `.github/workflows/pull-request.yml`, loaded with `require("./scripts/ci/pr-comment.cjs")`
 * from `actions/github-script` steps (plain CommonJS: that action cannot run TypeScript). The pure
 * functions are tested in `__tests__/workflows.test.ts`.
 *
 * - `planMatrix`: which synthesized stacks a pull request changes, as a job matrix.
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
  LAYERS,
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
