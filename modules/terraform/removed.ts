import { TerraformElement } from "cdktf";
import { Construct } from "constructs";

/**
 * A Terraform `removed` block (Terraform >= 1.7) with `lifecycle { destroy = false }`: the resource
 * this construct path held before (type `resourceType`, same construct ID, so the same address) is
 * dropped from the state without being destroyed. A no-op where the state never held it.
 *
 * For handing live objects over to something else in one apply, e.g. custom resources that a Helm
 * release takes ownership of, instead of deleting and re-creating them.
 */
export class ForgottenResource extends TerraformElement {
  /** The address whose object is kept and forgotten, e.g. `kubernetes_manifest.karpenter_node-class_A0A7F8C4`. */
  readonly address: string;

  constructor(scope: Construct, id: string, resourceType: string) {
    super(scope, id);
    this.address = `${resourceType}.${this.friendlyUniqueId}`;
  }

  override toTerraform(): Record<string, unknown> {
    return { removed: [{ from: this.address, lifecycle: { destroy: false } }] };
  }
}
