/**
 * Force-new facts per resource type: which attribute changes make Terraform destroy and recreate
 * the resource, read from the provider sources (never from memory). One entry per resource type
 * the stacks synthesize; `__tests__/synth-diff.test.ts` synthesizes the platform and fails on a
 * type without an entry.
 *
 * Pinned providers (package.json: @cdktf/provider-aws 21.22.1, provider-helm 12.1.2,
 * provider-kubernetes 12.1.1): AWS 6.25.0, Helm 3.1.1, Kubernetes 2.38.0.
 *
 * How each provider was read:
 * - Helm and Kubernetes: the tags themselves (`git show v3.1.1:…`, `git show v2.38.0:…` in a full
 *   clone of the repository), commits below.
 * - AWS: the repository is over the snapshot size limit of the tools used, so the tag v6.25.0
 *   could not be checked out. Each file was read at the stored commit named in its entry (its
 *   era in brackets), and the provider CHANGELOG was read for 6.26.0–6.31.0 to find
 *   replacement-behaviour changes made after 6.25.0 (December 4, 2025) to these types; where one
 *   exists, the entry follows 6.25.0 and says so. Older revisions were accepted only for
 *   resources whose schema these attributes have not changed in since (simple associations,
 *   policies); that is a judgement, stated as such in `note`.
 *
 * Entry fields: `attributes` (dotted paths, nested blocks included) whose change forces a new
 * resource; `sets` (set-typed, order is no change); `whenRemoved` (only the removal forces a new
 * resource, `ForceNewIfChange`-style); `noUpdate` (the resource has no Update: every argument
 * forces a new resource). A type with no force-new argument has `attributes: []` and says so.
 */

export type ProviderName = "aws" | "helm" | "kubernetes";

/** The provider versions the stacks pin, and the repository each was read in. */
export const PROVIDERS: Readonly<Record<ProviderName, { readonly repo: string; readonly version: string; readonly tag: string; readonly tagCommit?: string }>> = {
  aws: { repo: "hashicorp/terraform-provider-aws", version: "6.25.0", tag: "v6.25.0" },
  helm: { repo: "hashicorp/terraform-provider-helm", version: "3.1.1", tag: "v3.1.1", tagCommit: "1cbf08f6a306ab3cdff6079b87a61c7641b64f3b" },
  kubernetes: { repo: "hashicorp/terraform-provider-kubernetes", version: "2.38.0", tag: "v2.38.0", tagCommit: "be88f44271050f69d52f410bca388834afedfe71" },
};

export interface ForceNewRule {
  readonly provider: ProviderName;
  /** Dotted attribute paths whose change forces a new resource. */
  readonly attributes: readonly string[];
  /** Of those, the ones the provider declares as sets (element order is not a change). */
  readonly sets?: readonly string[];
  /** Attributes whose removal (set → unset) forces a new resource. */
  readonly whenRemoved?: readonly string[];
  /** No Update function: a change to any argument replaces the resource. */
  readonly noUpdate?: boolean;
  /** File read, relative to the provider repository. */
  readonly file: string;
  /** Revision read: the tag for Helm/Kubernetes, the stored commit (with its era) for AWS. */
  readonly revision: string;
  /** What is deliberately not listed, version caveats, and why. */
  readonly note?: string;
}

