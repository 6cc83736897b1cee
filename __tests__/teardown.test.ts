/**
 * `npm run teardown`: the refusals at each branch and the dry run (order of the layers, what goes
 * before Terraform, flags that lift guards). Nothing is ever run here: the command runner is a spy
 * that fails the test if called.
 */
import { describe, expect, it } from "vitest";
import { environments } from "../environments";
import { validatePlatform } from "../environments/validate";
import type { StackSet } from "../scripts/diff/types";
import { parseTeardownArgs, runTeardownCli } from "../scripts/teardown/cli";
import { type TeardownFlags, teardownRefusal, teardownSteps } from "../scripts/teardown/plan";

const flags = (over: Partial<TeardownFlags> = {}): TeardownFlags => ({ execute: false, emptyBuckets: false, liftProtection: false, iKnowThisIsProd: false, ...over });
const envs = validatePlatform(environments);
const nonprod = envs.find((e) => e.stage !== "prod")!;
const prod = envs.find((e) => e.stage === "prod")!;

/** Fixture stacks of an environment: a cluster, Velero, a NodePool, a protected database and bucket. */
const stacksOf = (e: string): StackSet => ({
  [`${e}-network`]: { provider: { aws: [{ region: "xx-test-1" }] }, resource: { aws_vpc: { v: {} } } },
  [`${e}-cluster`]: { provider: { aws: [{ region: "xx-test-1" }] }, resource: { aws_eks_cluster: { c: { name: `eks-${e}` } } } },
  [`${e}-addons`]: {
    provider: { aws: [{ region: "xx-test-1" }] },
    resource: {
      helm_release: { v: { chart: "velero", namespace: "velero" }, argo: { chart: "argo-cd", name: "argocd", namespace: "gitops" }, nodes: { chart: "./platform-resources", values: ["resources:\n  - apiVersion: karpenter.sh/v1\n    kind: NodePool\n    metadata: { name: a }\n"] } },
      kubernetes_manifest: { np: { manifest: { apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: { name: "b" } } } },
      aws_s3_bucket: { b: { bucket: "e-velero", lifecycle: { prevent_destroy: true } } },
      aws_db_instance: { db: { identifier: "e-db", deletion_protection: true } },
    },
  },
});
const stacks = stacksOf("e");

describe("refusals", () => {
  it("refuses a prod environment without --i-know-this-is-prod and accepts it with the flag", () => {
    expect(teardownRefusal({ name: "p", stage: "prod" }, flags())).toMatch(/refusing to tear down p: it is a prod environment/);
    expect(teardownRefusal({ name: "p", stage: "prod" }, flags({ liftProtection: true, emptyBuckets: true }))).toMatch(/--i-know-this-is-prod/);
    expect(teardownRefusal({ name: "p", stage: "prod" }, flags({ iKnowThisIsProd: true }))).toBeUndefined();
  });

  it("refuses --i-know-this-is-prod on a nonprod environment and needs nothing more there", () => {
    expect(teardownRefusal({ name: "d", stage: "nonprod" }, flags({ iKnowThisIsProd: true }))).toMatch(/only for prod environments/);
    expect(teardownRefusal({ name: "d", stage: "nonprod" }, flags())).toBeUndefined();
  });

  it("refuses the real environments' prod one before synthesizing anything", async () => {
    let err = "";
    const code = await runTeardownCli([prod.name], { stdout: () => {}, stderr: (t) => (err += t), synth: () => expect.unreachable("no synth"), run: () => expect.unreachable("nothing runs") });
    expect(code).toBe(1);
    expect(err).toContain(`refusing to tear down ${prod.name}`);
  });

  it("runs nothing when the typed name does not match", async () => {
    let err = "";
    const code = await runTeardownCli([nonprod.name, "--execute"], {
      stdout: () => {},
      stderr: (t) => (err += t),
      synth: () => stacksOf(nonprod.name),
      readLine: async () => `${nonprod.name}-typo`,
      run: () => expect.unreachable("nothing runs"),
    });
    expect(code).toBe(1);
    expect(err).toContain(`you typed "${nonprod.name}-typo", not "${nonprod.name}": nothing was run`);
  });

  it("exits 2 on usage errors and unknown environments", async () => {
    expect(() => parseTeardownArgs([])).toThrow(/name the environment/);
    expect(() => parseTeardownArgs(["d", "--force"])).toThrow(/unknown option --force/);
    expect(await runTeardownCli(["--force"], { stdout: () => {}, stderr: () => {} })).toBe(2);
    expect(await runTeardownCli(["no-such-env"], { stdout: () => {}, stderr: () => {}, synth: () => stacks })).toBe(2);
  });
});

