/**
 * The in-VPC GitHub Actions runners (modules/ci-runner) and the CI plan role's access to the add-on
 * namespaces (stacks/addons/ci-plan-access.ts): labels, the runner role's policy, what each
 * environment's cluster stack creates, and the namespace scoping of AmazonEKSAdminViewPolicy.
 */
import { Release } from "@cdktf/provider-helm/lib/release";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { KUBERNETES_API_PORT, RUNNER_WEBHOOK_EVENT, runnerLabel, runnerPolicyStatements, runnerProjectName } from "../modules/ci-runner/codebuild-runner";
import { teamGrants } from "../environments/access";
import { ciRoleNames } from "../modules/github/ci-policies";
import { planRoleNamespaces, planRoleViewer, releaseNamespaces } from "../stacks/addons/ci-plan-access";
import { PLATFORM } from "../stacks/naming";
import { platform, resources, synth } from "./support/platform";

const { envs, stacks } = platform();
const scope = { partition: "aws", region: "ap-northeast-2", accountId: "111122223333" };

describe("runner names and policy (pure)", () => {
  it("labels a job for one run attempt of the project's runners", () => {
    expect(runnerProjectName("eks-idp-dev")).toBe("eks-idp-dev-ci-runner");
    expect(runnerLabel("eks-idp-dev-ci-runner")).toBe("codebuild-eks-idp-dev-ci-runner-${{ github.run_id }}-${{ github.run_attempt }}");
  });

  it("lets the runner role write only its logs and its network interfaces in its subnets", () => {
    const subnets = ["arn:aws:ec2:ap-northeast-2:111122223333:subnet/subnet-1"];
    const sg = "arn:aws:ec2:ap-northeast-2:111122223333:security-group/sg-1";
    const statements = runnerPolicyStatements(scope, "/aws/codebuild/eks-idp-dev-ci-runner", subnets, sg);
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.every((a) => /^(logs|ec2):/.test(a))).toBe(true);
    expect(actions.filter((a) => !/^ec2:Describe/.test(a)).sort()).toEqual(
      ["ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "logs:CreateLogStream", "logs:PutLogEvents"].sort(),
    );
    for (const s of statements.filter((x) => x.Resource.includes("*"))) expect(s.Action.every((a) => /^ec2:Describe/.test(a)), s.Sid).toBe(true);
    const permission = statements.find((s) => s.Action.includes("ec2:CreateNetworkInterfacePermission"))!;
    expect(permission.Condition).toEqual({
      StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
      ArnEquals: { "ec2:Subnet": subnets },
    });
    const interfaces = statements.find((s) => s.Action.includes("ec2:CreateNetworkInterface"))!;
    expect(interfaces.Resource).toEqual(expect.arrayContaining([...subnets, sg]));
  });
});

describe.each(envs.map((e) => [e.name, e] as const))("the runners of %s (cluster stack)", (name, env) => {
  const json = synth(stacks.environments[name]!.cluster);
  const project = Object.values(resources(json, "aws_codebuild_project"))[0] as any;
  const projectName = runnerProjectName(`${PLATFORM}-${name}`);

  it("is one CodeBuild project in the environment's private subnets, with its own security group", () => {
    expect(Object.keys(resources(json, "aws_codebuild_project"))).toHaveLength(1);
    expect(project.name).toBe(projectName);
    expect(project.vpc_config.subnets).toHaveLength(env.availabilityZones.length);
    for (const s of project.vpc_config.subnets) expect(s).toMatch(/subnet-private-/);
    expect(project.vpc_config.security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.github-runner_security-group_\w+\.id\}$/)]);
    expect(project.source.type).toBe("GITHUB");
    // A `${{ }}` runs-on label in a string would be read by Terraform as an interpolation.
    expect(JSON.stringify(project)).not.toContain("${{");
  });

  it("gets a runner per queued workflow job (webhook on WORKFLOW_JOB_QUEUED)", () => {
    const [webhook] = Object.values(resources(json, "aws_codebuild_webhook")) as any[];
    expect(webhook.project_name).toMatch(/aws_codebuild_project\./);
    expect(webhook.filter_group).toEqual([{ filter: [{ type: "EVENT", pattern: RUNNER_WEBHOOK_EVENT }] }]);
  });

  it("reaches the cluster's API server: 443 from the runner security group to the cluster security group, HTTPS out only", () => {
    const rules = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")) as any[];
    const toCluster = rules.filter((r) => String(r.referenced_security_group_id).includes("github-runner_security-group"));
    expect(toCluster).toHaveLength(1);
    expect(toCluster[0]).toMatchObject({ ip_protocol: "tcp", from_port: KUBERNETES_API_PORT, to_port: KUBERNETES_API_PORT });
    expect(toCluster[0].security_group_id).toMatch(/aws_eks_cluster\.[\w-]+\.vpc_config\[0\]\.cluster_security_group_id/);
    const sg = Object.values(resources(json, "aws_security_group")).find((s: any) => s.name === projectName) as any;
    expect(sg.ingress ?? []).toEqual([]);
    expect(sg.egress.map((e: any) => [e.protocol, e.from_port, e.to_port])).toEqual([["tcp", 443, 443]]);
  });

  it("runs as its own role, with the permissions boundary, trusted by CodeBuild of this account only", () => {
    const role = Object.values(resources(json, "aws_iam_role")).find((r: any) => r.name === projectName) as any;
    expect(role.permissions_boundary).toBeDefined();
    const trust = JSON.parse(role.assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Service: "codebuild.amazonaws.com" });
    expect(trust.Condition).toEqual({ StringEquals: { "aws:SourceAccount": env.account.id } });
    expect(project.service_role).toMatch(/aws_iam_role\.github-runner_role_\w+\.arn/);
    expect(role.name).not.toMatch(new RegExp(`^${ciRoleNames(PLATFORM).all.replace("*", "")}`));
  });
});

