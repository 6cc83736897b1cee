import { TerraformStack, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { AwsLoadBalancerController } from "../addons/aws-load-balancer-controller";
import { CertManager } from "../addons/cert-manager";
import { ClusterAutoscaler } from "../addons/cluster-autoscaler";
import { ExternalDns } from "../addons/external-dns";
import { Karpenter } from "../addons/karpenter";
import { VELERO_NAMESPACE, VELERO_SERVICE_ACCOUNT } from "../addons/velero/values";
import { environments } from "../environments";
import { validatePlatform } from "../environments/validate";
import { findViolations } from "../modules/guardrails/guardrails";
import { IrsaRole, ROLE_ARN_ANNOTATION } from "../modules/irsa/irsa-role";
import { configureWorkloadIdentity, podIdentityClusterFor, podIdentityTrustStatement, POD_IDENTITY_PRINCIPAL } from "../modules/pod-identity/pod-identity";
import { POD_IDENTITY_SUPPORT, podIdentitySupported } from "../modules/pod-identity/support";
import { buildReport } from "../scripts/diff/report";
import { buildPlatform } from "../stacks/platform";
import { podIdentityEnvironment } from "./support/environments";
import { resources, synth } from "./support/platform";

const oidc = { providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.x/id/A", issuer: "oidc.eks.x/id/A" };

describe("Pod Identity trust", () => {
  it("trusts pods.eks.amazonaws.com for AssumeRole and TagSession, limited to one cluster, namespace and service account", () => {
    expect(podIdentityTrustStatement("eks-idp-dev", "kube-system", "karpenter")).toEqual({
      Effect: "Allow",
      Principal: { Service: POD_IDENTITY_PRINCIPAL },
      Action: ["sts:AssumeRole", "sts:TagSession"],
      Condition: {
        StringEquals: {
          "aws:RequestTag/eks-cluster-name": "eks-idp-dev",
          "aws:RequestTag/kubernetes-namespace": "kube-system",
          "aws:RequestTag/kubernetes-service-account": "karpenter",
        },
      },
    });
  });
});

describe("the support table", () => {
  it("names the add-ons' own namespaces and service accounts, each with a source", () => {
    const addons = [
      `${AwsLoadBalancerController.NAMESPACE}/${AwsLoadBalancerController.SERVICE_ACCOUNT}`,
      `${Karpenter.NAMESPACE}/${Karpenter.SERVICE_ACCOUNT}`,
      `${ClusterAutoscaler.NAMESPACE}/${ClusterAutoscaler.SERVICE_ACCOUNT}`,
      `${CertManager.NAMESPACE}/${CertManager.SERVICE_ACCOUNT}`,
      `${ExternalDns.NAMESPACE}/${ExternalDns.SERVICE_ACCOUNT}`,
      `${VELERO_NAMESPACE}/${VELERO_SERVICE_ACCOUNT}`,
    ];
    expect(Object.keys(POD_IDENTITY_SUPPORT).sort()).toEqual(addons.sort());
    for (const entry of Object.values(POD_IDENTITY_SUPPORT)) expect(entry.source.length).toBeGreaterThan(20);
  });

  it("supports only listed service accounts", () => {
    expect(podIdentitySupported("kube-system", "karpenter")).toBe(true);
    expect(podIdentitySupported("logging", "fluent-bit")).toBe(false);
  });
});

describe("IrsaRole by the stack's setting", () => {
  const roleIn = (mode: "irsa" | "pod-identity" | undefined, namespace: string, serviceAccount: string) => {
    const stack = new TerraformStack(Testing.app(), "s");
    if (mode) configureWorkloadIdentity(stack, { mode, clusterName: "eks-idp-x" });
    const role = new IrsaRole(stack, "r", { oidc, namespace, serviceAccount, roleName: "r" });
    return { role, json: JSON.parse(Testing.synth(stack)) };
  };

  it.each([undefined, "irsa"] as const)("%s: web identity trust and the role annotation, no association", (mode) => {
    const { role, json } = roleIn(mode, "kube-system", "karpenter");
    expect(role.serviceAccountAnnotations).toHaveProperty(ROLE_ARN_ANNOTATION);
    expect(role.podIdentityAssociation).toBeUndefined();
    expect(JSON.parse(Object.values<any>(json.resource.aws_iam_role)[0].assume_role_policy).Statement[0].Action).toEqual(["sts:AssumeRoleWithWebIdentity"]);
  });

  it("pod-identity and a supported add-on: Pod Identity trust, one exact association, no annotation", () => {
    const { role, json } = roleIn("pod-identity", "kube-system", "karpenter");
    expect(role.serviceAccountAnnotations).toEqual({});
    const [association] = Object.values<any>(json.resource.aws_eks_pod_identity_association);
    expect(association).toMatchObject({ cluster_name: "eks-idp-x", namespace: "kube-system", service_account: "karpenter" });
    expect(association.role_arn).toMatch(/^\$\{aws_iam_role\./);
    expect(JSON.parse(Object.values<any>(json.resource.aws_iam_role)[0].assume_role_policy).Statement[0].Principal).toEqual({ Service: POD_IDENTITY_PRINCIPAL });
  });

  it("pod-identity and an add-on without support: stays on IRSA", () => {
    const { role, json } = roleIn("pod-identity", "logging", "fluent-bit");
    expect(role.serviceAccountAnnotations).toHaveProperty(ROLE_ARN_ANNOTATION);
    expect(json.resource.aws_eks_pod_identity_association).toBeUndefined();
  });

  it("refuses a second setting for a stack", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    configureWorkloadIdentity(stack, { mode: "irsa", clusterName: "c" });
    expect(() => configureWorkloadIdentity(stack, { mode: "pod-identity", clusterName: "c" })).toThrow(/already/);
    expect(podIdentityClusterFor(stack, "kube-system", "karpenter")).toBeUndefined();
  });
});

describe("an environment on Pod Identity (test factory)", () => {
  const input = podIdentityEnvironment();
  const envs = validatePlatform([...environments, input]);
  const app = Testing.app();
  const { environments: built } = buildPlatform(app, envs, [input.name]);
  const addons = built[input.name]!.addons;
  const json = synth(addons);

  it("synthesizes with every guardrail passing", () => {
    expect(findViolations(app)).toEqual([]);
  });

  it("associates each supported add-on's service account with its role, and keeps the others on IRSA", () => {
    const associations = Object.values(resources(json, "aws_eks_pod_identity_association"));
    const associated = associations.map((a) => `${a.namespace}/${a.service_account}`).sort();
    expect(associated.length).toBeGreaterThan(0);
    for (const sa of associated) expect(podIdentitySupported(...(sa.split("/") as [string, string])), sa).toBe(true);
    expect(new Set(associated).size).toBe(associated.length);
    const trusts = Object.values(resources(json, "aws_iam_role")).map((r) => String(r.assume_role_policy));
    const podIdentityRoles = trusts.filter((t) => t.includes(`"Service":"${POD_IDENTITY_PRINCIPAL}"`));
    // IRSA trusts hold a Terraform expression (the issuer), so they are matched as text.
    const irsaRoles = trusts.filter((t) => t.includes("sts:AssumeRoleWithWebIdentity"));
    expect(podIdentityRoles).toHaveLength(associations.length);
    expect(irsaRoles.length, "add-ons without Pod Identity support stay on IRSA").toBeGreaterThan(0);
  });

  it("keeps the role addresses of IRSA: a switch updates trust policies in place", () => {
    const irsaEnv = envs.find((e) => e.name !== input.name && e.cluster.workloadIdentity === "irsa")!;
    const irsaApp = Testing.app();
    const irsaJson = JSON.parse(Testing.synth(buildPlatform(irsaApp, envs, [irsaEnv.name]).environments[irsaEnv.name]!.addons));
    const roleNames = (j: any) => Object.keys(j.resource.aws_iam_role).sort();
    expect(roleNames(json)).toEqual(roleNames(irsaJson));
  });
});

describe("switching an environment from IRSA to Pod Identity, as the diff reports it", () => {
  const podId = podIdentityEnvironment();
  const irsa = { ...podId, cluster: { ...podId.cluster, workloadIdentity: "irsa" as const } };
  const addonsJson = (input: typeof podId) => {
    const envs = validatePlatform([...environments, input]);
    return JSON.parse(Testing.synth(buildPlatform(Testing.app(), envs, [input.name]).environments[input.name]!.addons));
  };
  const stack = `${podId.name}-addons`;
  const report = buildReport({ [stack]: addonsJson(irsa) }, { [stack]: addonsJson(podId) });
  const [diff] = report.stacks;

  it("destroys and replaces nothing: trust policies change in place, one association per supported service account is added", () => {
    expect(report.summary.removed).toBe(0);
    expect(report.risks.filter((r) => r.kind === "replacement" || r.kind === "deletion" || r.kind === "rename")).toEqual([]);
    expect(new Set(diff!.added.map((a) => a.type))).toEqual(new Set(["aws_eks_pod_identity_association"]));
    const roles = diff!.changed.filter((c) => c.type === "aws_iam_role");
    expect(roles.length).toBe(diff!.added.length);
    for (const role of roles) expect(role.changes.map((c) => c.path).join(), role.address).toContain("assume_role_policy");
  });
});

