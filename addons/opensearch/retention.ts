/**
 * Retention of the log and trace indices in the OpenSearch domain: an Index State Management (ISM)
 * policy that deletes an index `days` after its creation, attached to new indices by its
 * `ism_template` and to existing ones by the ISM `add` API.
 *
 * Why this shape: ISM policies live inside the domain (REST API only; no AWS API or Terraform AWS
 * resource manages them). The domain is reachable only from the VPC, so a Terraform provider talking
 * to it would need network access from wherever Terraform plans; and a custom resource would need a
 * CRD at plan time. Instead a Kubernetes CronJob (a built-in kind: nothing to look up at synth or
 * plan time) applies the policy from inside the cluster, signed with SigV4 by its own IRSA role,
 * every hour: idempotent, so a changed retention is rolled out by the next run, and a run that fails
 * (e.g. before the role is mapped in OpenSearch) is retried. The domain uses fine-grained access
 * control, so an admin maps that role once to a role with the ISM and index permissions (see the
 * README, "OpenSearch retention"), as for the other writer roles.
 *
 * Sources: ISM API (docs.opensearch.org, "ISM API": create/update policy with `if_seq_no` and
 * `if_primary_term`, `POST _plugins/_ism/add/<index>`), curl's `--aws-sigv4` (curl 7.75+, man page),
 * STS `AssumeRoleWithWebIdentity` (unsigned; the IRSA token file and role ARN come from the EKS pod
 * identity webhook's `AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`).
 */
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import { CronJobV1 } from "@cdktf/provider-kubernetes/lib/cron-job-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { IrsaRole, OidcIdentity } from "../../modules/irsa/irsa-role";
import type { PolicyStatement } from "../../modules/irsa/policy-document";
import type { ContainerResources } from "../../modules/kubernetes/resources";
import { resourcesOf } from "../../modules/terraform/resources";
import { CRITICAL_ADDONS_TOLERATION } from "../context";

/** The image the job runs: the curl project's own image (Alpine, busybox `sh`/`sed`, curl 8.20.0). */
export const RETENTION_IMAGE = { repository: "curlimages/curl", tag: "8.20.0" } as const;

/** Indices Fluent Bit writes (`<prefix>-<kind>-YYYY.MM.DD`, prefix `eks` by default). */
export const LOG_INDEX_PATTERN = "eks-*";
/** Indices Jaeger v2 writes with no index prefix (`jaeger-span-*`, `jaeger-service-*`, ...). */
export const TRACE_INDEX_PATTERN = "jaeger-*";

/** The HTTP actions the job signs: read, create/update the policy, attach it. */
export const RETENTION_ACTIONS = ["es:ESHttpGet", "es:ESHttpPost", "es:ESHttpPut"] as const;

export interface IsmRetentionInput {
  /** Days after an index's creation when ISM deletes it. */
  readonly days: number;
  /** Index patterns the policy applies to (new indices through `ism_template`). */
  readonly indexPatterns: readonly string[];
}

/**
 * The ISM policy body (`PUT _plugins/_ism/policies/<id>`): state `hot` until `min_index_age`, then
 * `delete`.
 *
 * @throws Error when `days` is not a positive integer or no index pattern is given
 */
export function ismRetentionPolicy(input: IsmRetentionInput) {
  if (!Number.isInteger(input.days) || input.days < 1) throw new Error(`OpenSearch retention: days must be a positive integer, got ${input.days}`);
  if (input.indexPatterns.length === 0) throw new Error("OpenSearch retention: at least one index pattern is required");
  return {
    policy: {
      description: `Deletes indices ${input.days} days after creation (managed by Terraform, applied by the opensearch-retention CronJob)`,
      default_state: "hot",
      states: [
        { name: "hot", actions: [], transitions: [{ state_name: "delete", conditions: { min_index_age: `${input.days}d` } }] },
        { name: "delete", actions: [{ delete: {} }], transitions: [] },
      ],
      ism_template: [{ index_patterns: [...input.indexPatterns], priority: 100 }],
    },
  };
}

