/**
 * Chart values as data: typed objects merged and rendered to YAML deterministically (sorted keys),
 * so the same input always gives the same `values` string in the plan.
 */
import { stringify } from "yaml";

/** A JSON-like value tree. */
export type Values = { readonly [key: string]: unknown };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Deep-merges `overrides` into `base`: objects merge key by key, anything else (arrays included)
 * is replaced by the override. Neither argument is modified.
 */
export function mergeValues(base: Values, ...overrides: readonly Values[]): Values {
  const result: Record<string, unknown> = { ...base };
  for (const override of overrides) {
    for (const [key, value] of Object.entries(override)) {
      const current = result[key];
      result[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
    }
  }
  return result;
}

/**
 * Renders values as YAML with sorted keys; `undefined` entries are dropped. A literal `${` (chart
 * syntax such as `${env:MY_POD_IP}`) is escaped to `$${` so Terraform does not read it as an
 * interpolation; cdktf tokens (references to other resources) are left to resolve.
 */
export function renderValues(values: Values): string {
  const yaml = stringify(values, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
  return yaml.replace(/\$\{(?!TfToken\[)/g, () => "$${");
}
