/**
 * Small value shapes that many charts share, so that add-ons build them one way.
 */

/** A chart's service account block: `{ create, name, annotations }`. */
export interface ChartServiceAccount {
  readonly create: true;
  readonly name: string;
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * The service account a chart creates, under an explicit name (the one an IRSA trust policy names:
 * a generated name would not match it), with its annotations (e.g. the IRSA role ARN). Without
 * annotations the key is left out, so the chart's default applies.
 */
export function chartServiceAccount(name: string, annotations: Readonly<Record<string, string>> = {}): ChartServiceAccount {
  return {
    create: true,
    name,
    ...(Object.keys(annotations).length > 0 ? { annotations: { ...annotations } } : {}),
  };
}

/**
 * @throws Error naming the component unless `replicas` is a positive integer
 */
export function assertReplicas(component: string, replicas: number): void {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new Error(`${component}: replicas must be a positive integer, got ${replicas}`);
  }
}
