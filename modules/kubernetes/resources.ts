/**
 * Kubernetes container resources as chart values (`resources:` in most charts), in Kubernetes'
 * own quantity strings.
 */
export type ContainerResources = {
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** Memory limit only: CPU limits throttle without protecting neighbours. */
  readonly limits: { readonly memory: string };
};

/** The in-cluster DNS name of a Service: `<name>.<namespace>.svc.cluster.local`. */
export function serviceHost(name: string, namespace: string): string {
  return `${name}.${namespace}.svc.cluster.local`;
}
