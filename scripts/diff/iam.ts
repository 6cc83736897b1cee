/**
 * IAM policy widening: which permissions a new policy document grants that the old one did not.
 *
 * Each `Allow` statement is expanded into grants (principal × action × resource, with its
 * condition). A new grant is covered when an old grant has the same principal (or `*`), an action
 * and a resource pattern that match it (IAM wildcards `*` and `?`; actions case-insensitive), and
 * no condition or the same condition. Uncovered grants are the widening. Also reported: a `*`
 * appearing in actions, resources or principals; new `NotAction`/`NotResource`/`NotPrincipal`
 * allows; removed `Deny` statements. Pure.
 */
import { canonical, Embedded, isPlainObject, PathSegment, renderPath } from "./normalize";

interface Statement {
  readonly Sid?: unknown;
  readonly Effect?: unknown;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

/** A policy document found in a resource body, by its attribute path. */
export interface FoundPolicy {
  readonly path: string;
  readonly statements: readonly Statement[];
}

function isPolicyDocument(value: unknown): value is { Statement: unknown } {
  return isPlainObject(value) && "Statement" in value && (Array.isArray(value["Statement"]) || isPlainObject(value["Statement"]));
}

function elementSegment(list: readonly unknown[], element: unknown, index: number): PathSegment {
  for (const key of ["Sid", "name"]) {
    const ids = list.map((e) => (isPlainObject(e) && typeof e[key] === "string" ? (e[key] as string) : undefined));
    if (ids.every((id) => id !== undefined) && new Set(ids).size === ids.length && isPlainObject(element)) {
      return { key, value: element[key] as string };
    }
  }
  return index;
}

/**
 * Every embedded JSON policy document (an object with `Statement`) in a normalised body: `policy`,
 * `assume_role_policy`, `inline_policy[name=…].policy`, `access_policies`… Paths use the same
 * notation as the diff.
 */
export function findPolicies(body: unknown, path: PathSegment[] = [], out: FoundPolicy[] = []): FoundPolicy[] {
  if (body instanceof Embedded) {
    const inner = [...path, { embedded: body.format }];
    if (body.format === "json" && isPolicyDocument(body.value)) {
      const raw = body.value.Statement;
      const statements = (Array.isArray(raw) ? raw : [raw]).filter(isPlainObject) as Statement[];
      out.push({ path: renderPath(inner), statements });
      return out;
    }
    return findPolicies(body.value, inner, out);
  }
  if (Array.isArray(body)) {
    body.forEach((element, i) => findPolicies(element, [...path, elementSegment(body, element, i)], out));
    return out;
  }
  if (isPlainObject(body)) {
    for (const key of Object.keys(body)) findPolicies(body[key], [...path, key], out);
  }
  return out;
}

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => (typeof v === "string" ? v : canonical(v)));
}

function principals(value: unknown): string[] {
  if (value === undefined) return [""];
  if (typeof value === "string") return [value === "*" ? "*" : value];
  if (isPlainObject(value)) {
    const result: string[] = [];
    for (const kind of Object.keys(value).sort()) for (const id of list(value[kind])) result.push(id === "*" ? "*" : `${kind}:${id}`);
    return result.length > 0 ? result : [""];
  }
  return [canonical(value)];
}

interface Grant {
  readonly statement: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly condition: string;
}

function statementLabel(statement: Statement, index: number): string {
  return typeof statement.Sid === "string" && statement.Sid !== "" ? `Sid=${statement.Sid}` : `#${index}`;
}

function grantsOf(statements: readonly Statement[]): Grant[] {
  const grants: Grant[] = [];
  statements.forEach((s, i) => {
    if (s.Effect !== "Allow" || s.NotAction !== undefined || s.NotResource !== undefined || s.NotPrincipal !== undefined) return;
    const condition = s.Condition === undefined ? "" : canonical(s.Condition);
    const resources = s.Resource === undefined ? [""] : list(s.Resource);
    for (const principal of principals(s.Principal))
      for (const action of list(s.Action))
        for (const resource of resources) grants.push({ statement: statementLabel(s, i), principal, action, resource, condition });
  });
  return grants;
}

const patternCache = new Map<string, RegExp>();

function covers(pattern: string, value: string, caseInsensitive: boolean): boolean {
  if (pattern === value) return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return caseInsensitive && pattern.toLowerCase() === value.toLowerCase();
  const cacheKey = `${caseInsensitive ? "i" : "s"}:${pattern}`;
  let regex = patternCache.get(cacheKey);
  if (!regex) {
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    regex = new RegExp(`^${source}$`, caseInsensitive ? "i" : "");
    patternCache.set(cacheKey, regex);
  }
  return regex.test(value);
}

function grantCovered(grant: Grant, old: readonly Grant[]): boolean {
  return old.some(
    (o) =>
      (o.principal === grant.principal || o.principal === "*") &&
      covers(o.action, grant.action, true) &&
      covers(o.resource, grant.resource, false) &&
      (o.condition === "" || o.condition === grant.condition),
  );
}

/**
 * A wildcard worth flagging: any `*` in an action (`*`, `s3:*`, `s3:Get*`); a resource that is `*`
 * or an ARN whose resource part is `*` (`arn:aws:s3:::*`) — scoped patterns such as
 * `arn:…:bucket/*` or `log-group:name:*` are judged by the grants instead; a principal `*`.
 */
