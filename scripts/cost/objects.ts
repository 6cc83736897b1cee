/**
 * The Kubernetes objects a synthesized stack applies, wherever they are written: `kubernetes_manifest`
 * resources and the values of Helm releases (the platform's custom resources are rendered through a
 * release of the repository chart, whose values list the objects). Shared by `npm run cost`,
 * `npm run upgrade-plan` and `npm run teardown`.
 */
import { parse as parseYaml } from "yaml";
import type { TfJson } from "../diff/types";

/** An object with `apiVersion` and `kind`, and where it was found. */
export interface FoundObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** Terraform address of the resource that carries it. */
  readonly resource: string;
  /** `manifest` or `values`. */
  readonly in: "manifest" | "values";
}

function collect(value: unknown, resource: string, where: FoundObject["in"], out: FoundObject[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, resource, where, out);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const obj = value as Record<string, unknown>;
  if (typeof obj.apiVersion === "string" && typeof obj.kind === "string") out.push({ apiVersion: obj.apiVersion, kind: obj.kind, object: obj, resource, in: where });
  for (const child of Object.values(obj)) collect(child, resource, where, out);
}

/** Every object of one resource body (a `kubernetes_manifest` or a `helm_release`). */
export function objectsOf(type: string, name: string, body: Readonly<Record<string, unknown>>): FoundObject[] {
  const out: FoundObject[] = [];
  const resource = `${type}.${name}`;
  if (type === "kubernetes_manifest") collect(body.manifest, resource, "manifest", out);
  if (type === "helm_release") for (const values of (body.values as string[] | undefined) ?? []) collect(parseYaml(values) as unknown, resource, "values", out);
  return out;
}

/** Every object of a stack, in resource order. */
export function kubernetesObjects(tf: TfJson): FoundObject[] {
  const resources = (tf.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  return ["kubernetes_manifest", "helm_release"].flatMap((type) =>
    Object.keys(resources[type] ?? {})
      .sort()
      .flatMap((name) => objectsOf(type, name, resources[type]![name]!)),
  );
}
