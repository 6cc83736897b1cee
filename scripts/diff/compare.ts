/**
 * The structural diff of two synthesized revisions, per stack and per address. Pure: takes parsed
 * `cdk.tf.json` objects, returns data.
 *
 * - Values are compared after normalisation (metadata dropped, embedded JSON/YAML parsed).
 * - Lists of scalars are compared by position (a list may be ordered) but reported as one change
 *   with a compact `+added −removed` hint; lists of blocks are compared by position, except lists
 *   whose elements all carry a unique `Sid` or `name` (policy statements, inline policies, Helm
 *   `set`), which are matched by that key so that inserting one element does not shift the rest.
 * - A removed and an added entity of the same type with the same identifying attributes are
 *   reported as a probable rename; references to renamed entities are rewritten before further
 *   matching, so a renamed role and its renamed attachment are both found.
 */
import {
  canonical,
  deepEqual,
  Embedded,
  entitiesOf,
  isPlainObject,
  isScalar,
  forgottenAddresses,
  movedBlocks,
  PathSegment,
  plain,
  renderPath,
  valuesAt,
} from "./normalize";
import type {
  AttributeChange,
  Entity,
  EntityChange,
  EntitySummary,
  RenameCandidate,
  StackDiff,
  StackSet,
  TfJson,
} from "./types";

/** Keys that identify the elements of a list of blocks, in order of preference. */
const LIST_IDENTITY_KEYS = ["Sid", "name"] as const;

function listKey(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  if (a.length === 0 && b.length === 0) return undefined;
  for (const key of LIST_IDENTITY_KEYS) {
    const ok = [a, b].every((list) => {
      const seen = new Set<string>();
      for (const element of list) {
        if (!isPlainObject(element) || typeof element[key] !== "string") return false;
        const id = element[key] as string;
        if (seen.has(id)) return false;
        seen.add(id);
      }
      return true;
    });
    if (ok) return key;
  }
  return undefined;
}

function scalarText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** `+c −a` for two lists of scalars; `reordered` when only the order differs. */
function scalarListNote(oldList: readonly unknown[], newList: readonly unknown[]): string {
  const counts = new Map<string, number>();
  for (const v of oldList) counts.set(canonical(v), (counts.get(canonical(v)) ?? 0) + 1);
  const added: string[] = [];
  for (const v of newList) {
    const c = counts.get(canonical(v)) ?? 0;
    if (c > 0) counts.set(canonical(v), c - 1);
    else added.push(`+${scalarText(v)}`);
  }
  const removed: string[] = [];
  const remaining = new Map(counts);
  for (const v of oldList) {
    const c = remaining.get(canonical(v)) ?? 0;
    if (c > 0) {
      removed.push(`−${scalarText(v)}`);
      remaining.set(canonical(v), c - 1);
    }
  }
  const parts = [...added, ...removed];
  return parts.length === 0 ? "reordered" : parts.join(" ");
}

/**
 * Appends to `out` the differences between two normalised values, with paths relative to
 * `path`. Values are reported in plain form (embedded documents parsed).
 */
export function diffValues(oldValue: unknown, newValue: unknown, path: PathSegment[] = [], out: AttributeChange[] = []): AttributeChange[] {
  if (deepEqual(oldValue, newValue)) return out;
  const at = renderPath(path);
  if (oldValue === undefined) {
    out.push({ path: at, kind: "added", new: plain(newValue) });
    return out;
  }
  if (newValue === undefined) {
    out.push({ path: at, kind: "removed", old: plain(oldValue) });
    return out;
  }
  if (oldValue instanceof Embedded && newValue instanceof Embedded && oldValue.format === newValue.format) {
    return diffValues(oldValue.value, newValue.value, [...path, { embedded: newValue.format }], out);
  }
  if (isPlainObject(oldValue) && isPlainObject(newValue)) {
    const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].sort();
    for (const key of keys) diffValues(oldValue[key], newValue[key], [...path, key], out);
    return out;
  }
  if (Array.isArray(oldValue) && Array.isArray(newValue)) {
    if ([...oldValue, ...newValue].every(isScalar)) {
      out.push({ path: at, kind: "changed", old: oldValue, new: newValue, note: scalarListNote(oldValue, newValue) });
      return out;
    }
    const key = listKey(oldValue, newValue);
    if (key !== undefined) {
      const byKey = (list: readonly unknown[]) => new Map(list.map((e) => [(e as Record<string, string>)[key] as string, e]));
      const oldByKey = byKey(oldValue);
      const newByKey = byKey(newValue);
      const ids = [...new Set([...oldByKey.keys(), ...newByKey.keys()])];
      for (const id of ids) diffValues(oldByKey.get(id), newByKey.get(id), [...path, { key, value: id }], out);
      const commonOld = [...oldByKey.keys()].filter((id) => newByKey.has(id));
      const commonNew = [...newByKey.keys()].filter((id) => oldByKey.has(id));
      if (commonOld.join("\u0000") !== commonNew.join("\u0000")) {
        out.push({ path: at, kind: "reordered", old: commonOld, new: commonNew, note: "reordered" });
      }
      return out;
    }
    const length = Math.max(oldValue.length, newValue.length);
    for (let i = 0; i < length; i++) diffValues(oldValue[i], newValue[i], [...path, i], out);
    return out;
  }
  out.push({ path: at, kind: "changed", old: plain(oldValue), new: plain(newValue) });
  return out;
}