function isWildcard(field: "Action" | "Resource" | "Principal", value: string): boolean {
  if (field === "Action") return value.includes("*");
  if (field === "Resource") return value === "*" || (value.startsWith("arn:") && value.split(":").slice(5).join(":") === "*");
  return value === "*" || value === "AWS:*";
}

/** `AWS:arn:aws:iam::123456789012:root`: delegation to the account's own IAM (AWS's default key policy). */
function isAccountRoot(principal: string): boolean {
  return /^AWS:arn:[a-z-]+:iam::\d{12}:root$/.test(principal) || /^AWS:\d{12}$/.test(principal);
}

/** What a new policy document grants beyond the old one. Empty when nothing widens. */
export interface PolicyWidening {
  readonly path: string;
  /** One line per widened statement: `Sid=X: s3:PutObject on arn:…` (+ why, when a condition changed). */
  readonly grants: readonly string[];
  /** Wildcards that appear in the new document and not in the old one (`Action *`, `Resource *`…). */
  readonly wildcards: readonly string[];
  /** New allows with NotAction/NotResource/NotPrincipal, and removed Deny statements. */
  readonly other: readonly string[];
  /** Actions the old document did not mention at all (deduplicated), for a one-line summary. */
  readonly actions: readonly string[];
  /** Resources the old document did not mention at all (deduplicated). */
  readonly resources: readonly string[];
}

function shortList(values: readonly string[], max = 6): string {
  return values.length <= max ? values.join(", ") : `${values.slice(0, max).join(", ")} (+${values.length - max} more)`;
}

/**
 * Compares two policy documents' statements (`old` empty for a new document). Returns
 * `undefined` when the new document grants nothing the old one did not.
 */
export function policyWidening(path: string, oldStatements: readonly Statement[], newStatements: readonly Statement[]): PolicyWidening | undefined {
  const oldGrants = grantsOf(oldStatements);
  const newGrants = grantsOf(newStatements);
  const uncovered = newGrants.filter((g) => !grantCovered(g, oldGrants));

  const byStatement = new Map<string, { actions: Set<string>; resources: Set<string>; principals: Set<string>; conditionChanged: boolean }>();
  for (const g of uncovered) {
    const entry = byStatement.get(g.statement) ?? { actions: new Set(), resources: new Set(), principals: new Set(), conditionChanged: false };
    entry.actions.add(g.action);
    if (g.resource !== "") entry.resources.add(g.resource);
    if (g.principal !== "") entry.principals.add(g.principal);
    if (oldGrants.some((o) => o.principal === g.principal && o.action === g.action && o.resource === g.resource && o.condition !== g.condition)) {
      entry.conditionChanged = true;
    }
    byStatement.set(g.statement, entry);
  }
  const grants = [...byStatement].map(([statement, e]) => {
    const on = e.resources.size > 0 ? ` on ${shortList([...e.resources], 4)}` : "";
    const to = e.principals.size > 0 ? ` to ${shortList([...e.principals], 4)}` : "";
    const why = e.conditionChanged ? " (condition changed or removed)" : "";
    return `${statement}: ${shortList([...e.actions])}${on}${to}${why}`;
  });

  // Statements granting only to the account root delegate to IAM (the default key policy): their
  // `kms:*` on `*` is not a widening by itself.
  const delegating = (s: Statement) => s.Principal !== undefined && principals(s.Principal).every(isAccountRoot);
  const field = (statements: readonly Statement[], name: "Action" | "Resource" | "Principal") =>
    new Set(
      statements
        .filter((s) => s.Effect === "Allow" && !delegating(s))
        .flatMap((s) => (name === "Principal" ? principals(s.Principal) : list(s[name]))),
    );
  const wildcards: string[] = [];
  for (const name of ["Action", "Resource", "Principal"] as const) {
    const before = field(oldStatements, name);
    for (const value of field(newStatements, name)) if (isWildcard(name, value) && !before.has(value)) wildcards.push(`${name} ${value}`);
  }

  const other: string[] = [];
  const oldCanon = new Set(oldStatements.map(canonical));
  const newCanon = new Set(newStatements.map(canonical));
  newStatements.forEach((s, i) => {
    const negated = (["NotAction", "NotResource", "NotPrincipal"] as const).filter((k) => s[k] !== undefined);
    if (s.Effect === "Allow" && negated.length > 0 && !oldCanon.has(canonical(s))) {
      other.push(`${statementLabel(s, i)}: Allow with ${negated.join("/")} (allows everything not listed)`);
    }
  });
  oldStatements.forEach((s, i) => {
    if (s.Effect === "Deny" && !newCanon.has(canonical(s))) other.push(`${statementLabel(s, i)}: Deny statement removed or changed`);
  });

  if (grants.length === 0 && wildcards.length === 0 && other.length === 0) return undefined;
  return {
    path,
    grants,
    wildcards,
    other,
    actions: [...new Set(uncovered.map((g) => g.action))].filter((a) => !oldGrants.some((o) => o.action.toLowerCase() === a.toLowerCase())),
    resources: [...new Set(uncovered.map((g) => g.resource))].filter((r) => r !== "" && !oldGrants.some((o) => o.resource === r)),
  };
}
