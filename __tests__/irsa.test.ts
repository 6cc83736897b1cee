import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { IrsaRole, irsaTrustStatement } from "../modules/irsa/irsa-role";

const oidc = {
  providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/ABC",
  issuer: "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC",
};

describe("IRSA trust", () => {
  it("names exactly one namespace and service account, with the STS audience, as StringEquals", () => {
    expect(irsaTrustStatement(oidc.providerArn, oidc.issuer, "velero", "velero-server")).toEqual({
      Effect: "Allow",
      Principal: { Federated: oidc.providerArn },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition: {
        StringEquals: {
          "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC:sub": "system:serviceaccount:velero:velero-server",
          "oidc.eks.ap-northeast-2.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
        },
      },
    });
  });

  it.each([
    ["*", "sa"],
    ["kube-*", "sa"],
    ["ns", "*"],
    ["Ns", "sa"],
    ["", "sa"],
  ])("rejects namespace %j / service account %j", (ns, sa) => {
    expect(() => irsaTrustStatement(oidc.providerArn, oidc.issuer, ns, sa)).toThrow(/exact Kubernetes name/);
  });

  it("synthesizes a role with the exact trust, its inline policy and the annotation", () => {
    const stack = Testing.synthScope((scope) => {
      const role = new IrsaRole(scope, "irsa", {
        oidc,
        namespace: "logging",
        serviceAccount: "fluent-bit",
        roleName: "dev-fluent-bit",
        policyStatements: [{ Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: ["arn:aws:logs:ap-northeast-2:111122223333:log-group:/x:*"] }],
      });
      expect(Object.keys(role.serviceAccountAnnotations)).toEqual(["eks.amazonaws.com/role-arn"]);
    });
    const json = JSON.parse(stack);
    const [role] = Object.values(json.resource.aws_iam_role) as any[];
    const trust = JSON.parse(role.assume_role_policy);
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0].Condition.StringEquals[`${oidc.issuer}:sub`]).toBe("system:serviceaccount:logging:fluent-bit");
    const [policy] = Object.values(json.resource.aws_iam_role_policy) as any[];
    expect(JSON.parse(policy.policy).Statement[0].Action).toEqual(["logs:PutLogEvents"]);
  });
});