/**
 * Attributes that identify an entity of a type (a renamed construct keeps them). Paths are
 * dotted. Types not listed use the first of `DEFAULT_IDENTITY` present; entities without any are
 * matched only when their whole body is identical.
 */
export const IDENTITY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_eks_node_group: ["cluster_name", "node_group_name"],
  aws_eks_addon: ["cluster_name", "addon_name"],
  aws_eks_access_entry: ["cluster_name", "principal_arn"],
  aws_eks_access_policy_association: ["cluster_name", "principal_arn", "policy_arn"],
  aws_eks_pod_identity_association: ["cluster_name", "namespace", "service_account"],
  aws_iam_role_policy_attachment: ["role", "policy_arn"],
  aws_iam_role_policy: ["role", "name"],
  aws_kms_key: ["description"],
  aws_subnet: ["vpc_id", "cidr_block"],
  aws_vpc: ["cidr_block"],
  aws_route_table_association: ["subnet_id", "route_table_id"],
  helm_release: ["namespace", "name"],
  kubernetes_namespace: ["metadata.name"],
  kubernetes_namespace_v1: ["metadata.name"],
};

const DEFAULT_IDENTITY = [
  "name",
  "bucket",
  "identifier",
  "cluster_identifier",
  "domain_name",
  "alias",
  "node_group_name",
  "name_prefix",
  "bucket_prefix",
  "function_name",
  "repository_name",
  "table_name",
  "metadata.name",
] as const;

function identityAttributes(type: string | undefined, body: unknown): readonly string[] {
  const listed = type === undefined ? undefined : IDENTITY_ATTRIBUTES[type];
  if (listed) return listed;
  const found = DEFAULT_IDENTITY.find((attr) => valuesAt(body, attr.split(".")) !== undefined);
  return found ? [found] : [];
}

function identityValues(type: string | undefined, body: unknown): [string, unknown][] {
  return identityAttributes(type, body).map((attr) => [attr, valuesAt(body, attr.split("."))]);
}

/** `name=eks-idp-dev, namespace=kube-system`: the identifying attributes, for the report. */
export function identityText(entity: Entity): string | undefined {
  const pairs = identityValues(entity.type, entity.body).filter(([, v]) => v !== undefined && isScalar(v));
  if (pairs.length === 0) return undefined;
  return pairs.map(([k, v]) => `${k}=${scalarText(v)}`).join(", ");
}

function summary(entity: Entity): EntitySummary {
  const identity = identityText(entity);
  return {
    address: entity.address,
    kind: entity.kind,
    ...(entity.type === undefined ? {} : { type: entity.type }),
    ...(identity === undefined ? {} : { identity }),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Rewrites references (`${aws_iam_role.old.arn}`) to renamed addresses in a normalised value. */
export function substituteReferences(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (renames.size === 0) return value;
  if (typeof value === "string") {
    if (!value.includes("${")) return value;
    let result = value;
    for (const [from, to] of renames) {
      result = result.replace(new RegExp(`(?<![A-Za-z0-9_.-])${escapeRegExp(from)}(?![A-Za-z0-9_-])`, "g"), to);
    }
    return result;
  }
  if (value instanceof Embedded) return new Embedded(value.format, substituteReferences(value.value, renames));
  if (Array.isArray(value)) return value.map((v) => substituteReferences(v, renames));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(value)) result[key] = substituteReferences(value[key], renames);
    return result;
  }
  return value;
}

function renameMatch(oldEntity: Entity, oldBody: unknown, newEntity: Entity): string | undefined {
  const oldIdentity = identityValues(oldEntity.type, oldBody);
  const newIdentity = identityValues(newEntity.type, newEntity.body);
  const attrs = oldIdentity.map(([k]) => k);
  if (
    attrs.length > 0 &&
    attrs.join() === newIdentity.map(([k]) => k).join() &&
    oldIdentity.some(([, v]) => v !== undefined) &&
    oldIdentity.every(([, v], i) => deepEqual(v, newIdentity[i]?.[1]))
  ) {
    return attrs.join(", ");
  }
  return deepEqual(oldBody, newEntity.body) ? "identical body" : undefined;
}