describe("dry run", () => {
  const titles = (f: TeardownFlags) => teardownSteps({ name: "e", stage: "nonprod" }, stacks, f).map((s) => s.title);

  it("puts what Terraform does not own first, then add-ons, cluster and network in that order", () => {
    const t = titles(flags());
    const at = (re: RegExp) => t.findIndex((x) => re.test(x));
    expect(at(/^Final Velero backup/)).toBeLessThan(at(/^Stop Argo CD syncing/));
    expect(at(/^Stop Argo CD syncing/)).toBeLessThan(at(/^Load balancers/));
    expect(at(/^Load balancers/)).toBeLessThan(at(/^Karpenter/));
    expect(at(/^Karpenter/)).toBeLessThan(at(/^Destroy e-addons$/));
    expect(at(/^Destroy e-addons$/)).toBeLessThan(at(/^Delete the remaining PVCs/));
    expect(at(/^Delete the remaining PVCs/)).toBeLessThan(at(/^Destroy e-cluster$/));
    expect(at(/^Destroy e-cluster$/)).toBeLessThan(at(/^Destroy e-network$/));
  });

  it("scales Argo CD's controllers to zero in its release's namespace, and skips the step without Argo CD", () => {
    const step = (st: StackSet) => teardownSteps({ name: "e", stage: "nonprod" }, st, flags()).find((x) => x.title.startsWith("Stop Argo CD"))!;
    expect(step(stacks).commands).toEqual(["kubectl --context teardown-e -n gitops scale statefulset/argocd-application-controller deployment/argocd-applicationset-controller --replicas=0"]);
    const withoutArgo = structuredClone(stacks) as any;
    delete withoutArgo["e-addons"].resource.helm_release.argo;
    expect(step(withoutArgo)).toEqual({ title: "Stop Argo CD", commands: [], skipped: "Argo CD is not installed in this environment" });
  });

  it("counts the Karpenter NodePools of manifests and of release values", () => {
    expect(titles(flags())).toContain("Karpenter: delete the 2 NodePool(s) and wait until the nodes they launched are gone");
  });

  it("skips emptying buckets and lifting protection unless asked, and says why", () => {
    const steps = (f: TeardownFlags) => teardownSteps({ name: "e", stage: "nonprod" }, stacks, f);
    const bucket = (f: TeardownFlags) => steps(f).find((s) => s.title.startsWith("Empty the buckets"))!;
    const guard = (f: TeardownFlags) => steps(f).find((s) => s.title.startsWith("Lift deletion protection"))!;
    expect(bucket(flags()).skipped).toMatch(/--empty-buckets/);
    expect(bucket(flags({ emptyBuckets: true })).skipped).toBeUndefined();
    expect(bucket(flags()).commands[0]).toContain("--bucket e-velero");
    expect(guard(flags()).skipped).toMatch(/--lift-protection/);
    expect(guard(flags({ liftProtection: true })).skipped).toBeUndefined();
    expect(guard(flags()).commands).toEqual([
      "aws rds modify-db-instance --region xx-test-1 --db-instance-identifier e-db --no-deletion-protection --apply-immediately",
      "jq 'del(.resource[][].lifecycle.prevent_destroy)' cdktf.out/stacks/e-addons/cdk.tf.json > cdktf.out/stacks/e-addons/cdk.tf.json.tmp && mv cdktf.out/stacks/e-addons/cdk.tf.json.tmp cdktf.out/stacks/e-addons/cdk.tf.json",
    ]);
  });

  it("prints every command of a real nonprod environment without running any, layers in destroy order", async () => {
    let out = "";
    const code = await runTeardownCli([nonprod.name], { stdout: (t) => (out += t), stderr: () => {}, run: () => expect.unreachable("dry run runs nothing") });
    expect(code).toBe(0);
    expect(out).toContain("dry run: nothing is run");
    const destroys = [...out.matchAll(/npx cdktf destroy (\S+)/g)].map((m) => m[1]);
    expect(destroys).toEqual([`${nonprod.name}-addons`, `${nonprod.name}-cluster`, `${nonprod.name}-network`]);
    expect(out.indexOf("delete ingress")).toBeLessThan(out.indexOf(`cdktf destroy ${nonprod.name}-addons`));
  });
});
