/**
 * The names the CI docs and the runbooks spell out are those the code creates: Terraform addresses,
 * Kubernetes objects of Keycloak, IAM roles, workflow job, artifact and check names, the runner
 * project, the lock files and the state lock object, `update-kubeconfig` context names, and the
 * keys of the LDAP example. (Commands, npm scripts and stack names: docs-commands.test.ts.)
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DATABASE_SECRET_REFRESH } from "../addons/keycloak";
import { KEYCLOAK_FULLNAME } from "../addons/keycloak/values";
import { RELOADER_CHART, RELOADER_SECRET_ANNOTATION } from "../addons/reloader/chart";
import { environmentSchema } from "../environments/schema";
import { runnerProjectName } from "../modules/ci-runner/codebuild-runner";
import { LAYERS, PLATFORM, stateKey } from "../stacks/naming";
import { deployJobId, ERRORED_STATE_RETENTION_DAYS, PLAN_ARTIFACT_RETENTION_DAYS, RESULT_JOB_NAME } from "../scripts/workflow-sections";
import { platform, resources, synth } from "./support/platform";

const root = resolve(__dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const restore = read("docs/runbooks/restore.md");
const deployRunbook = read("docs/runbooks/deploy-and-destroy.md");
const ci = read("docs/ci.md");
const auth = read("docs/auth.md");
const readme = read("README.md");
const deployWorkflow = read(".github/workflows/deploy.yml");
const prWorkflow = read(".github/workflows/pull-request.yml");

const { envs, stacks } = platform();
const addons = envs.map((env) => ({ env, json: synth(stacks.environments[env.name]!.addons) }));

/** The objects Keycloak's releases create in its namespace: from the chart values and the platform-resources releases. */
function keycloakObjects(json: ReturnType<typeof synth>): { namespace: string; names: Map<string, Set<string>> } {
  const releases = Object.values(resources(json, "helm_release")) as any[];
  const keycloak = releases.find((r) => r.chart === "keycloakx")!;
  const values = parse(keycloak.values[0]);
  const names = new Map<string, Set<string>>();
  const add = (kind: string, name: string) => names.set(kind, (names.get(kind) ?? new Set()).add(name));
  add("statefulset", values.fullnameOverride);
  add("svc", `${values.fullnameOverride}-http`);
  add("pod", `${values.fullnameOverride}-0`);
  for (const r of releases.filter((x) => x.namespace === keycloak.namespace && String(x.chart).includes("platform-resources"))) {
    for (const o of (parse(r.values[0]).resources ?? []) as any[]) {
      add(o.kind.toLowerCase(), o.metadata.name);
      if (o.kind === "ExternalSecret") add("secret", o.spec.target?.name ?? o.metadata.name);
    }
  }
  return { namespace: keycloak.namespace, names };
}