const AWS_RULES: Readonly<Record<string, Omit<ForceNewRule, "provider">>> = {
  aws_cloudwatch_event_rule: {
    attributes: ["event_bus_name", "name", "name_prefix"],
    file: "internal/service/events/rule.go",
    revision: "0cdab4ae09a963535e03dde0bff4784afe8e3517 (6.x, 2025)",
  },
  aws_cloudwatch_event_target: {
    attributes: ["event_bus_name", "rule", "target_id"],
    file: "internal/service/events/target.go",
    revision: "0762c41e2027fcd3cb8340d3e6886c6975fc0a59 (5.x/6.x, aws-sdk-go-v2)",
    note: "arn (the target) and input are updated in place (PutTargets).",
  },
  aws_cloudwatch_log_group: {
    attributes: ["name", "name_prefix", "log_group_class"],
    file: "internal/service/logs/group.go",
    revision: "0073593e7d6993ba482409f4dc35438daaa79bb3 (6.x)",
    note: "kms_key_id and retention_in_days are updated in place. deletion_protection_enabled was added in 6.25.0 (CHANGELOG, #45298).",
  },
  aws_cloudwatch_log_resource_policy: {
    attributes: ["policy_name", "resource_arn"],
    file: "internal/service/logs/resource_policy.go",
    revision: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (6.36 era)",
    note: "policy_document is updated in place (PutResourcePolicy).",
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
    file: "internal/service/rds/instance.go",
    revision: "a v5.x revision with blue_green_update (read in an earlier session; v4 @00e4b238 compared)",
    note: "identifier is NOT force-new since provider v5 (renamed in place with ModifyDBInstance NewDBInstanceIdentifier). 6.26.0 adds upgrade_rollout_order (after the pinned version).",
  },
  aws_db_parameter_group: {
    attributes: ["description", "family", "name", "name_prefix"],
    file: "internal/service/rds/parameter_group.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (5.x/6.x, aws-sdk-go-v2)",
    note: "parameter is updated in place (ModifyDBParameterGroup/ResetDBParameterGroup); skip_destroy is state-only.",
  },
  aws_db_subnet_group: {
    attributes: ["name", "name_prefix"],
    file: "internal/service/rds/subnet_group.go",
    revision: "01c08000ddb14181b5bd19201d8fca311dc570e4 (4.x/5.x)",
    note: "description and subnet_ids are updated in place (ModifyDBSubnetGroup).",
  },
  aws_default_security_group: {
    attributes: ["vpc_id"],
    file: "internal/service/ec2/vpc_default_security_group.go",
    revision: "01f431114674c27cf790fafb67ac274bf8f765e1 (5.x)",
    note: "ingress/egress are updated in place (shared update with aws_security_group); deleting it only drops it from state.",
  },
  aws_ec2_subnet_cidr_reservation: {
    attributes: ["cidr_block", "description", "reservation_type", "subnet_id"],
    noUpdate: true,
    file: "internal/service/ec2/vpc_subnet_cidr_reservation.go",
    revision: "15f63f0045b4d9811e221dfbdb899c1a3418153e (5.x/6.x, aws-sdk-go-v2)",
    note: "No Update function (Create, Read, Delete only): every argument is ForceNew.",
  },
  aws_eip: {
    attributes: ["address", "domain", "ipam_pool_id", "network_border_group", "public_ipv4_pool"],
    file: "internal/service/ec2/ec2_eip.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (5.x/6.x)",
  },
  aws_eks_access_entry: {
    attributes: ["cluster_name", "principal_arn", "type"],
    file: "internal/service/eks/access_entry.go",
    revision: "01f431114674c27cf790fafb67ac274bf8f765e1 (5.x)",
    note: "kubernetes_groups and user_name are updated in place (UpdateAccessEntry).",
  },
  aws_eks_pod_identity_association: {
    attributes: ["cluster_name", "namespace", "service_account"],
    file: "internal/service/eks/pod_identity_association.go",
    revision: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (6.x, 2026): plugin framework, stringplanmodifier.RequiresReplace on cluster_name, namespace and service_account",
    note: "role_arn, target_role_arn and disable_session_tags are updated in place (UpdatePodIdentityAssociation); tags in place.",
  },
  aws_eks_access_policy_association: {
    attributes: ["access_scope", "access_scope.namespaces", "access_scope.type", "cluster_name", "policy_arn", "principal_arn"],
    sets: ["access_scope.namespaces"],
    noUpdate: true,
    file: "internal/service/eks/access_policy_association.go",
    revision: "01f431114674c27cf790fafb67ac274bf8f765e1 (5.x)",
    note: "No Update function (only Create, Read, Delete): every argument is ForceNew, so any change is a replacement.",
  },
  aws_eks_addon: {
    attributes: ["addon_name", "cluster_name"],
    file: "internal/service/eks/addon.go",
    revision: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (6.36 era)",
    note: "addon_version, configuration_values (the vpc-cni ENIConfig included), pod_identity_association and service_account_role_arn are updated in place (UpdateAddon); the ENIConfig risk is rated separately (risk.ts).",
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
    file: "internal/service/eks/cluster.go",
    revision: "00555dc5b38f92abbfa230badea0ed0754cea81e (5.8x, auto-mode era)",
    note:
      "version, vpc_config (subnet_ids, security_group_ids, endpoint access), enabled_cluster_log_types, access_config.authentication_mode and upgrade_policy are updated in place in this revision (in 4.x vpc_config.subnet_ids/security_group_ids were ForceNew: a v4 revision @e33a89d0 was compared). compute_config.node_role_arn forces a new cluster when an existing role changes (CustomizeDiff, not modelled). deletion_protection was added in 6.9.0 (#43779), after this revision: not checked, treated as in place.",
  },
  aws_eks_identity_provider_config: {
    attributes: ["cluster_name", "oidc"],
    file: "internal/service/eks/identity_provider_config.go",
    revision: "0015017ad4056c21b70ab87f24a39c720202878f (3.x/4.x, aws-sdk-go v1)",
    note: "Update only changes tags; every oidc field (client_id, issuer_url, claims, prefixes, identity_provider_config_name) is ForceNew.",
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
    file: "internal/service/eks/node_group.go",
    revision: "012e0a32f0686212f447447fd3d81c3d0ce256ad (5.x, node_repair_config era)",
    note: "version, release_version, launch_template.version, scaling_config, labels, taint, update_config and node_repair_config are updated in place (rolling node update). 6.26.0 adds update_config.update_strategy (in place, after the pinned version).",
  },
  aws_flow_log: {
    attributes: [
      "deliver_cross_account_role",
      "destination_options",
      "eni_id",
      "iam_role_arn",
      "log_destination",
      "log_destination_type",
      "log_format",
      "max_aggregation_interval",
      "regional_nat_gateway_id",
      "subnet_id",
      "traffic_type",
      "transit_gateway_attachment_id",
      "transit_gateway_id",
      "vpc_id",
    ],
    file: "internal/service/ec2/vpc_flow_log.go",
    revision: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (6.36 era)",
    note: "Update changes tags only. regional_nat_gateway_id was added in 6.25.0 (CHANGELOG, #45380).",
  },
  aws_iam_openid_connect_provider: {
    attributes: ["url"],
    file: "internal/service/iam/openid_connect_provider.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (6.x)",
    note: "client_id_list and thumbprint_list are updated in place.",
  },
  aws_iam_policy: {
    attributes: ["name", "name_prefix", "path", "description"],
    file: "internal/service/iam/policy.go",
    revision: "01ccd9a2 (5.x, read in an earlier session)",
    note: "The policy document itself becomes a new default version (in place).",
  },
  aws_iam_role: {
    attributes: ["name", "name_prefix", "path"],
    file: "internal/service/iam/role.go",
    revision: "0040ea69 (4.x revision, read in an earlier session)",
    note: "assume_role_policy, inline policies, description, max_session_duration and permissions_boundary are updated in place.",
  },
  aws_iam_role_policy: {
    attributes: ["name", "name_prefix", "role"],
    file: "internal/service/iam/role_policy.go",
    revision: "02f97af85f89a04e8ed89f5e8b64a9a67f3cfe07 (5.x)",
    note: "policy is updated in place (PutRolePolicy).",
  },
  aws_iam_role_policy_attachment: {
    attributes: ["policy_arn", "role"],
    noUpdate: true,
    file: "internal/service/iam/role_policy_attachment.go",
    revision: "04c79849dbe7fbe76c3054b364357bcdaade9ac5 (4.x)",
    note: "No Update function: both arguments are ForceNew.",
  },
  aws_internet_gateway: {
    attributes: [],
    file: "internal/service/ec2/vpc_internet_gateway.go",
    revision: "08923b68b5ad6fcfdd38362fb5247e39a9b07add (4.x/5.x)",
    note: "Nothing forces a new gateway: vpc_id is changed by detach + attach in Update.",
  },
  aws_kms_alias: {
    attributes: ["name", "name_prefix"],
    file: "internal/service/kms/alias.go",
    revision: "01c08000 (4.x/5.x, read in an earlier session)",
    note: "target_key_id is updated in place.",
  },
  aws_kms_key: {
    attributes: ["customer_master_key_spec", "key_usage", "multi_region", "custom_key_store_id", "xks_key_id"],
    file: "internal/service/kms/key.go",
    revision: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (6.36 era)",
    note: "Policy, description, rotation and deletion window are updated in place.",
  },
  aws_launch_template: {
    attributes: ["name", "name_prefix"],
    file: "internal/service/ec2/ec2_launch_template.go",
    revision: "025e4f81cab8553cb052aebfcc5987e2aa8c702a (4.x/5.x)",
    note: "Every launch data change creates a new template version (CreateLaunchTemplateVersion), not a new template.",
  },
  aws_nat_gateway: {
    attributes: ["allocation_id", "connectivity_type", "private_ip", "secondary_private_ip_address_count", "subnet_id"],
    file: "internal/service/ec2/vpc_nat_gateway.go",
    revision: "04088eaa54948421bf1ef7494ae2b2c01d9243e3 (5.x)",
    note: "secondary_allocation_ids and secondary_private_ip_addresses are updated in place. Regional NAT gateways (availability mode) arrived around 6.24/6.25 and were not in this revision.",
  },
  aws_opensearch_domain: {
    attributes: ["domain_name", "encrypt_at_rest.kms_key_id"],
    file: "internal/service/opensearch/domain.go",
    revision: "0089ff3b (4.x) and a newer endpoint_v2-era revision (read in an earlier session)",
    note: "engine_version forces a new domain only for an upgrade AWS reports as incompatible (CustomizeDiff calls the API): not knowable offline. encrypt_at_rest.enabled lost ForceNew in newer revisions.",
  },
  aws_opensearch_domain_policy: {
    attributes: [],
    file: "internal/service/opensearch/domain_policy.go",
    revision: "120cd12f625d6f7b6bc3b30769488bb89727da87 (5.x/6.x)",
    note: "Nothing is ForceNew: Create and Update both call UpdateDomainConfig (domain_name included).",
  },
  aws_prometheus_workspace: {
    attributes: ["kms_key_arn"],
    whenRemoved: ["alias"],
    file: "internal/service/amp/workspace.go",
    revision: "0620f2a6 (5.x, read in an earlier session)",
  },
  aws_prometheus_workspace_configuration: {
    attributes: ["workspace_id"],
    file: "internal/service/amp/workspace_configuration.go",
    revision: "108f85fd2bfcd9e85ed93fddb752c5cc10dba1ff (6.3x, plugin framework: RequiresReplace)",
    note: "retention_period_in_days and limits_per_label_set are updated in place; delete is a no-op.",
  },
  aws_route: {
    attributes: ["route_table_id", "destination_cidr_block", "destination_ipv6_cidr_block", "destination_prefix_list_id"],
    file: "internal/service/ec2/vpc_route.go",
    revision: "0128541e0711766f28540143a9d73738aced60aa (4.x)",
    note: "The target (gateway_id, nat_gateway_id, ...) is updated in place (ReplaceRoute).",
  },
  aws_route_table: {
    attributes: ["vpc_id"],
    file: "internal/service/ec2/vpc_route_table.go",
    revision: "022092419b7cda11527df3c6b51cbfe1876c1722 (5.x)",
  },
  aws_route_table_association: {
    attributes: ["gateway_id", "subnet_id"],
    file: "internal/service/ec2/vpc_route_table_association.go",
    revision: "0be71beb458ad8875e0acc5c91519c0ceeb214aa (4.x/5.x)",
    note: "route_table_id is updated in place (ReplaceRouteTableAssociation).",
  },
  aws_s3_bucket: {
    attributes: ["bucket", "bucket_prefix", "object_lock_enabled"],
    file: "internal/service/s3/bucket.go",
    revision: "0070bcd1 (4.x) and a 5.x revision (object_lock_enabled ForceNew), read in an earlier session",
  },
  aws_s3_bucket_lifecycle_configuration: {
    attributes: ["bucket", "expected_bucket_owner"],
    file: "internal/service/s3/bucket_lifecycle_configuration.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (6.x, plugin framework: RequiresReplace)",
    note: "rule and transition_default_minimum_object_size are updated in place.",
  },
  aws_s3_bucket_logging: {
    attributes: ["bucket", "expected_bucket_owner"],
    file: "internal/service/s3/bucket_logging.go",
    revision: "01f431114674c27cf790fafb67ac274bf8f765e1 (6.x)",
    note: "target_bucket, target_prefix, target_grant and target_object_key_format are updated in place (PutBucketLogging).",
  },
  aws_s3_bucket_ownership_controls: {
    attributes: ["bucket"],
    file: "internal/service/s3/bucket_ownership_controls.go",
    revision: "01c08000ddb14181b5bd19201d8fca311dc570e4 (4.x/5.x)",
  },
  aws_s3_bucket_policy: {
    attributes: ["bucket"],
    file: "internal/service/s3/bucket_policy.go",
    revision: "0073593e7d6993ba482409f4dc35438daaa79bb3 (6.x)",
  },
  aws_s3_bucket_public_access_block: {
    attributes: ["bucket"],
    file: "internal/service/s3/bucket_public_access_block.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (6.x)",
    note: "The four block/ignore/restrict flags are updated in place; skip_destroy keeps the block on delete.",
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    attributes: ["bucket", "expected_bucket_owner"],
    file: "internal/service/s3/bucket_server_side_encryption_configuration.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (6.x)",
  },
  aws_s3_bucket_versioning: {
    attributes: ["bucket", "expected_bucket_owner"],
    file: "internal/service/s3/bucket_versioning.go",
    revision: "01c08000ddb14181b5bd19201d8fca311dc570e4 (4.x/5.x)",
  },
  aws_security_group: {
    attributes: ["description", "name", "name_prefix", "vpc_id"],
    file: "internal/service/ec2/vpc_security_group.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (6.x)",
    note: "ingress/egress are updated in place.",
  },
  aws_sqs_queue: {
    attributes: ["fifo_queue", "name", "name_prefix"],
    file: "internal/service/sqs/queue.go",
    revision: "00a35305dc1b297a6fcdecdfbba33f1e63c3da39 (6.36 era)",
    note: "Every queue attribute (retention, SSE, policy...) is updated in place (SetQueueAttributes).",
  },
  aws_sqs_queue_policy: {
    attributes: ["queue_url"],
    file: "internal/service/sqs/queue_policy.go",
    revision: "0148137dc6fb802b97b74036846777ab15c0f9ad (4.x)",
  },
  aws_subnet: {
    attributes: ["availability_zone", "availability_zone_id", "cidr_block", "vpc_id", "ipv6_native", "outpost_arn"],
    file: "internal/service/ec2/vpc_subnet.go",
    revision: "00cda125a19d31754cb0d073cf551264c57955cb (6.3x)",
    note: "The revision read also has ForceNew ipv4_ipam_pool_id, ipv4_netmask_length, ipv6_ipam_pool_id, ipv6_netmask_length and an ipv6_cidr_block ForceNewIf: all added in 6.29.0 (CHANGELOG #44705, #46043), so not in the pinned 6.25.0 and not listed.",
  },
  aws_vpc: {
    attributes: ["cidr_block", "ipv4_ipam_pool_id", "ipv4_netmask_length"],
    file: "internal/service/ec2/vpc_.go",
    revision: "00081ce4 (5.x, aws-sdk-go-v2, read in an earlier session)",
    note: "instance_tenancy, DNS flags and the IPv6 association are updated in place.",
  },
  aws_vpc_endpoint: {
    attributes: ["resource_configuration_arn", "service_name", "service_network_arn", "vpc_endpoint_type", "vpc_id"],
    file: "internal/service/ec2/vpc_endpoint.go",
    revision: "008db85aad5e56627b1eecab8830464a282552ed (6.3x)",
    note: "Per 6.25.0: private_dns_enabled became ForceNew (for non-Interface endpoints) only in 6.28.0, and dns_options.private_dns_preference/private_dns_specified_domains (ForceNew) were added in 6.28.0 (CHANGELOG #45679): not listed. subnet_ids, security_group_ids, route_table_ids and policy are updated in place.",
  },
  aws_vpc_ipv4_cidr_block_association: {
    attributes: ["cidr_block", "ipv4_ipam_pool_id", "ipv4_netmask_length", "vpc_id"],
    noUpdate: true,
    file: "internal/service/ec2/vpc_ipv4_cidr_block_association.go",
    revision: "01606926a0c0ab9174aec440f976a48b0baee722 (6.x)",
    note: "No Update function: any change replaces the association (the subnets carved from it must go first).",
  },
  aws_codebuild_project: {
    attributes: ["name"],
    file: "internal/service/codebuild/project.go",
    revision: "a24b7f2d73fd1843ed8ee15788f388196adec642 (4.x, aws-sdk-go v1)",
    note: "Only name is ForceNew in the schema; everything else (source, environment, vpc_config, logs_config, service_role, build_timeout, description) goes through UpdateProject. Attributes added after this revision (e.g. auto_retry_limit, fleet) are not set by the platform and were not read.",
  },
  aws_codebuild_webhook: {
    attributes: ["project_name"],
    file: "internal/service/codebuild/webhook.go",
    revision: "cda04ab9f781590765d09e3883f1f56e29710079 and 01c08000ddb14181b5bd19201d8fca311dc570e4 (5.x, aws-sdk-go v1)",
    note: "project_name is ForceNew; build_type and filter_group go through UpdateWebhook. manual_creation, scope_configuration and pull_request_build_policy (added after these revisions) are not set by the platform and were not read.",
  },
  aws_vpc_security_group_ingress_rule: {
    attributes: ["security_group_id"],
    whenRemoved: ["cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"],
    file: "internal/service/ec2/vpc_security_group_ingress_rule.go",
    revision: "00a322094b4b9ade8a81b244345dbcf4b52ee8d6 (4.x, first plugin-framework version)",
    note: "security_group_id is RequiresReplace; ModifyPlan requires replacement when the rule's source type changes (exactly one of cidr_ipv4, cidr_ipv6, prefix_list_id, referenced_security_group_id is set, so the old one being removed means the type changed). Ports, protocol, description and a new value of the same source type are updated in place (ModifySecurityGroupRules).",
  },
};

