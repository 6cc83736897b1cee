/**
 * The platform's admission policies as data: the constraint templates (upstream library plus one of
 * the platform's own) and one constraint per template with its parameters, enforcement action and
 * namespace exemptions. Pure: rendered through the repository chart by `Gatekeeper`.
 */
import type { KubernetesObject } from "../../modules/helm/custom-resources";
import { GATEKEEPER_LIBRARY, GATEKEEPER_LIBRARY_SOURCE } from "./library";

/** What a violation does (Gatekeeper's `spec.enforcementAction`). */
export type EnforcementAction = "deny" | "warn" | "dryrun";

/** Pods, the object every constraint of the platform matches (workload controllers create them). */
const PODS = [{ apiGroups: [""], kinds: ["Pod"] }] as const;

/**
 * The platform's own template: pods must name a service account other than `default`. The
 * ServiceAccount admission plugin fills in `default` before validating webhooks run, so an unset
 * `serviceAccountName` is seen as `default`. Not in the upstream library (checked at the pinned
 * commit: no template reads `spec.serviceAccountName` of pods).
 */
export const NO_DEFAULT_SERVICE_ACCOUNT_TEMPLATE: KubernetesObject = {
  apiVersion: "templates.gatekeeper.sh/v1",
  kind: "ConstraintTemplate",
  metadata: {
    name: "k8sforbiddenserviceaccounts",
    annotations: { "metadata.gatekeeper.sh/title": "Forbidden service accounts", description: "Pods must not run as the listed service accounts (the namespace's default)." },
  },
  spec: {
    crd: {
      spec: {
        names: { kind: "K8sForbiddenServiceAccounts" },
        validation: { openAPIV3Schema: { type: "object", properties: { serviceAccounts: { type: "array", items: { type: "string" } } } } },
      },
    },
    targets: [
      {
        target: "admission.k8s.gatekeeper.sh",
        rego: [
          "package k8sforbiddenserviceaccounts",
          "",
          "violation[{\"msg\": msg}] {",
          "  sa := object.get(input.review.object.spec, \"serviceAccountName\", \"default\")",
          "  sa == input.parameters.serviceAccounts[_]",
          "  msg := sprintf(\"pod <%v> runs as service account <%v>; give it a service account of its own\", [input.review.object.metadata.name, sa])",
          "}",
          "",
        ].join("\n"),
      },
    ],
  },
};

/** Which policy each constraint is, its template and its parameters. */
export interface ConstraintSpec {
  /** Constraint name (also the key of the policy in the docs). */
  readonly name: string;
  /** The template's `spec.crd.spec.names.kind`. */
  readonly kind: string;
  readonly template: KubernetesObject;
  /** Where the template comes from. */
  readonly source: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Why the platform has it (README "Policies"). */
  readonly why: string;
  /**
   * Other parameters for pods of the mesh's namespaces, whose injected sidecar must also pass: the
   * policy is then two constraints, `<name>` for namespaces without `namespaceLabel` and
   * `<name>-mesh` for those with it.
   * @default - one constraint for every namespace
   */
  readonly mesh?: { readonly namespaceLabel: string; readonly parameters: Readonly<Record<string, unknown>> };
}

/** The service mesh whose sidecar the mesh's namespaces get injected. */
export interface MeshPolicyInput {
  /** The label every meshed namespace carries and no other has (`istio.io/rev`). */
  readonly namespaceLabel: string;
  /**
   * Image repositories of the injected containers, each ending in `:` so that a prefix match allows
   * the repository's tags and nothing else (e.g. `docker.io/istio/proxyv2:`).
   */
  readonly proxyImageRepositories: readonly string[];
}

export interface PolicyInput {
  /** Registry prefixes team images may come from. */
  readonly allowedRegistries: readonly string[];
  /**
   * The mesh: its proxy images are allowed in its namespaces only, besides `allowedRegistries`.
   * @default - no mesh: `allowedRegistries` in every namespace
   */
  readonly mesh?: MeshPolicyInput;
}

const library = (key: keyof typeof GATEKEEPER_LIBRARY): Pick<ConstraintSpec, "template" | "source" | "kind"> => {
  const entry = GATEKEEPER_LIBRARY[key];
  return {
    template: entry.template as unknown as KubernetesObject,
    source: `${GATEKEEPER_LIBRARY_SOURCE.repository}/blob/${GATEKEEPER_LIBRARY_SOURCE.commit}/${entry.path}`,
    kind: entry.template.spec.crd.spec.names.kind,
  };
};