describe("the restore runbook names what the add-ons stack creates", () => {
  it("the Terraform address of Keycloak's database exists in every environment's add-ons stack", () => {
    const addresses = [...new Set([...restore.matchAll(/'(aws_db_instance\.[\w-]+)'/g)].map((m) => m[1]!))];
    expect(addresses.length).toBeGreaterThan(0);
    for (const { env, json } of addons) {
      for (const address of addresses) expect(Object.keys(resources(json, "aws_db_instance")).map((id) => `aws_db_instance.${id}`), `${env.name}: ${address}`).toContain(address);
    }
  });

  it("every `kubectl -n keycloak` object of the runbooks and docs/auth.md exists (kind and name)", () => {
    const lines = [restore, auth].flatMap((doc) => doc.split("\n")).filter((l) => /kubectl -n keycloak /.test(l));
    expect(lines.length).toBeGreaterThan(3);
    for (const { env, json } of addons) {
      const { namespace, names } = keycloakObjects(json);
      expect(namespace).toBe("keycloak");
      for (const line of lines) {
        const refs = [
          ...[...line.matchAll(/\b(statefulset|externalsecret|secret|svc)\/([a-z0-9-]+)/g)].map((m) => [m[1]!, m[2]!]),
          ...[...line.matchAll(/\b(?:get|annotate|scale|rollout status) (statefulset|externalsecret|secret)s? ([a-z0-9-]+)/g)].map((m) => [m[1]!, m[2]!]),
          ...[...line.matchAll(/\bexec -it ([a-z0-9-]+)/g)].map((m) => ["pod", m[1]!]),
        ];
        for (const [kind, name] of refs) expect([...(names.get(kind!) ?? [])], `${env.name}: ${line}`).toContain(name);
      }
    }
  });

  it("fixes the order after a point-in-time restore: deploy the add-ons layer, force-sync the ExternalSecret, then scale Keycloak up", () => {
    const at = (re: RegExp) => restore.search(re);
    const deploy = at(/\*\*Deploy the add-ons layer\*\*/);
    const sync = at(/annotate externalsecret keycloak-db force-sync=/);
    const up = at(/scale statefulset\/keycloak --replicas=<addons\.auth\.replicas>/);
    expect(deploy).toBeGreaterThan(at(/terraform import 'aws_db_instance\./));
    expect(sync).toBeGreaterThan(deploy);
    expect(up).toBeGreaterThan(sync);
    expect(restore).not.toMatch(/client secrets/);
  });

  it("the secret store role it names exists in every environment", () => {
    expect(restore).toContain(`role \`${PLATFORM}-<env>-keycloak-secrets\``);
    for (const { env, json } of addons) {
      const roles = (Object.values(resources(json, "aws_iam_role")) as any[]).map((r) => r.name);
      expect(roles, env.name).toContain(`${PLATFORM}-${env.name}-keycloak-secrets`);
    }
  });
});

describe("docs/auth.md says what the Keycloak code does", () => {
  it("rotation: the refresh interval, Reloader's chart version and annotation", () => {
    const text = auth.replace(/\s+/g, " ");
    expect(text).toContain(`every ${DATABASE_SECRET_REFRESH.replace("m", " minutes")}`);
    expect(text).toContain(`upstream chart ${RELOADER_CHART.version}`);
    expect(text).toContain(`annotation \`${RELOADER_SECRET_ANNOTATION}: keycloak-db\``);
    expect(text).toContain(`StatefulSet \`${KEYCLOAK_FULLNAME}\``);
  });

  it("the LDAP example lists exactly the keys addons.auth.ldap accepts", () => {
    const ldap = (environmentSchema as any).shape.addons.unwrap?.().shape ?? (environmentSchema as any).shape.addons.shape;
    const keys = Object.keys(ldap.auth.unwrap?.().shape?.ldap?.unwrap?.().shape ?? ldap.auth.shape.ldap.unwrap().shape).sort();
    const section = auth.slice(auth.indexOf("## LDAP / Active Directory federation"));
    const table = [...section.slice(0, section.indexOf("What happens")).matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]).sort();
    expect(table).toEqual(keys);
    expect(keys).not.toContain("vendor");
  });
});

describe("the CI docs name the workflows' jobs, artifacts, files and roles", () => {
  it("the one required check is the aggregate job", () => {
    expect(ci).toContain(`**\`${RESULT_JOB_NAME}\`**`);
    expect(prWorkflow).toContain(`name: ${RESULT_JOB_NAME}`);
  });

  it("plan and apply job names and artifacts exist in the deploy workflow for every stack", () => {
    expect(ci).toMatch(/\*\*`plan <env>-<layer>`\*\*/);
    expect(ci).toMatch(/\*\*`apply <env>-<layer>`\*\*/);
    for (const env of envs) {
      for (const layer of LAYERS) {
        expect(deployWorkflow).toContain(`  ${deployJobId("plan", env.name, layer)}:\n    name: plan ${env.name}-${layer}\n`);
        expect(deployWorkflow).toContain(`  ${deployJobId("apply", env.name, layer)}:\n    name: apply ${env.name}-${layer}\n`);
        expect(deployWorkflow).toContain(`name: tfplan-${env.name}-${layer}`);
        expect(deployWorkflow).toContain(`name: errored-tfstate-${env.name}-${layer}`);
      }
    }
    expect(ci).toContain("`tfplan-<env>-<layer>`");
    expect(ci).toMatch(/kept one day/);
    expect(PLAN_ARTIFACT_RETENTION_DAYS).toBe(1);
    expect(deployRunbook).toContain(`\`errored-tfstate-<env>-<layer>\` (kept ${ERRORED_STATE_RETENTION_DAYS} days`);
    expect(prWorkflow).toContain("name: terraform-locks");
  });

  it("the runner project, its role and label are the module's names", () => {
    const project = runnerProjectName(`${PLATFORM}-<env>`);
    expect(ci).toContain(`the CodeBuild project \`${project}\``);
    expect(ci).toContain(`its role \`${project}\``);
    expect(ci).toContain(`runs-on: codebuild-${project}-\${{ github.run_id }}-\${{ github.run_attempt }}`);
  });

  it("the lock file paths and the state lock object are the ones the scripts and the backend use", () => {
    for (const layer of LAYERS) expect(read("scripts/ci/provider-locks.sh")).toContain(layer);
    expect(ci).toContain("`.terraform-locks/<layer>.terraform.lock.hcl`");
    expect(read("scripts/ci/terraform-init.sh")).toContain('lock=".terraform-locks/${layer}.terraform.lock.hcl"');
    expect(deployRunbook).toContain(`\`${stateKey("<env>", "network").replace("network", "<layer>")}.tflock\``);
    expect(deployRunbook).toMatch(/terraform force-unlock <lock id/);
  });

  it("ci.md's one-time set-up asks for no access entry by hand (the stacks create them)", () => {
    expect(ci).toMatch(/Cluster access of the CI roles\*\*: nothing to create by hand/);
  });
});

describe("kubeconfig commands", () => {
  const docs = [readme, ci, auth, restore, deployRunbook];

  it("name the context they use: `update-kubeconfig` without --alias names it after the cluster ARN", () => {
    const lines = docs.flatMap((d) => d.split("\n")).filter((l) => l.includes("update-kubeconfig"));
    expect(lines.length).toBeGreaterThan(0);
    for (const doc of docs) {
      // A context called eks-idp-<env> exists only where --alias set it.
      for (const m of doc.matchAll(/(?:--context|use-context) (eks-idp-[\w<>-]+)/g)) {
        expect(doc, m[0]).toMatch(new RegExp(`update-kubeconfig[^\\n]*--alias ${m[1]!.replace(/[<>]/g, ".")}`));
      }
    }
    for (const line of lines.filter((l) => l.includes("--alias"))) expect(line).toMatch(/--alias [\w<>-]+/);
  });
});