describe("the plan role's access to the add-on namespaces", () => {
  it("is scoped to the namespaces of the add-ons' Helm releases, in every environment that lists the plan role", () => {
    for (const env of envs) {
      const json = synth(stacks.environments[env.name]!.addons);
      const association = resources(json, "aws_eks_access_policy_association")["ci-plan-addon-namespaces"] as any;
      expect(association !== undefined, env.name).toBe(planRoleViewer(env) !== undefined);
      if (!association) continue;
      const releaseNs = [...new Set((Object.values(resources(json, "helm_release")) as any[]).map((r) => r.namespace))].sort();
      expect(association.access_scope).toEqual({ type: "namespace", namespaces: releaseNs });
      expect(association.policy_arn).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminViewPolicy");
      expect(association.principal_arn).toBe(planRoleViewer(env));
      const teamNs = Object.values(env.cluster.access.teams).flatMap((t) => teamGrants(t).flatMap((g) => g.namespaces));
      for (const ns of teamNs) expect(association.access_scope.namespaces, `${env.name}: ${ns}`).not.toContain(ns);
    }
  });

  it("refuses an add-on namespace that is also a team namespace", () => {
    const env = envs.find((e) => Object.keys(e.cluster.access.teams).length > 0)!;
    const teamNamespace = teamGrants(Object.values(env.cluster.access.teams)[0]!)[0]!.namespaces[0]!;
    expect(() => planRoleNamespaces(env, ["monitoring", teamNamespace])).toThrow(new RegExp(`${teamNamespace}.*team namespaces`));
    expect(planRoleNamespaces(env, ["monitoring"])).toEqual(["monitoring"]);
  });

  it("finds no plan role when the environment does not list it among its viewers", () => {
    const env = envs[0]!;
    expect(planRoleViewer(env)).toBe(`arn:aws:iam::${env.account.id}:role/${ciRoleNames(PLATFORM).plan}`);
    expect(planRoleViewer({ ...env, cluster: { ...env.cluster, access: { ...env.cluster.access, viewers: {} } } })).toBeUndefined();
  });

  it("reads each release's namespace once, sorted, and refuses one that is not a plain name", () => {
    const stack = new TerraformStack(Testing.app(), "s");
    for (const [id, namespace] of [["a", "velero"], ["b", "keycloak"], ["c", "velero"]] as const) new Release(stack, id, { name: id, chart: "x", namespace });
    expect(releaseNamespaces(stack)).toEqual(["keycloak", "velero"]);
    const other = new TerraformStack(Testing.app(), "t");
    const first = new Release(other, "a", { name: "a", chart: "x", namespace: "ok" });
    new Release(other, "b", { name: "b", chart: "x", namespace: first.name });
    expect(() => releaseNamespaces(other)).toThrow(/plain name/);
  });
});
