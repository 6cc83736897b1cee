/**
 * Attributes whose change makes Terraform destroy and recreate the resource (`ForceNew` in the
 * provider schema, `RequiresReplace` in plugin-framework providers).
 *
 * Read from the providers' schema sources (hashicorp/terraform-provider-aws `internal/service/…`,
 * hashicorp/terraform-provider-helm `helm/resource_helm_release.go`), not from memory; each entry
 * names the file and the revision it was checked against. The platform pins AWS provider 6.25.0;
 * where the revision read is older, the entry says so. Only attributes a platform stack could
 * plausibly set are listed; a type missing here is not checked (the report then shows an
 * in-place change).
 */
import { canonical, hasToken, isScalar, valuesAt } from "./normalize";
import { substituteReferences } from "./compare";

export interface ForceNewRule {
  /** Dotted attribute paths whose change forces a new resource. */
  readonly attributes: readonly string[];
  /** Of those, the ones the provider declares as sets (element order is not a change). */
  readonly sets?: readonly string[];
  /** Attributes whose removal (set → unset) forces a new resource (`ForceNewIfChange`). */
  readonly whenRemoved?: readonly string[];
  /** Where this was read. */
  readonly source: string;
  /** What is deliberately not listed, and why. */
  readonly note?: string;
}

const AWS = "hashicorp/terraform-provider-aws";

export const FORCE_NEW: Readonly<Record<string, ForceNewRule>> = {
  aws_vpc: {
    attributes: ["cidr_block", "ipv4_ipam_pool_id", "ipv4_netmask_length"],
    source: `${AWS} internal/service/ec2/vpc_.go @00081ce4 (v5, aws-sdk-go-v2)`,
    note: "instance_tenancy, DNS flags and the IPv6 association are updated in place.",
  },
  aws_subnet: {
    attributes: [
      "availability_zone",
      "availability_zone_id",
      "cidr_block",
      "vpc_id",
      "ipv4_ipam_pool_id",
      "ipv4_netmask_length",
      "ipv6_ipam_pool_id",
      "ipv6_native",
      "ipv6_netmask_length",
      "outpost_arn",
    ],
    source: `${AWS} internal/service/ec2/vpc_subnet.go @00cda125 (v6.x)`,
    note: "ipv6_cidr_block forces a new subnet only when assign_ipv6_address_on_creation was true (CustomizeDiff); not modelled.",
  },
  aws_eks_cluster: {
    attributes: [
      "name",
      "role_arn",
      "bootstrap_self_managed_addons",
      "access_config.bootstrap_cluster_creator_admin_permissions",
      "kubernetes_network_config.ip_family",
      "kubernetes_network_config.service_ipv4_cidr",
      "outpost_config.control_plane_instance_type",
      "outpost_config.control_plane_placement.group_name",
      "remote_network_config",
    ],
    whenRemoved: ["encryption_config"],
    source: `${AWS} internal/service/eks/cluster.go @00555dc5 (v5.8x, auto mode era)`,
    note: "version, vpc_config (subnets included), logging, access_config.authentication_mode and upgrade_policy are updated in place; compute_config.node_role_arn forces a new cluster when an existing role changes (not modelled).",
  },
  aws_eks_node_group: {
    attributes: [
      "ami_type",
      "capacity_type",
      "cluster_name",
      "disk_size",
      "instance_types",
      "launch_template.id",
      "launch_template.name",
      "node_group_name",
      "node_group_name_prefix",
      "node_role_arn",
      "remote_access",
      "subnet_ids",
    ],
    sets: ["subnet_ids"],
    source: `${AWS} internal/service/eks/node_group.go @012e0a32 (v5.x, node_repair_config era)`,
    note: "version, release_version, launch_template.version, scaling_config, labels, taint and update_config are updated in place (rolling node update).",
  },
  aws_eks_addon: {
    attributes: ["addon_name", "cluster_name"],
    source: `${AWS} internal/service/eks/addon.go @00a35305 (v6.x)`,
  },
  aws_eks_access_entry: {
    attributes: ["cluster_name", "principal_arn", "type"],
    source: `${AWS} internal/service/eks/access_entry.go @01f43111 (v5.x)`,
  },
  aws_db_instance: {
    attributes: [
      "engine",
      "availability_zone",
      "backup_target",
      "character_set_name",
      "custom_iam_instance_profile",
      "db_name",
      "kms_key_id",
      "nchar_character_set_name",
      "restore_to_point_in_time",
      "snapshot_identifier",
      "storage_encrypted",
      "timezone",
      "username",
    ],
    source: `${AWS} internal/service/rds/instance.go (v5.x revision with blue_green_update; v4 revision @00e4b238 compared)`,
    note: "identifier is NOT force-new since provider v5: it is renamed in place (ModifyDBInstance NewDBInstanceIdentifier); it was ForceNew in v4.",
  },
  aws_rds_cluster: {
    attributes: [
      "cluster_identifier",
      "cluster_identifier_prefix",
      "engine",
      "engine_mode",
      "database_name",
      "master_username",
      "kms_key_id",
      "availability_zones",
      "db_subnet_group_name",
      "cluster_scalability_type",
      "db_system_id",
      "restore_to_point_in_time",
    ],
    sets: ["availability_zones"],
    source: `${AWS} internal/service/rds/cluster.go @0168cf68 (v5.x, first half of the schema)`,
    note: "storage_encrypted and later attributes were not in the part of the schema read; not listed.",
  },
  aws_s3_bucket: {
    attributes: ["bucket", "bucket_prefix", "object_lock_enabled"],
    source: `${AWS} internal/service/s3/bucket.go @0070bcd1 (v4) and a v5 revision (object_lock_enabled ForceNew)`,
  },
  aws_kms_key: {
    attributes: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
    source: `${AWS} internal/service/kms/key.go @00a35305 (v6.x)`,
    note: "Not 'none': key spec, usage, multi-region and custom key store force a new key. Policy, description, rotation and deletion window are in place.",
  },
  aws_kms_alias: {
    attributes: ["name", "name_prefix"],
    source: `${AWS} internal/service/kms/alias.go @01c08000 (v4/v5)`,
    note: "target_key_id is updated in place.",
  },
  aws_iam_role: {
    attributes: ["name", "name_prefix", "path"],
    source: `${AWS} internal/service/iam/role.go @0040ea69 (v4 revision)`,
    note: "assume_role_policy, inline policies, description, max_session_duration and permissions_boundary are in place.",
  },
  aws_iam_policy: {
    attributes: ["name", "name_prefix", "path", "description"],
    source: `${AWS} internal/service/iam/policy.go @01ccd9a2 (v5.x)`,
    note: "the policy document itself is a new default version (in place).",
  },
  aws_cloudwatch_log_group: {
    attributes: ["name", "name_prefix", "log_group_class"],
    source: `${AWS} internal/service/logs/group.go @0073593e (v6.x)`,
    note: "kms_key_id and retention_in_days are updated in place.",
  },
  aws_prometheus_workspace: {
    attributes: ["kms_key_arn"],
    whenRemoved: ["alias"],
    source: `${AWS} internal/service/amp/workspace.go @0620f2a6 (v5.x)`,
  },
  aws_opensearch_domain: {
    attributes: ["domain_name", "encrypt_at_rest.kms_key_id"],
    source: `${AWS} internal/service/opensearch/domain.go @0089ff3b (v4) and a newer revision (endpoint_v2 era)`,
    note: "engine_version forces a new domain only for an upgrade AWS reports as incompatible (CustomizeDiff calls the API): not knowable offline. encrypt_at_rest.enabled lost ForceNew in newer revisions.",
  },
  helm_release: {
    attributes: ["name", "namespace"],
    source: "hashicorp/terraform-provider-helm helm/resource_helm_release.go @00b1612d (v3, RequiresReplace)",
  },
};

