/**
 * Release ordering from declarations: every add-on says what it needs (the load balancer webhook
 * because its chart creates Services, the storage classes, the monitoring CRDs), the add-ons that
 * supply those things say so, and the composition of a stack turns the declarations into
 * `depends_on`. A new add-on cannot forget a dependency that its declarations imply, and a need that
 * nothing in the stack supplies fails the synthesis instead of racing at apply time.
 */
import { dependable, ITerraformDependable, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";

/** Something a release can need from another add-on of the same stack. */
export type Capability = "load-balancer-webhook" | "storage-classes" | "monitoring-crds" | "external-secrets-crds";

/** Why a release needs each capability (also the wording of the errors). */
export const CAPABILITIES: Readonly<Record<Capability, string>> = {
  "load-balancer-webhook": "the AWS Load Balancer Controller's webhook, which must admit every new Service and pod",
  "storage-classes": "the default StorageClass and the VolumeSnapshotClass",
  "monitoring-crds": "the Prometheus Operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule)",
  "external-secrets-crds": "the External Secrets Operator's CRDs and webhook (SecretStore, ExternalSecret)",
};

/** A release as the composition sees it: a name and what it declares. */
export interface Declaration {
  /** Unique name in the stack, e.g. `velero/velero` (namespace/release). */
  readonly name: string;
  readonly needs: readonly Capability[];
  readonly provides: readonly Capability[];
}

/** The outcome of {@link resolveNeeds}: who waits for whom, and what cannot be satisfied. */
export interface Resolution {
  /** `[dependent, provider]` pairs, in declaration order. */
  readonly edges: readonly (readonly [string, string])[];
  /** One sentence per unsatisfied need, duplicate supplier or cycle; empty when all is well. */
  readonly problems: readonly string[];
}

/**
 * Pure: which declared release waits for which supplier. A release never waits for itself (the load
 * balancer controller creates Services its own webhook does not have to admit first). Problems:
 * a need that no release supplies, a capability supplied twice, and a cycle (Terraform would refuse
 * the plan).
 */
export function resolveNeeds(declarations: readonly Declaration[]): Resolution {
  const problems: string[] = [];
  const supplier = new Map<Capability, string>();
  for (const d of declarations) {
    for (const capability of d.provides) {
      const existing = supplier.get(capability);
      if (existing !== undefined) problems.push(`${capability} is provided by both ${existing} and ${d.name}`);
      else supplier.set(capability, d.name);
    }
  }
  const edges: [string, string][] = [];
  for (const d of declarations) {
    for (const capability of [...new Set(d.needs)]) {
      const from = supplier.get(capability);
      if (from === undefined) {
        problems.push(`${d.name} needs ${capability} (${CAPABILITIES[capability]}), but no add-on of the stack provides it`);
      } else if (from !== d.name) {
        edges.push([d.name, from]);
      }
    }
  }
  const cycle = findCycle(edges);
  if (cycle) problems.push(`release ordering has a cycle: ${cycle.join(" -> ")}`);
  return { edges, problems };
}

/** A cycle in the `[dependent, provider]` graph as a path that ends where it starts, if there is one. */
export function findCycle(edges: readonly (readonly [string, string])[]): string[] | undefined {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    const at = path.indexOf(node);
    if (at >= 0) return [...path.slice(at), node];
    if (done.has(node)) return undefined;
    for (const to of next.get(node) ?? []) {
      const found = visit(to, [...path, node]);
      if (found) return found;
    }
    done.add(node);
    return undefined;
  };
  for (const node of next.keys()) {
    const found = visit(node, []);
    if (found) return found;
  }
  return undefined;
}

interface Member extends Declaration {
  /** The resource that waits (a Helm release), or undefined for a supplier that waits for nothing. */
  readonly waiter?: TerraformResource;
  /** What a dependent waits for when this member supplies a capability. */
  readonly dependables: readonly ITerraformDependable[];
}

const COMPOSITIONS = new WeakMap<TerraformStack, AddonComposition>();

/**
 * The add-ons of one stack and their declarations. A stack opts in with {@link AddonComposition.attach}
 * before it adds add-ons; `HelmAddon` (and the few suppliers that are not releases) then register
 * themselves, and {@link AddonComposition.resolve} writes the `depends_on` once every add-on exists.
 * Without a composition (another team's stack) add-ons keep only the `dependsOn` they were given.
 */
export class AddonComposition {
  /** Starts the composition of `stack`. @throws Error when the stack already has one */
  static attach(stack: TerraformStack): AddonComposition {
    if (COMPOSITIONS.has(stack)) throw new Error(`stack ${stack.node.id} already has an add-on composition`);
    const composition = new AddonComposition();
    COMPOSITIONS.set(stack, composition);
    return composition;
  }

  /** The composition of the stack that contains `scope`, if that stack has one. */
  static of(scope: IConstruct): AddonComposition | undefined {
    return COMPOSITIONS.get(TerraformStack.of(scope));
  }

  private readonly members: Member[] = [];
  private resolved = false;

  private constructor() {}

  /**
   * Registers a release (`waiter`) and what it needs and provides; or, without a waiter, a supplier
   * such as the storage classes.
   * @throws Error after {@link resolve} (a late add-on would silently miss its dependencies)
   */
  register(member: Member): void {
    if (this.resolved) throw new Error(`${member.name} was added after the add-on composition was resolved`);
    if (this.members.some((m) => m.name === member.name)) throw new Error(`add-on ${member.name} is registered twice`);
    this.members.push(member);
  }

  /** The declarations registered so far (for tests and reviews). */
  get declarations(): readonly Declaration[] {
    return this.members.map(({ name, needs, provides }) => ({ name, needs, provides }));
  }

  /**
   * Adds to each release's `depends_on` what its needs resolve to.
   * @throws Error listing every unsatisfied need, duplicate supplier and cycle
   */
  resolve(): void {
    if (this.resolved) throw new Error("the add-on composition is already resolved");
    const { edges, problems } = resolveNeeds(this.declarations);
    if (problems.length > 0) throw new Error(`add-on composition:\n  - ${problems.join("\n  - ")}`);
    const byName = new Map(this.members.map((m) => [m.name, m]));
    for (const [dependent, supplier] of edges) {
      const waiter = byName.get(dependent)!.waiter;
      if (!waiter) continue;
      const current = waiter.dependsOn ?? [];
      const added = byName.get(supplier)!.dependables.map((d) => dependable(d)).filter((d) => !current.includes(d));
      waiter.dependsOn = [...current, ...added];
    }
    this.resolved = true;
  }
}
