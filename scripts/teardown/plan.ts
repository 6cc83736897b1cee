/**
 * The ordered, safe destroy of one environment as data (pure: configuration facts and synthesized
 * Terraform JSON in, steps out). Argo CD stops syncing first (it would re-create what is deleted).
 * What Terraform does not own goes next — the load balancers the AWS
 * Load Balancer Controller created for Services and Ingresses (and their security groups), the nodes
 * Karpenter launched, the volumes behind PVCs (after a final Velero backup with snapshots) — then the
 * guards Terraform would stop at (non-empty buckets, deletion protection, `prevent_destroy`), lifted
 * only with explicit flags, then the stacks: `<env>-addons`, `<env>-cluster`, `<env>-network`.
 */
import type { StackSet } from "../diff/types";
import { stackRegion } from "../cost/estimate";
import { kubernetesObjects } from "../cost/objects";

export interface TeardownFlags {
  /** Run the commands (after typing the environment's name); without it, print them. */
  readonly execute: boolean;
  /** Delete every object version of the environment's buckets. */
  readonly emptyBuckets: boolean;
  /** Turn off deletion protection and drop `prevent_destroy` from the synthesized stacks. */
  readonly liftProtection: boolean;
  /** Required, on top of everything else, for a prod-stage environment. */
  readonly iKnowThisIsProd: boolean;
}

export interface TeardownEnvironment {
  readonly name: string;
  readonly stage: "nonprod" | "prod";
}

/** One step: its commands, or why it is skipped. */
export interface TeardownStep {
  readonly title: string;
  readonly commands: readonly string[];
  /** Why the commands are not run (dry run still prints them). */
  readonly skipped?: string;
}