/** Every policy of the platform, in a fixed order. */
export function constraintSpecs(input: PolicyInput): ConstraintSpec[] {
  return [
    { name: "no-privileged-containers", ...library("privileged"), parameters: {}, why: "a privileged container is root on the node" },
    { name: "no-privilege-escalation", ...library("privilegeEscalation"), parameters: {}, why: "setuid binaries must not gain more rights than the process has" },
    {
      name: "drop-all-capabilities",
      ...library("capabilities"),
      // Pod Security Standards `restricted`: drop ALL, add back at most NET_BIND_SERVICE.
      parameters: { requiredDropCapabilities: ["ALL"], allowedCapabilities: ["NET_BIND_SERVICE"] },
      why: "Linux capabilities are root's powers in pieces; restricted pods drop them all",
    },
    { name: "no-host-namespaces", ...library("hostNamespaces"), parameters: {}, why: "host PID/IPC namespaces expose every process of the node" },
    { name: "no-host-network-or-ports", ...library("hostNetworkPorts"), parameters: { hostNetwork: false, min: 0, max: 0 }, why: "host networking bypasses network policies and the pod's own address" },
    { name: "no-host-paths", ...library("hostPaths"), parameters: { allowedHostPaths: [] }, why: "a hostPath volume reads or writes the node's file system" },
    {
      name: "run-as-non-root",
      ...library("runAsNonRoot"),
      parameters: { runAsUser: { rule: "MustRunAsNonRoot" }, runAsGroup: { rule: "RunAsAny" }, supplementalGroups: { rule: "RunAsAny" }, fsGroup: { rule: "RunAsAny" } },
      why: "a container escape as root is a node compromise",
    },
    {
      name: "seccomp-runtime-default",
      ...library("seccomp"),
      parameters: { allowedProfiles: ["RuntimeDefault", "runtime/default"] },
      why: "the runtime's default seccomp profile blocks system calls containers do not need",
    },
    {
      name: "no-default-service-account",
      kind: "K8sForbiddenServiceAccounts",
      template: NO_DEFAULT_SERVICE_ACCOUNT_TEMPLATE,
      source: "platform (addons/gatekeeper/constraints.ts)",
      parameters: { serviceAccounts: ["default"] },
      why: "every workload gets its own service account and RBAC; the default one is shared by everything in the namespace",
    },
    {
      name: "require-requests-and-memory-limits",
      ...library("resources"),
      // CPU limits throttle a pod below what the node could give it; memory limits keep one pod from
      // taking the node's memory. The LimitRange fills in defaults, so an unset value is admitted.
      parameters: { requests: ["cpu", "memory"], limits: ["memory"] },
      why: "the scheduler and the quota need requests; memory limits protect the neighbours",
    },
    {
      name: "allowed-registries",
      ...library("registries"),
      parameters: { repos: [...input.allowedRegistries] },
      why: "images come only from registries the platform scans and trusts",
      ...(input.mesh
        ? { mesh: { namespaceLabel: input.mesh.namespaceLabel, parameters: { repos: [...input.allowedRegistries, ...input.mesh.proxyImageRepositories] } } }
        : {}),
    },
    { name: "no-latest-tag", ...library("noLatestTag"), parameters: { tags: ["latest"] }, why: "a moving tag makes rollbacks and audits guesswork" },
  ];
}

export interface ConstraintsInput extends PolicyInput {
  readonly enforcement: EnforcementAction;
  /** Namespaces no constraint applies to (the platform's own). */
  readonly exemptNamespaces: readonly string[];
}

/** The templates of every policy, each once. */
export function constraintTemplates(specs: readonly ConstraintSpec[]): KubernetesObject[] {
  return specs.map((s) => s.template);
}

/**
 * One constraint per policy: pods outside the exempt namespaces, with the environment's enforcement;
 * a policy with other parameters in the mesh's namespaces is two constraints told apart by the
 * namespace label (Gatekeeper's webhook and audit read the pod's namespace for `namespaceSelector`:
 * open-policy-agent/gatekeeper@cdf332c3f2762c616d4b6f433712a8d7ed62b3d8 pkg/webhook/policy.go,
 * pkg/audit/manager.go `nsCache`).
 */
export function constraints(input: ConstraintsInput): KubernetesObject[] {
  const constraint = (name: string, kind: string, parameters: Readonly<Record<string, unknown>>, namespaceSelector?: object) => ({
    apiVersion: "constraints.gatekeeper.sh/v1beta1",
    kind,
    metadata: { name },
    spec: {
      enforcementAction: input.enforcement,
      match: {
        kinds: PODS.map((k) => ({ apiGroups: [...k.apiGroups], kinds: [...k.kinds] })),
        excludedNamespaces: [...input.exemptNamespaces],
        ...(namespaceSelector ? { namespaceSelector } : {}),
      },
      parameters,
    },
  });
  return constraintSpecs(input).flatMap((spec) => {
    if (!spec.mesh) return [constraint(spec.name, spec.kind, spec.parameters)];
    const { namespaceLabel, parameters } = spec.mesh;
    const selector = (operator: "Exists" | "DoesNotExist") => ({ matchExpressions: [{ key: namespaceLabel, operator }] });
    return [
      constraint(spec.name, spec.kind, spec.parameters, selector("DoesNotExist")),
      constraint(`${spec.name}-mesh`, spec.kind, parameters, selector("Exists")),
    ];
  });
}