/** A force-new attribute whose value changes. */
export interface ForceNewChange {
  readonly attribute: string;
  readonly old: unknown;
  readonly new: unknown;
  /** The old or new value is a Terraform expression: the real values are known at plan time. */
  readonly reference: boolean;
}

function comparable(value: unknown, isSet: boolean): string {
  if (isSet && Array.isArray(value) && value.every(isScalar)) return canonical([...value].map((v) => canonical(v)).sort());
  return canonical(value);
}

/**
 * The force-new attributes that change between two normalised bodies of a resource. References
 * to renamed entities are rewritten first (a renamed data source is not a new subnet).
 */
export function forceNewChanges(
  type: string,
  oldBody: unknown,
  newBody: unknown,
  renames: ReadonlyMap<string, string> = new Map(),
): ForceNewChange[] {
  const rule = FORCE_NEW[type];
  if (!rule) return [];
  const before = substituteReferences(oldBody, renames);
  const result: ForceNewChange[] = [];
  for (const attribute of rule.attributes) {
    const path = attribute.split(".");
    const oldValue = valuesAt(before, path);
    const newValue = valuesAt(newBody, path);
    const isSet = rule.sets?.includes(attribute) ?? false;
    if (comparable(oldValue, isSet) === comparable(newValue, isSet)) continue;
    result.push({ attribute, old: valuesAt(oldBody, path), new: newValue, reference: hasToken(oldValue) || hasToken(newValue) });
  }
  for (const attribute of rule.whenRemoved ?? []) {
    const path = attribute.split(".");
    const oldValue = valuesAt(before, path);
    const newValue = valuesAt(newBody, path);
    if (oldValue !== undefined && newValue === undefined) result.push({ attribute, old: oldValue, new: undefined, reference: false });
  }
  return result;
}