/**
 * A string as a literal in Terraform's JSON syntax: `${` and `%{` start template sequences there (curl's
 * `-w '%{http_code}'`), so they are doubled; Terraform passes `$${` and `%%{` on as `${` and `%{`.
 */
export function terraformLiteral(text: string): string {
  return text.replace(/\$\{/g, "$$${").replace(/%\{/g, "%%{");
}

/** The IRSA policy of the job: the three HTTP actions on the ISM API of one domain. */
export function retentionRolePolicy(domainArn: string): PolicyStatement[] {
  return [{ Sid: "ApplyIsmPolicy", Effect: "Allow", Action: [...RETENTION_ACTIONS], Resource: [`${domainArn}/_plugins/_ism/*`] }];
}

/**
 * The job's script (busybox `sh`): credentials from STS with the pod's web identity token, then
 * create the policy, or update it at the sequence number it has, then attach it to existing indices
 * that match. Reads `REGION`, `ENDPOINT`, `POLICY_ID`, `INDICES` and the mounted `/config/policy.json`.
 */
export const RETENTION_SCRIPT = `set -eu
sts=$(curl -sS --fail -G "https://sts.$REGION.amazonaws.com/" \\
  --data-urlencode "Action=AssumeRoleWithWebIdentity" --data-urlencode "Version=2011-06-15" \\
  --data-urlencode "RoleSessionName=opensearch-retention" --data-urlencode "RoleArn=$AWS_ROLE_ARN" \\
  --data-urlencode "WebIdentityToken@$AWS_WEB_IDENTITY_TOKEN_FILE")
field() { printf '%s' "$sts" | sed -n "s:.*<$1>\\\\([^<]*\\\\)</$1>.*:\\\\1:p"; }
key=$(field AccessKeyId); secret=$(field SecretAccessKey); token=$(field SessionToken)
os() { curl -sS --aws-sigv4 "aws:amz:$REGION:es" --user "$key:$secret" -H "x-amz-security-token: $token" -H "Content-Type: application/json" "$@"; }
url="https://$ENDPOINT/_plugins/_ism/policies/$POLICY_ID"
current=$(os -w '\\n%{http_code}' "$url")
case "$(printf '%s' "$current" | tail -n 1)" in
  404) os --fail -X PUT "$url" --data-binary @/config/policy.json ;;
  200)
    seq=$(printf '%s' "$current" | sed -n 's/.*"_seq_no":\\([0-9]*\\).*/\\1/p' | head -n 1)
    term=$(printf '%s' "$current" | sed -n 's/.*"_primary_term":\\([0-9]*\\).*/\\1/p' | head -n 1)
    os --fail -X PUT "$url?if_seq_no=$seq&if_primary_term=$term" --data-binary @/config/policy.json ;;
  *) printf '%s\\n' "$current" >&2; exit 1 ;;
esac
os --fail -X POST "https://$ENDPOINT/_plugins/_ism/add/$INDICES" --data-binary "{\\"policy_id\\":\\"$POLICY_ID\\"}"
`;

export interface OpenSearchRetentionProps {
  /** Namespace of the CronJob (must exist: pass what creates it in `dependsOn`). */
  readonly namespace: string;
  /** The cluster's OIDC identity (IRSA of the job). */
  readonly oidc: OidcIdentity;
  /** Region of the domain (SigV4 and STS). */
  readonly region: string;
  /** Name of the job's IAM role. */
  readonly roleName: string;
  /** Domain endpoint host name (no scheme). */
  readonly endpoint: string;
  /** Domain ARN. */
  readonly domainArn: string;
  /** Days after which an index is deleted. */
  readonly days: number;
  /**
   * Index patterns the policy covers.
   * @default [LOG_INDEX_PATTERN, TRACE_INDEX_PATTERN]
   */
  readonly indexPatterns?: readonly string[];
  /**
   * Resources the job waits for (the namespace's creator).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Requests of the job's one container (a few HTTP calls). */
const JOB_RESOURCES: ContainerResources = { requests: { cpu: "10m", memory: "16Mi" }, limits: { memory: "32Mi" } };

/**
 * The ISM retention policy of a domain, applied hourly by a CronJob (see the module comment). Its
 * role must be granted on the domain (`OpenSearchDomain.grant` with {@link RETENTION_ACTIONS}) and
 * mapped inside OpenSearch once.
 */
export class OpenSearchRetention extends Construct {
  static readonly NAME = "opensearch-retention";
  /** ISM policy id. */
  static readonly POLICY_ID = "platform-retention";

  readonly role: IrsaRole;
  readonly cronJob: CronJobV1;
  /** The policy as applied (JSON). */
  readonly policyJson: string;

  constructor(scope: Construct, id: string, props: OpenSearchRetentionProps) {
    super(scope, id);
    const name = OpenSearchRetention.NAME;
    const patterns = props.indexPatterns ?? [LOG_INDEX_PATTERN, TRACE_INDEX_PATTERN];
    this.policyJson = JSON.stringify(ismRetentionPolicy({ days: props.days, indexPatterns: patterns }), null, 2);
    const dependsOn = [...(props.dependsOn ?? [])];

    this.role = new IrsaRole(this, "irsa", {
      oidc: props.oidc,
      namespace: props.namespace,
      serviceAccount: name,
      roleName: props.roleName,
      description: `Applies the ISM retention policy of the OpenSearch domain ${props.endpoint}`,
      policyStatements: retentionRolePolicy(props.domainArn),
    });
    const serviceAccount = new ServiceAccountV1(this, "service-account", {
      metadata: { name, namespace: props.namespace, annotations: { ...this.role.serviceAccountAnnotations } },
      dependsOn,
    });
    const config = new ConfigMapV1(this, "config", {
      metadata: { name, namespace: props.namespace },
      data: { "policy.json": terraformLiteral(this.policyJson), "apply.sh": terraformLiteral(RETENTION_SCRIPT) },
      dependsOn,
    });
    this.cronJob = new CronJobV1(this, "cron-job", {
      metadata: { name, namespace: props.namespace },
      spec: {
        schedule: "17 * * * *",
        concurrencyPolicy: "Forbid",
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: {},
          spec: {
            backoffLimit: 2,
            ttlSecondsAfterFinished: "86400",
            template: {
              metadata: { labels: { "app.kubernetes.io/name": name } },
              spec: {
                serviceAccountName: name,
                restartPolicy: "Never",
                // The image's user is a name (curl_user); a numeric one lets the kubelet check runAsNonRoot.
                securityContext: { runAsNonRoot: true, runAsUser: "65532", runAsGroup: "65532", seccompProfile: { type: "RuntimeDefault" } },
                toleration: [{ ...CRITICAL_ADDONS_TOLERATION }],
                container: [
                  {
                    name,
                    image: `${RETENTION_IMAGE.repository}:${RETENTION_IMAGE.tag}`,
                    command: ["/bin/sh", "/config/apply.sh"],
                    env: [
                      { name: "REGION", value: props.region },
                      { name: "ENDPOINT", value: props.endpoint },
                      { name: "POLICY_ID", value: OpenSearchRetention.POLICY_ID },
                      { name: "INDICES", value: patterns.join(",") },
                    ],
                    volumeMount: [{ name: "config", mountPath: "/config", readOnly: true }],
                    resources: { requests: { ...JOB_RESOURCES.requests }, limits: { ...JOB_RESOURCES.limits } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  },
                ],
                volume: [{ name: "config", configMap: { name } }],
              },
            },
          },
        },
      },
      dependsOn: [serviceAccount, config, ...resourcesOf(this.role)],
    });
  }
}