/** Why the teardown is refused for these flags, or undefined. */
export function teardownRefusal(env: TeardownEnvironment, flags: TeardownFlags): string | undefined {
  if (env.stage === "prod" && !flags.iKnowThisIsProd) {
    return `refusing to tear down ${env.name}: it is a prod environment. Add --i-know-this-is-prod (on top of the other flags) if that is really what you want.`;
  }
  if (env.stage !== "prod" && flags.iKnowThisIsProd) return `--i-know-this-is-prod is only for prod environments; ${env.name} is ${env.stage}`;
  return undefined;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;
const resources = (stacks: StackSet, stack: string): Resources => ((stacks[stack]?.resource ?? {}) as Resources);

/** The layers of an environment in destroy order (the reverse of deploy order). */
export const DESTROY_ORDER = ["addons", "cluster", "network"] as const;

/**
 * The ordered steps of the teardown of `env` from its synthesized stacks.
 * @throws Error when the stacks have no EKS cluster or region (nothing to tear down from)
 */
export function teardownSteps(env: TeardownEnvironment, stacks: StackSet, flags: TeardownFlags): TeardownStep[] {
  const stack = (layer: (typeof DESTROY_ORDER)[number]) => `${env.name}-${layer}`;
  const region = stackRegion(stacks[stack("cluster")] ?? {});
  const cluster = Object.values(resources(stacks, stack("cluster")).aws_eks_cluster ?? {})[0]?.name;
  if (region === undefined || typeof cluster !== "string") throw new Error(`${stack("cluster")} has no EKS cluster or region in the synthesized stacks`);
  const context = `teardown-${env.name}`;
  const kubectl = `kubectl --context ${context}`;
  const addons = resources(stacks, stack("addons"));
  const releases = Object.values(addons.helm_release ?? {});
  const velero = releases.find((r) => r.chart === "velero");
  const argoCd = releases.find((r) => r.chart === "argo-cd");
  const nodePools = kubernetesObjects(stacks[stack("addons")] ?? {}).filter((o) => o.kind === "NodePool" && o.apiVersion.startsWith("karpenter.sh/"));
  const all = DESTROY_ORDER.map(stack).flatMap((s) => Object.entries(resources(stacks, s)).flatMap(([type, rs]) => Object.entries(rs).map(([name, body]) => ({ stack: s, type, name, body }))));
  const buckets = all.filter((r) => r.type === "aws_s3_bucket").map((r) => String(r.body.bucket));
  const protectedDbs = all.filter((r) => r.type === "aws_db_instance" && r.body.deletion_protection === true).map((r) => String(r.body.identifier));
  const preventDestroy = all.filter((r) => (r.body.lifecycle as { prevent_destroy?: boolean } | undefined)?.prevent_destroy === true);
  const destroy = (layer: (typeof DESTROY_ORDER)[number]) =>
    `npx cdktf destroy ${stack(layer)} --skip-synth --auto-approve${layer === "addons" ? "" : " --ignore-missing-stack-dependencies"}`;

  const steps: TeardownStep[] = [
    { title: `Connect to ${cluster} (${region})`, commands: [`aws eks update-kubeconfig --region ${region} --name ${cluster} --alias ${context}`] },
    velero === undefined
      ? { title: "Final Velero backup", commands: [], skipped: "Velero is not installed in this environment" }
      : {
          title: "Final Velero backup with volume snapshots (before any volume goes)",
          commands: [`velero backup create ${env.name}-final-teardown --kubecontext ${context} --namespace ${String(velero.namespace)} --snapshot-volumes --wait`],
        },
    argoCd === undefined
      ? { title: "Stop Argo CD", commands: [], skipped: "Argo CD is not installed in this environment" }
      : {
          // The chart names its workloads `<release>-application-controller` (StatefulSet) and
          // `<release>-applicationset-controller` (Deployment): its `nameOverride: argocd` is part of
          // the release name `argocd`, so the chart's fullname is the release name.
          title: "Stop Argo CD syncing, so that it does not re-create the Ingresses, Services and volumes the next steps delete",
          commands: [
            `${kubectl} -n ${String(argoCd.namespace)} scale statefulset/${String(argoCd.name)}-application-controller deployment/${String(argoCd.name)}-applicationset-controller --replicas=0`,
          ],
        },
    {
      title: "Load balancers outside Terraform: delete Ingresses and LoadBalancer Services, wait for the controller to remove their ALBs/NLBs and security groups",
      commands: [
        `${kubectl} delete ingress --all --all-namespaces --wait=true`,
        `${kubectl} get services --all-namespaces -o json | jq -r '.items[] | select(.spec.type == "LoadBalancer") | "\\(.metadata.namespace) \\(.metadata.name)"' | while read -r ns name; do ${kubectl} delete service -n "$ns" "$name" --wait=true; done`,
        `until [ -z "$(aws resourcegroupstaggingapi get-resources --region ${region} --resource-type-filters elasticloadbalancing:loadbalancer --tag-filters Key=elbv2.k8s.aws/cluster,Values=${cluster} --query 'ResourceTagMappingList[].ResourceARN' --output text)" ]; do sleep 15; done`,
      ],
    },
    nodePools.length === 0
      ? { title: "Karpenter nodes", commands: [], skipped: "no Karpenter NodePool in this environment" }
      : {
          title: `Karpenter: delete the ${nodePools.length} NodePool(s) and wait until the nodes they launched are gone`,
          commands: [`${kubectl} delete nodepools.karpenter.sh --all --wait=true`, `${kubectl} wait --for=delete nodeclaims.karpenter.sh --all --timeout=20m`],
        },
    {
      title: `Empty the buckets (${buckets.join(", ") || "none"})`,
      commands: buckets.map(
        (b) =>
          `while true; do batch="$(aws s3api list-object-versions --bucket ${b} --max-items 1000 --output json --query '{Objects: [Versions, DeleteMarkers][][].{Key: Key, VersionId: VersionId}}')"; ` +
          `[ "$(echo "$batch" | jq '.Objects | length')" -gt 0 ] || break; aws s3api delete-objects --bucket ${b} --delete "$batch"; done`,
      ),
      ...(buckets.length > 0 && !flags.emptyBuckets ? { skipped: "needs --empty-buckets (the backups and logs in them are deleted for good); without it the destroy stops at BucketNotEmpty" } : {}),
    },
    {
      title: "Synthesize the environment's stacks (the destroys below use exactly this output)",
      commands: [`npm run synth -- --env ${env.name}`],
    },
    {
      title: `Lift deletion protection (${protectedDbs.join(", ") || "none"}) and prevent_destroy (${preventDestroy.map((r) => `${r.type}.${r.name}`).join(", ") || "none"})`,
      commands: [
        ...protectedDbs.map((id) => `aws rds modify-db-instance --region ${region} --db-instance-identifier ${id} --no-deletion-protection --apply-immediately`),
        ...[...new Set(preventDestroy.map((r) => r.stack))].map((s) => {
          const file = `cdktf.out/stacks/${s}/cdk.tf.json`;
          return `jq 'del(.resource[][].lifecycle.prevent_destroy)' ${file} > ${file}.tmp && mv ${file}.tmp ${file}`;
        }),
      ],
      ...(protectedDbs.length + preventDestroy.length > 0 && !flags.liftProtection
        ? { skipped: "needs --lift-protection; without it Terraform refuses (prevent_destroy) or AWS refuses (deletion protection)" }
        : {}),
    },
    { title: `Destroy ${stack("addons")}`, commands: [destroy("addons")] },
    {
      title: "Delete the remaining PVCs while the EBS CSI driver still runs, so their volumes go with them",
      commands: [`${kubectl} delete pvc --all --all-namespaces --wait=true`, `${kubectl} wait --for=delete pv --all --timeout=10m`],
    },
    { title: `Destroy ${stack("cluster")}`, commands: [destroy("cluster")] },
    { title: `Destroy ${stack("network")}`, commands: [destroy("network")] },
  ];
  return steps;
}

/** The steps as the dry run prints them. */
export function renderTeardown(env: string, steps: readonly TeardownStep[], execute: boolean): string {
  const lines = [execute ? `Teardown of ${env}:` : `Teardown of ${env} (dry run: nothing is run; add --execute to run it):`];
  steps.forEach((step, i) => {
    lines.push("", `${i + 1}. ${step.title}${step.skipped !== undefined ? ` — SKIPPED: ${step.skipped}` : ""}`);
    if (step.commands.length === 0) lines.push("   (nothing to run)");
    for (const command of step.commands) lines.push(`   ${step.skipped !== undefined ? "# " : "$ "}${command}`);
  });
  return `${lines.join("\n")}\n`;
}
