import { TerraformResource } from "cdktf";
import { IConstruct } from "constructs";

/**
 * Every Terraform resource inside `scope` (the scope itself included), in construct-tree order.
 *
 * For `dependsOn` lists that must wait for a whole construct rather than one of its resources, e.g.
 * a Helm release that must not start before its IRSA role AND the role's inline policy exist
 * (`IrsaRole` exposes only the role).
 */
export function resourcesOf(scope: IConstruct): TerraformResource[] {
  return scope.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
}
