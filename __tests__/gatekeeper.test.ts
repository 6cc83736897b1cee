import { describe, expect, it } from "vitest";
import {
  constraints,
  constraintSpecs,
  constraintTemplates,
  GATEKEEPER_CHART,
  gatekeeperViolationsRule,
  NO_DEFAULT_SERVICE_ACCOUNT_TEMPLATE,
} from "../addons/gatekeeper";
import { GATEKEEPER_LIBRARY, GATEKEEPER_LIBRARY_SOURCE } from "../addons/gatekeeper/library";
import { CHART_CRDS } from "../modules/helm/chart-crds";
import type { KubernetesObject } from "../modules/helm/custom-resources";
import { GATEKEEPER_NAMESPACE, PLATFORM_NAMESPACES } from "../modules/tenancy/namespaces";
import { allowedRegistriesOf, enforcementOf } from "../stacks/addons/policy";
import { platform, resources, synth } from "./support/platform";

/** The Helm releases of a synthesized stack: address and configuration. */
const releasesOf = (json: any) => Object.entries(resources(json, "helm_release")).map(([name, config]) => ({ address: `helm_release.${name}`, config }));
import { parse } from "yaml";

const INPUT = { enforcement: "deny" as const, allowedRegistries: ["111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/"], exemptNamespaces: PLATFORM_NAMESPACES };

/** A constraint's `spec.match` and `spec.parameters` as Gatekeeper reads them for one pod. */
function matches(constraint: KubernetesObject, pod: { namespace: string }): boolean {
  const match = (constraint as any).spec.match;
  const kinds = match.kinds.some((k: any) => k.apiGroups.includes("") && k.kinds.includes("Pod"));
  return kinds && !match.excludedNamespaces.includes(pod.namespace);
}

/** The rules of a template as text: `rego`, or the sources of its `code` engines (CEL and Rego). */
const policyText = (template: KubernetesObject) => JSON.stringify((template as any).spec.targets[0]);

/** Checks `value` against an OpenAPI v3 schema's types and property names (what the CRD would refuse). */
function schemaProblems(value: unknown, schema: any, path = "parameters"): string[] {
  if (schema === undefined) return [`${path}: not in the template's schema`];
  const type = Array.isArray(value) ? "array" : value === null ? "null" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;
  if (schema.type && schema.type !== type && !(schema.type === "number" && type === "integer")) return [`${path}: ${type}, schema says ${schema.type}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${String(value)} not in ${schema.enum}`];
  if (type === "array") return (value as unknown[]).flatMap((v, i) => schemaProblems(v, schema.items, `${path}[${i}]`));
  if (type === "object") return Object.entries(value as object).flatMap(([k, v]) => schemaProblems(v, schema.properties?.[k], `${path}.${k}`));
  return [];
}

describe("Gatekeeper chart", () => {
  it("pins the chart the platform reads its CRD kinds from", () => {
    expect(GATEKEEPER_CHART.version).toBe(CHART_CRDS["gatekeeper"]!.version);
    expect(CHART_CRDS["gatekeeper"]!.crds.flatMap((g) => g.kinds)).toContain("ConstraintTemplate");
  });
});

describe("constraint templates and constraints (pure)", () => {
  const specs = constraintSpecs(INPUT);

  it("takes every upstream template verbatim from the pinned library commit", () => {
    expect(GATEKEEPER_LIBRARY_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const spec of specs.filter((s) => s.template !== NO_DEFAULT_SERVICE_ACCOUNT_TEMPLATE)) {
      expect(spec.source).toContain(GATEKEEPER_LIBRARY_SOURCE.commit);
      expect(Object.values(GATEKEEPER_LIBRARY).map((e) => e.template)).toContain(spec.template);
      expect(policyText(spec.template).length, spec.name).toBeGreaterThan(500);
    }
  });

  it("covers the issue's list of policies, one constraint per template", () => {
    expect(specs.map((s) => s.kind).sort()).toEqual(
      [
        "K8sAllowedRepos",
        "K8sDisallowedTags",
        "K8sForbiddenServiceAccounts",
        "K8sPSPAllowPrivilegeEscalationContainer",
        "K8sPSPAllowedUsers",
        "K8sPSPCapabilities",
        "K8sPSPHostFilesystem",
        "K8sPSPHostNamespace",
        "K8sPSPHostNetworkingPorts",
        "K8sPSPPrivilegedContainer",
        "K8sPSPSeccomp",
        "K8sRequiredResources",
      ].sort(),
    );
    expect(new Set(constraintTemplates(specs).map((t) => t.metadata.name)).size).toBe(specs.length);
    for (const spec of specs) expect(spec.why.length, spec.name).toBeGreaterThan(10);
  });

  it("gives each constraint parameters its template's schema accepts", () => {
    for (const spec of specs) {
      const schema = (spec.template as any).spec.crd.spec.validation.openAPIV3Schema;
      expect(schemaProblems(spec.parameters, schema), spec.name).toEqual([]);
      expect((spec.template as any).spec.crd.spec.names.kind).toBe(spec.kind);
    }
  });

  it("is a real schema check", () => {
    const schema = (GATEKEEPER_LIBRARY.capabilities.template as any).spec.crd.spec.validation.openAPIV3Schema;
    expect(schemaProblems({ requiredDropCapabilities: "ALL" }, schema)).toEqual(["parameters.requiredDropCapabilities: string, schema says array"]);
    expect(schemaProblems({ dropEverything: true }, schema)).toEqual(["parameters.dropEverything: not in the template's schema"]);
  });

  it("applies the enforcement and the one exemption list to every constraint", () => {
    for (const enforcement of ["deny", "warn", "dryrun"] as const) {
      for (const c of constraints({ ...INPUT, enforcement }) as any[]) {
        expect(c.spec.enforcementAction).toBe(enforcement);
        expect(c.spec.match.excludedNamespaces).toEqual([...PLATFORM_NAMESPACES]);
      }
    }
  });
});