/** The comparison of one stack, with what the risk analysis needs besides the report. */
export interface StackComparison {
  readonly diff: StackDiff;
  readonly base: ReadonlyMap<string, Entity>;
  readonly head: ReadonlyMap<string, Entity>;
  /** Old address → new address for renames and `moved` blocks. */
  readonly renames: ReadonlyMap<string, string>;
}

const RENAMEABLE = new Set(["resource", "data"]);

/** Compares one stack; either side may be missing (stack added or removed). */
export function compareStack(stack: string, baseTf: TfJson | undefined, headTf: TfJson | undefined): StackComparison {
  const base = baseTf ? entitiesOf(baseTf) : new Map<string, Entity>();
  const head = headTf ? entitiesOf(headTf) : new Map<string, Entity>();
  const renames = new Map<string, string>();
  const changed: EntityChange[] = [];
  const renamed: RenameCandidate[] = [];

  for (const [address, oldEntity] of base) {
    const newEntity = head.get(address);
    if (!newEntity) continue;
    const changes = diffValues(oldEntity.body, newEntity.body);
    if (changes.length > 0) changed.push({ address, kind: newEntity.kind, ...(newEntity.type ? { type: newEntity.type } : {}), changes });
  }

  let removedOnly = [...base.values()].filter((e) => !head.has(e.address));
  let addedOnly = [...head.values()].filter((e) => !base.has(e.address));

  // Declared moves: the state is moved, not destroyed; report them as changes of the new address.
  for (const { from, to } of headTf ? movedBlocks(headTf) : []) {
    const oldEntity = base.get(from);
    const newEntity = head.get(to);
    if (!oldEntity || !newEntity || head.has(from) || base.has(to)) continue;
    renames.set(from, to);
    removedOnly = removedOnly.filter((e) => e.address !== from);
    addedOnly = addedOnly.filter((e) => e.address !== to);
    changed.push({
      address: to,
      movedFrom: from,
      kind: newEntity.kind,
      ...(newEntity.type ? { type: newEntity.type } : {}),
      changes: diffValues(oldEntity.body, newEntity.body),
    });
  }

  // Probable renames, repeated while new pairs are found (a renamed role makes its renamed
  // attachment match on the next pass, once references are rewritten).
  for (let pass = 0; pass < 5; pass++) {
    let found = false;
    for (const oldEntity of removedOnly) {
      if (!RENAMEABLE.has(oldEntity.kind) || oldEntity.type === undefined) continue;
      const oldBody = substituteReferences(oldEntity.body, renames);
      const match = addedOnly.find((n) => n.kind === oldEntity.kind && n.type === oldEntity.type && renameMatch(oldEntity, oldBody, n) !== undefined);
      if (!match) continue;
      renamed.push({
        kind: oldEntity.kind,
        type: oldEntity.type,
        from: oldEntity.address,
        to: match.address,
        matchedOn: renameMatch(oldEntity, oldBody, match) as string,
        changes: diffValues(oldBody, match.body),
      });
      renames.set(oldEntity.address, match.address);
      removedOnly = removedOnly.filter((e) => e !== oldEntity);
      addedOnly = addedOnly.filter((e) => e !== match);
      found = true;
    }
    if (!found) break;
  }

  // `removed` blocks with destroy = false: forgotten by Terraform, not destroyed.
  const forgetting = headTf ? forgottenAddresses(headTf) : new Set<string>();
  const forgottenOnly = removedOnly.filter((e) => forgetting.has(e.address));
  removedOnly = removedOnly.filter((e) => !forgetting.has(e.address));

  const byAddress = <T extends { address?: string; from?: string }>(a: T, b: T) =>
    (a.address ?? a.from ?? "").localeCompare(b.address ?? b.from ?? "");
  const added = addedOnly.map(summary).sort(byAddress);
  const removed = removedOnly.map(summary).sort(byAddress);
  const forgotten = forgottenOnly.map(summary).sort(byAddress);
  changed.sort(byAddress);
  renamed.sort(byAddress);
  const status = !baseTf ? "added" : !headTf ? "removed" : added.length + removed.length + forgotten.length + changed.length + renamed.length > 0 ? "changed" : "unchanged";
  return { diff: { stack, status, added, removed, forgotten, changed, renamed }, base, head, renames };
}

/** Compares every stack of two revisions, in stack-name order. */
export function compareStacks(base: StackSet, head: StackSet): StackComparison[] {
  const names = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
  return names.map((name) => compareStack(name, base[name], head[name]));
}

/** `true` when the attribute at `path` differs once references to renamed entities are rewritten. */
export function differsAfterRenames(oldBody: unknown, newBody: unknown, path: readonly string[], renames: ReadonlyMap<string, string>): boolean {
  return !deepEqual(valuesAt(substituteReferences(oldBody, renames), path), valuesAt(newBody, path));
}

