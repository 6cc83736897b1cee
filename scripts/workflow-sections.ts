/**
 * Generated parts of the GitHub Actions workflows, kept true by a test: `npm run docs` rewrites
 * them in place (between `# <name>:begin` and `# <name>:end` comment lines), and
 * `__tests__/workflows.test.ts` fails when they are stale. Everything in them comes from the
 * environments: the environment map (account and region per environment, in promotion order) and
 * one deploy job per environment, each after the one before it in promotion order.
 */
import { deployOrder } from "../environments/derived";
import type { PlatformEnvironment } from "../environments/validate";
import { LAYERS, stackName } from "../stacks/naming";
import { replaceLines } from "./readme-sections";

/** The workflow files with generated parts, relative to the repository root. */
export const WORKFLOW_FILES = [".github/workflows/deploy.yml", ".github/workflows/pull-request.yml"] as const;

/** Where a generated part begins and ends in a workflow. */
export const workflowMarkers = (name: string) => ({ begin: `# ${name}:begin`, end: `# ${name}:end` });

/** `PLATFORM_ENVIRONMENTS`: account and region of every environment, in promotion order (4-space indent, under `env:`). */
export function environmentMapYaml(envs: readonly PlatformEnvironment[]): string {
  const entries = envs.map((e) => `${JSON.stringify(e.name)}:${JSON.stringify({ account: e.account.id, region: e.region })}`);
  const lines = entries.map((entry, i) => `    ${i === 0 ? "{" : ""}${entry}${i === entries.length - 1 ? "}" : ","}`);
  return ["  PLATFORM_ENVIRONMENTS: >-", ...lines].join("\n");
}

/** The deploy job of one environment: its layers in order, with the deploy role of its account. */
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
    # hold this job until they are met; the deploy role of the account trusts this environment only.
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
          role-to-assume: arn:aws:iam::${map("account")}:role/\${{ env.DEPLOY_ROLE_NAME }}
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

/** A workflow with its generated parts brought up to date (parts it does not have are left alone). */
export function renderWorkflow(document: string, envs: readonly PlatformEnvironment[]): string {
  const parts: Record<string, string> = { environments: environmentMapYaml(envs), "deploy-jobs": deployJobsYaml(envs) };
  return Object.entries(parts).reduce((doc, [name, body]) => {
    const { begin, end } = workflowMarkers(name);
    return doc.includes(begin) ? replaceLines(doc, begin, end, body) : doc;
  }, document);
}
