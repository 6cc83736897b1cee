/**
 * Kubernetes container resources as chart values (`resources:` in most charts), in Kubernetes'
 * own quantity strings.
 */
export type ContainerResources = {
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** Memory limit only: CPU limits throttle without protecting neighbours. */
  readonly limits: { readonly memory: string };
};