describe("enforcement and registries per environment", () => {
  it("denies in prod and warns elsewhere unless configured", () => {
    expect(enforcementOf({ stage: "prod", addons: { policy: {} } } as any)).toBe("deny");
    expect(enforcementOf({ stage: "nonprod", addons: { policy: {} } } as any)).toBe("warn");
    expect(enforcementOf({ stage: "nonprod", addons: { policy: { enforcement: "dryrun" } } } as any)).toBe("dryrun");
  });

  it("allows the environment's own ECR and public.ecr.aws unless configured", () => {
    const env = { account: { id: "111122223333" }, region: "ap-northeast-2", addons: { policy: {} } } as any;
    expect(allowedRegistriesOf(env)).toEqual(["111122223333.dkr.ecr.ap-northeast-2.amazonaws.com/", "public.ecr.aws/"]);
    expect(allowedRegistriesOf({ ...env, addons: { policy: { allowedRegistries: ["registry.example.com/"] } } })).toEqual(["registry.example.com/"]);
  });
});

describe.each(platform().envs.map((e) => [e.name, e] as const))("Gatekeeper in %s", (name, env) => {
  const json = synth(platform().stacks.environments[name]!.addons);
  const releases = releasesOf(json);
  const release = (n: string) => releases.find((r) => r.config.name === n)!;
  const rendered = (n: string) => (parse(release(n).config.values[0]) as { resources: KubernetesObject[] }).resources;
  const teamNamespace = Object.values(env.cluster.access.teams).flatMap((t) => (Array.isArray(t.namespaces) ? t.namespaces : Object.keys(t.namespaces)))[0]!;

  it("installs the pinned chart, then the templates, then the constraints", () => {
    expect(release("gatekeeper").config).toMatchObject({ chart: "gatekeeper", version: GATEKEEPER_CHART.version, repository: GATEKEEPER_CHART.repository, namespace: GATEKEEPER_NAMESPACE });
    expect(release("gatekeeper-templates").config.depends_on).toContain(release("gatekeeper").address);
    expect(release("gatekeeper-constraints").config.depends_on).toContain(release("gatekeeper-templates").address);
    expect(rendered("gatekeeper-templates").every((o) => o.kind === "ConstraintTemplate")).toBe(true);
  });

  it(`${env.stage === "prod" ? "denies" : "applies its enforcement to"} a privileged pod and a pod on the default service account in a team namespace`, () => {
    const all = rendered("gatekeeper-constraints") as any[];
    const privileged = all.find((c) => c.kind === "K8sPSPPrivilegedContainer");
    const defaultSa = all.find((c) => c.kind === "K8sForbiddenServiceAccounts");
    const pod = { namespace: teamNamespace, spec: { containers: [{ name: "c", image: "x", securityContext: { privileged: true } }] } };
    for (const c of [privileged, defaultSa]) {
      expect(matches(c, pod), c.kind).toBe(true);
      expect(c.spec.enforcementAction).toBe(enforcementOf(env));
      if (env.stage === "prod") expect(c.spec.enforcementAction).toBe("deny");
    }
    // The upstream template flags securityContext.privileged (its CEL and rego, verbatim); the pod sets it.
    const template = rendered("gatekeeper-templates").find((t) => (t as any).spec.crd.spec.names.kind === privileged.kind)!;
    expect(policyText(template)).toContain("c.securityContext.privileged");
    expect(policyText(template)).toContain("container.securityContext.privileged");
    expect(pod.spec.containers[0]!.securityContext.privileged).toBe(true);
    // A pod without serviceAccountName runs as `default` (ServiceAccount admission), which the parameters forbid.
    const serviceAccount = (pod.spec as { serviceAccountName?: string }).serviceAccountName ?? "default";
    expect(defaultSa.spec.parameters.serviceAccounts).toContain(serviceAccount);
  });

  it("leaves the platform's namespaces alone", () => {
    for (const c of rendered("gatekeeper-constraints") as any[]) {
      expect(matches(c, { namespace: "kube-system" })).toBe(false);
      expect(matches(c, { namespace: GATEKEEPER_NAMESPACE })).toBe(false);
    }
  });

  it(`scrapes the audit${env.stage === "prod" ? " and alerts on violations" : ""} after the monitoring CRDs`, () => {
    const monitoring = release("gatekeeper-monitoring");
    expect(monitoring.config.depends_on).toContain(releases.find((r) => r.config.chart === "kube-prometheus-stack")!.address);
    const kinds = rendered("gatekeeper-monitoring").map((o) => o.kind);
    expect(kinds).toEqual(env.stage === "prod" ? ["PodMonitor", "PrometheusRule"] : ["PodMonitor"]);
  });
});

describe("the violations alert", () => {
  it("fires on deny violations found by the audit", () => {
    const rule = (gatekeeperViolationsRule("gatekeeper-system") as any).spec.groups[0].rules[0];
    expect(rule.expr).toContain('gatekeeper_violations{enforcement_action="deny"}');
    expect(rule.for).toBe("15m");
  });
});