const HELM_RULES: Readonly<Record<string, Omit<ForceNewRule, "provider">>> = {
  helm_release: {
    attributes: ["name", "namespace"],
    file: "helm/resource_helm_release.go",
    revision: "v3.1.1 (1cbf08f6), plugin framework: stringplanmodifier.RequiresReplace on name (l.414) and namespace (l.424)",
    note: "chart, version, values, set and every other argument are a helm upgrade (Update). ModifyPlan adds no replacement.",
  },
};

const KUBERNETES_RULES: Readonly<Record<string, Omit<ForceNewRule, "provider">>> = {
  kubernetes_config_map_v1: {
    attributes: ["metadata.name", "metadata.namespace", "metadata.generate_name"],
    file: "kubernetes/resource_kubernetes_config_map_v1.go",
    revision: "v2.38.0 (be88f442); metadata from kubernetes/schema_metadata.go namespacedMetadataSchema",
    note: "data, binary_data and immutable become ForceNew only while immutable is true (CustomizeDiff): not modelled, the stacks do not set it.",
  },
  kubernetes_cron_job_v1: {
    attributes: [
      "metadata.name",
      "metadata.namespace",
      "metadata.generate_name",
      "spec.job_template.spec.template",
      "spec.job_template.spec.selector",
      "spec.job_template.spec.completions",
      "spec.job_template.spec.completion_mode",
      "spec.job_template.spec.backoff_limit_per_index",
      "spec.job_template.spec.pod_failure_policy",
    ],
    file: "kubernetes/resource_kubernetes_cron_job_v1.go",
    revision: "v2.38.0 (be88f442); job_template.spec from kubernetes/schema_cron_job_spec_v1.go -> schema_job_spec.go jobSpecFields (template ForceNew: pod templates are immutable in Jobs)",
    note: "schedule, concurrency policy, history limits, backoff_limit and ttl_seconds_after_finished are updated in place; a new pod template (image, script, env) replaces the CronJob, which holds no state.",
  },
  kubernetes_default_service_account_v1: {
    attributes: ["metadata.name", "metadata.namespace"],
    file: "kubernetes/resource_kubernetes_default_service_account_v1.go",
    revision: "v2.38.0 (be88f442): the service account resource with namespacedMetadataSchema(\"service account\", false) (no generate_name; name fixed to \"default\")",
    note: "automount_service_account_token, secrets, image pull secrets, labels and annotations are updated in place; destroy leaves the namespace's default service account (Kubernetes owns it).",
  },
  kubernetes_limit_range_v1: {
    attributes: ["metadata.name", "metadata.namespace", "metadata.generate_name"],
    file: "kubernetes/resource_kubernetes_limit_range_v1.go",
    revision: "v2.38.0 (be88f442); metadata from kubernetes/schema_metadata.go namespacedMetadataSchema",
    note: "spec.limit (defaults, requests, max, min, ratios) is updated in place (UpdateContext, no ForceNew in spec).",
  },
  kubernetes_network_policy_v1: {
    attributes: ["metadata.name", "metadata.namespace", "metadata.generate_name"],
    file: "kubernetes/resource_kubernetes_network_policy_v1.go",
    revision: "v2.38.0 (be88f442); metadata from kubernetes/schema_metadata.go namespacedMetadataSchema",
    note: "the whole spec (pod selector, policy types, ingress and egress rules) is updated in place.",
  },
  kubernetes_resource_quota_v1: {
    attributes: ["metadata.name", "metadata.namespace", "metadata.generate_name", "spec.scopes"],
    sets: ["spec.scopes"],
    file: "kubernetes/resource_kubernetes_resource_quota_v1.go",
    revision: "v2.38.0 (be88f442): ForceNew on spec.scopes (l.60); metadata from namespacedMetadataSchema",
    note: "spec.hard and spec.scope_selector are updated in place.",
  },
  kubernetes_role_binding_v1: {
    attributes: ["metadata.name", "metadata.namespace", "metadata.generate_name", "role_ref", "role_ref.api_group", "role_ref.kind", "role_ref.name"],
    file: "kubernetes/resource_kubernetes_role_binding_v1.go",
    revision: "v2.38.0 (be88f442): role_ref ForceNew (l.35), its fields ForceNew in kubernetes/schema_rbac.go rbacRoleRefSchema; metadata from metadataSchemaRBAC -> namespacedMetadataSchema",
    note: "subjects are updated in place; a new role (a team's right changing) replaces the binding, as Kubernetes itself forbids changing roleRef.",
  },
  kubernetes_manifest: {
    attributes: ["manifest.apiVersion", "manifest.kind", "manifest.metadata.name", "manifest.metadata.namespace"],
    file: "manifest/provider/plan.go",
    revision: "v2.38.0 (be88f442): RequiresReplace on manifest.apiVersion, .kind, .metadata.name (l.185), .metadata.namespace for namespaced kinds (l.331)",
    note: "A custom resource without an OpenAPI schema is replaced on any manifest change (l.373): that depends on the live cluster, not knowable offline.",
  },
  kubernetes_namespace_v1: {
    attributes: ["metadata.name", "metadata.generate_name"],
    file: "kubernetes/resource_kubernetes_namespace_v1.go",
    revision: "v2.38.0 (be88f442); metadata from kubernetes/schema_metadata.go metadataSchema",
    note: "labels and annotations are updated in place.",
  },
  kubernetes_service_account_v1: {
    attributes: ["metadata.name", "metadata.namespace", "metadata.generate_name"],
    file: "kubernetes/resource_kubernetes_service_account_v1.go",
    revision: "v2.38.0 (be88f442); metadata from kubernetes/schema_metadata.go namespacedMetadataSchema",
    note: "annotations (the IRSA role ARN included), secrets and automount_service_account_token are updated in place.",
  },
  kubernetes_storage_class_v1: {
    attributes: ["metadata.name", "metadata.generate_name", "parameters", "storage_provisioner", "volume_binding_mode", "mount_options", "allowed_topologies"],
    file: "kubernetes/resource_kubernetes_storage_class_v1.go",
    revision: "v2.38.0 (be88f442)",
    note: "reclaim_policy and allow_volume_expansion are updated in place.",
  },
};

function withProvider(provider: ProviderName, rules: Readonly<Record<string, Omit<ForceNewRule, "provider">>>): Record<string, ForceNewRule> {
  return Object.fromEntries(Object.entries(rules).map(([type, rule]) => [type, { provider, ...rule }]));
}

/** Every rule, by resource type. */
export const FORCE_NEW_TABLE: Readonly<Record<string, ForceNewRule>> = {
  ...withProvider("aws", AWS_RULES),
  ...withProvider("helm", HELM_RULES),
  ...withProvider("kubernetes", KUBERNETES_RULES),
};

/** `hashicorp/terraform-provider-aws internal/service/eks/cluster.go @00555dc5… (provider 6.25.0)`. */
export function sourceOf(rule: ForceNewRule): string {
  const provider = PROVIDERS[rule.provider];
  return `${provider.repo} ${rule.file} @${rule.revision} (pinned provider ${provider.version})`;
}
