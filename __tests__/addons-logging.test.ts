import { TerraformStack, Testing } from "cdktf";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { CRITICAL_ADDONS_TOLERATION } from "../addons/context";
import { FLUENT_BIT_CHART } from "../addons/fluent-bit/chart";
import { fluentBitLogGroupNames, fluentBitPipeline, fluentBitValues, FluentBitValuesInput } from "../addons/fluent-bit/values";
import {
  assertDomainName,
  domainAccessPolicy,
  logPublishingPolicy,
  OPENSEARCH_ENGINE_VERSION,
  OPENSEARCH_HTTP_ACTIONS,
  OPENSEARCH_TLS_SECURITY_POLICY,
  OpenSearchDomain,
  zoneLayout,
} from "../addons/opensearch";
import { environments } from "../environments";
import { type PlatformEnvironment, validatePlatform } from "../environments/validate";
import { CI_ACCESS_KEY_PREFIX, humanAdminRoleArns } from "../stacks/addons/logging";
import { buildPlatform } from "../stacks/platform";
import { platform, resources, synth, SynthesizedStack } from "./support/platform";

/** The one resource of `type` whose logical name is `<name>_<hash>` (construct path joined by `_`). */
function resourceNamed(json: SynthesizedStack, type: string, name: string): any {
  const matches = Object.entries(resources(json, type)).filter(([k]) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}_[0-9A-F]{8}$`).test(k));
  if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}_<hash>, found ${matches.length}`);
  return matches[0]![1];
}

const SCOPE = { partition: "aws", region: "ap-northeast-2", accountId: "111122223333" };

/** Top-level keys of the fluent-bit 0.58.1 chart's values.yaml that the platform sets. */
const CHART_KEYS = [
  "kind",
  "serviceAccount",
  "rbac",
  "testFramework",
  "priorityClassName",
  "tolerations",
  "resources",
  "securityContext",
  "daemonSetVolumes",
  "daemonSetVolumeMounts",
  "config",
];

const INPUT: FluentBitValuesInput = {
  serviceAccountName: "fluent-bit",
  serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/fb" },
  region: "ap-northeast-2",
  logGroupNames: fluentBitLogGroupNames("eks-idp-dev"),
  resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
};

/** The `[OUTPUT]` sections of a classic config, as key → values maps. */
function sectionsOf(config: string): Map<string, string[]>[] {
  return config
    .split(/\n\s*\n/)
    .filter((s) => s.trim().length > 0)
    .map((section) => {
      const map = new Map<string, string[]>();
      for (const line of section.split("\n").slice(1)) {
        const [key, ...rest] = line.trim().split(/\s+/);
        map.set(key!, [...(map.get(key!) ?? []), rest.join(" ")]);
      }
      return map;
    });
}

describe("fluent-bit chart and values (pure)", () => {
  it("pins the upstream chart 0.58.1 with its source commit", () => {
    expect(FLUENT_BIT_CHART).toMatchObject({ repository: "https://fluent.github.io/helm-charts", chart: "fluent-bit", version: "0.58.1" });
    expect(FLUENT_BIT_CHART.source).toContain("5b81bf7a5a5d9f7c3513810efdef47cdb4e28239");
  });

  it("is a DaemonSet on every node, tainted system nodes included, with only chart keys", () => {
    const values = fluentBitValues(INPUT) as any;
    expect(Object.keys(values).every((k) => CHART_KEYS.includes(k))).toBe(true);
    expect(values.kind).toBe("DaemonSet");
    expect(values.tolerations).toContainEqual({ operator: "Exists" });
    expect(values.tolerations).toContainEqual({ ...CRITICAL_ADDONS_TOLERATION });
    expect(values.serviceAccount).toEqual({ create: true, name: "fluent-bit", annotations: INPUT.serviceAccountAnnotations });
    expect(values.testFramework).toEqual({ enabled: false });
    expect(values.image).toBeUndefined();
  });

  it("reads container logs (kubernetes filter), the kubelet/containerd journal and dataplane pods", () => {
    const { inputs, filters } = fluentBitPipeline(INPUT);
    const ins = sectionsOf(inputs);
    const containers = ins.find((s) => s.get("Alias")?.[0] === "containers")!;
    expect(containers.get("Name")).toEqual(["tail"]);
    expect(containers.get("Path")).toEqual(["/var/log/containers/*.log"]);
    expect(containers.get("Exclude_Path")![0]).toContain("aws-node-");
    const dataplane = ins.find((s) => s.get("Alias")?.[0] === "dataplane")!;
    expect(dataplane.get("Path")![0]!.split(",")).toEqual(["/var/log/containers/aws-node-*.log", "/var/log/containers/kube-proxy-*.log"]);
    const nodes = ins.find((s) => s.get("Alias")?.[0] === "nodes")!;
    expect(nodes.get("Name")).toEqual(["systemd"]);
    expect(nodes.get("Systemd_Filter")).toEqual(["_SYSTEMD_UNIT=kubelet.service", "_SYSTEMD_UNIT=containerd.service"]);
    const kube = sectionsOf(filters);
    expect(kube.map((f) => [f.get("Name")![0], f.get("Match")![0], f.get("Kube_Tag_Prefix")![0]])).toEqual([
      ["kubernetes", "kube.*", "kube.var.log.containers."],
      ["kubernetes", "dataplane.*", "dataplane.var.log.containers."],
    ]);
  });

  it("writes each kind to its own existing log group with cloudwatch_logs", () => {
    const outputs = sectionsOf(fluentBitPipeline(INPUT).outputs);
    expect(outputs.every((o) => o.get("Name")![0] === "cloudwatch_logs")).toBe(true);
    expect(outputs.map((o) => [o.get("Match")![0], o.get("log_group_name")![0]])).toEqual([
      ["kube.*", "/aws/eks/eks-idp-dev/containers"],
      ["node.*", "/aws/eks/eks-idp-dev/nodes"],
      ["dataplane.*", "/aws/eks/eks-idp-dev/dataplane"],
    ]);
    for (const o of outputs) {
      expect(o.get("region")).toEqual(["ap-northeast-2"]);
      expect(o.get("auto_create_group")).toEqual(["false"]);
      expect(o.get("log_stream_prefix")).toHaveLength(1);
      expect(o.has("log_retention_days")).toBe(false);
    }
  });

  it("adds SigV4 opensearch outputs only when a domain is given", () => {
    const withDomain = sectionsOf(
      fluentBitPipeline({ ...INPUT, openSearch: { host: "vpc-x.ap-northeast-2.es.amazonaws.com", region: "ap-northeast-2", indexPrefix: "eks" } }).outputs,
    ).filter((o) => o.get("Name")![0] === "opensearch");
    expect(withDomain).toHaveLength(3);
    for (const o of withDomain) {
      expect(Object.fromEntries([...o].map(([k, v]) => [k, v[0]]))).toMatchObject({
        Host: "vpc-x.ap-northeast-2.es.amazonaws.com",
        Port: "443",
        tls: "On",
        AWS_Auth: "On",
        AWS_Region: "ap-northeast-2",
        Suppress_Type_Name: "On",
      });
    }
    expect(withDomain.map((o) => o.get("Logstash_Prefix")![0])).toEqual(["eks-containers", "eks-nodes", "eks-dataplane"]);
  });

  it("needs no ${...} environment references (nothing for Terraform to interpolate)", () => {
    const rendered = JSON.stringify(fluentBitValues({ ...INPUT, openSearch: { host: "h", region: "r", indexPrefix: "eks" } }));
    expect(rendered).not.toMatch(/\$\{|%\{/);
  });
});

describe("opensearch settings (pure)", () => {
  it("uses as many zones as nodes and subnets allow, at most 3", () => {
    expect(zoneLayout(3, 3)).toEqual({ zoneAwarenessEnabled: true, availabilityZoneCount: 3, subnetCount: 3 });
    expect(zoneLayout(6, 3)).toEqual({ zoneAwarenessEnabled: true, availabilityZoneCount: 3, subnetCount: 3 });
    expect(zoneLayout(2, 3)).toEqual({ zoneAwarenessEnabled: true, availabilityZoneCount: 2, subnetCount: 2 });
    expect(zoneLayout(4, 2)).toEqual({ zoneAwarenessEnabled: true, availabilityZoneCount: 2, subnetCount: 2 });
    expect(zoneLayout(1, 3)).toEqual({ zoneAwarenessEnabled: false, availabilityZoneCount: undefined, subnetCount: 1 });
    expect(() => zoneLayout(3, 2)).toThrow(/even number of data nodes/);
    expect(() => zoneLayout(0, 3)).toThrow();
  });

  it("builds an access policy of explicit HTTP actions for named roles only", () => {
    const doc = domainAccessPolicy("arn:aws:es:r:1:domain/d", [
      { sid: "Admin", principalArns: ["arn:aws:iam::1:role/a"], actions: [...OPENSEARCH_HTTP_ACTIONS] },
      { sid: "Writer", principalArns: ["arn:aws:iam::1:role/w"], actions: ["es:ESHttpPost"] },
    ]);
    expect(doc.Statement.map((s) => [s.Sid, s.Principal, s.Action, s.Resource])).toEqual([
      ["Admin", { AWS: ["arn:aws:iam::1:role/a"] }, [...OPENSEARCH_HTTP_ACTIONS], ["arn:aws:es:r:1:domain/d/*"]],
      ["Writer", { AWS: ["arn:aws:iam::1:role/w"] }, ["es:ESHttpPost"], ["arn:aws:es:r:1:domain/d/*"]],
    ]);
    expect(OPENSEARCH_HTTP_ACTIONS.every((a) => /^es:ESHttp[A-Z][a-z]+$/.test(a))).toBe(true);
    const grant = { sid: "A", principalArns: ["arn:aws:iam::1:role/a"], actions: ["es:ESHttpGet"] as const };
    expect(() => domainAccessPolicy("d", [grant, grant])).toThrow(/twice/);
    expect(() => domainAccessPolicy("d", [{ ...grant, principalArns: [] }])).toThrow(/no principal/);
    expect(() => domainAccessPolicy("d", [{ ...grant, actions: ["es:*" as any] }])).toThrow(/unknown actions/);
    expect(() => domainAccessPolicy("d", [{ ...grant, sid: "with-dash" }])).toThrow(/alphanumeric/);
  });

  it("lets only this domain publish into its log groups", () => {
    const doc = logPublishingPolicy(SCOPE, "eks-idp-stg-logs", ["arn:aws:logs:ap-northeast-2:111122223333:log-group:/g"]);
    expect(doc.Statement).toEqual([
      expect.objectContaining({
        Principal: { Service: "es.amazonaws.com" },
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: ["arn:aws:logs:ap-northeast-2:111122223333:log-group:/g:*"],
        Condition: {
          StringEquals: { "aws:SourceAccount": "111122223333" },
          ArnLike: { "aws:SourceArn": "arn:aws:es:ap-northeast-2:111122223333:domain/eks-idp-stg-logs" },
        },
      }),
    ]);
  });

  it("validates domain names", () => {
    expect(() => assertDomainName("eks-idp-prd-logs")).not.toThrow();
    expect(() => assertDomainName("Eks")).toThrow();
    expect(() => assertDomainName("a".repeat(29))).toThrow();
  });

  it("renders grants made after construction into the access policy", () => {
    const stack = new TerraformStack(Testing.app(), "t");
    const domain = new OpenSearchDomain(stack, "os", {
      domainName: "test-logs",
      scope: SCOPE,
      vpcId: "vpc-1",
      subnetIds: ["subnet-a", "subnet-b"],
      clientSecurityGroupIds: { cluster: "sg-1" },
      instanceType: "r6g.large.search",
      instanceCount: 2,
      volumeSize: 20,
      masterUserArn: "arn:aws:iam::111122223333:role/admin",
    });
    domain.grant({ sid: "Late", principalArns: ["arn:aws:iam::111122223333:role/late"], actions: ["es:ESHttpPost"] });
    expect(() => domain.grant({ sid: "Late", principalArns: ["x"], actions: ["es:ESHttpPost"] })).toThrow(/twice/);
    const json = JSON.parse(Testing.synth(stack));
    const policy = JSON.parse(Object.values<any>(json.resource.aws_opensearch_domain_policy)[0].access_policies);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(["MasterUser", "Late"]);
  });
});

const { envs, stacks } = platform();

/**
 * An environment without OpenSearch, so that this branch is tested whatever the real environments
 * hold: a nonprod environment (one with OpenSearch if there is one) with the domain removed and its
 * traces kept on local storage.
 */
function withoutOpenSearch(): PlatformEnvironment {
  const nonprod = envs.filter((e) => e.stage === "nonprod");
  const base = nonprod.find((e) => e.addons.logging.opensearch !== undefined) ?? nonprod[0]!;
  const input = structuredClone(environments.find((e) => e.name === base.name)!) as any;
  delete input.addons.logging.opensearch;
  if (input.addons.tracing.storage === "opensearch") input.addons.tracing = { storage: "badger" };
  return validatePlatform([input])[0]!;
}
/** The add-ons stack of an environment alone on its platform. */
function synthAlone(env: PlatformEnvironment): SynthesizedStack {
  return JSON.parse(Testing.synth(buildPlatform(Testing.app(), [env]).environments[env.name]!.addons, true)) as SynthesizedStack;
}

/** Every environment with its add-ons stack, and the environment without OpenSearch (synthesized in the tests, so a failing synthesis fails them by name). */
const variant = withoutOpenSearch();
const cases: [string, PlatformEnvironment, () => SynthesizedStack][] = [
  ...envs.map((env): [string, PlatformEnvironment, () => SynthesizedStack] => [`${env.name}-addons`, env, () => synth(stacks.environments[env.name]!.addons)]),
  ["nonprod without OpenSearch", variant, () => synthAlone(variant)],
];

describe.each(cases)("%s logging", (_label, env, synthesize) => {
  const logging = env.addons.logging;
  const cluster = `eks-idp-${env.name}`;
  const prod = env.stage === "prod";
  const arn = (group: string) => `arn:aws:logs:${env.region}:${env.account.id}:log-group:${group}`;
  const groups = [`/aws/eks/${cluster}/containers`, `/aws/eks/${cluster}/nodes`, `/aws/eks/${cluster}/dataplane`];
  let json: SynthesizedStack, release: any, values: any, role: any, policy: any;
  beforeAll(() => {
    json = synthesize();
    release = resourceNamed(json, "helm_release", "logging_fluent-bit_release");
    values = parse(release.values[0]);
    role = resourceNamed(json, "aws_iam_role", "logging_fluent-bit_irsa_role");
    policy = JSON.parse(resourceNamed(json, "aws_iam_role_policy", "logging_fluent-bit_irsa_policy").policy);
  });

  it("installs the pinned chart as a DaemonSet", () => {
    expect(release).toMatchObject({ chart: FLUENT_BIT_CHART.chart, version: FLUENT_BIT_CHART.version, repository: FLUENT_BIT_CHART.repository, namespace: "logging" });
    expect(values.kind).toBe("DaemonSet");
    expect(values.tolerations).toContainEqual({ operator: "Exists" });
  });

  it("creates the three log groups, encrypted with the add-on's key, with the env's retention", () => {
    const keyAddress = Object.keys(resources(json, "aws_kms_key")).find((k) => k.startsWith("logging_fluent-bit_key"))!;
    for (const [kind, group] of [["containers", groups[0]], ["nodes", groups[1]], ["dataplane", groups[2]]] as const) {
      const lg = resourceNamed(json, "aws_cloudwatch_log_group", `logging_fluent-bit_log-groups_${kind}`);
      expect(lg.name).toBe(group);
      expect(lg.retention_in_days).toBe(logging.retentionDays);
      expect(lg.kms_key_id).toBe(`\${aws_kms_key.${keyAddress}.arn}`);
      expect(lg.lifecycle?.prevent_destroy ?? false).toBe(prod);
    }
    const key = resources(json, "aws_kms_key")[keyAddress];
    const cwl = JSON.parse(key.policy).Statement.find((s: any) => s.Sid === "CloudWatchLogsUsesKey");
    expect(cwl.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual(groups.map(arn));
    expect(key.lifecycle?.prevent_destroy ?? false).toBe(prod);
  });

  it("trusts exactly logging/fluent-bit, the service account the chart creates", () => {
    // The issuer is a Terraform expression with quotes inside; stand it in with a placeholder.
    const [trust] = JSON.parse(String(role.assume_role_policy).replace(/\$\{[^}]*\}/g, "ISSUER")).Statement;
    expect(trust.Principal.Federated).toBe(`arn:aws:iam::${env.account.id}:oidc-provider/ISSUER`);
    const equals = Object.entries<string>(trust.Condition.StringEquals);
    expect(Object.keys(trust.Condition)).toEqual(["StringEquals"]);
    expect(equals.find(([k]) => k.endsWith(":sub"))![1]).toBe("system:serviceaccount:logging:fluent-bit");
    expect(equals.find(([k]) => k.endsWith(":aud"))![1]).toBe("sts.amazonaws.com");
    expect(values.serviceAccount.name).toBe("fluent-bit");
    expect(values.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toMatch(/^\$\{aws_iam_role\.logging_fluent-bit_irsa_role_[A-Z0-9]+\.arn\}$/);
  });

  it("may write only to its own log groups (and the env's domain)", () => {
    const logs = policy.Statement.filter((s: any) => s.Action.some((a: string) => a.startsWith("logs:")));
    expect(logs.map((s: any) => [s.Action, s.Resource])).toEqual([
      [["logs:CreateLogStream"], groups.map((g) => `${arn(g)}:*`)],
      [["logs:PutLogEvents"], groups.map((g) => `${arn(g)}:log-stream:*`)],
    ]);
    const es = policy.Statement.filter((s: any) => s.Action.some((a: string) => a.startsWith("es:")));
    if (logging.opensearch) {
      expect(es).toEqual([expect.objectContaining({ Action: ["es:ESHttpPost"], Resource: [expect.stringMatching(/^\$\{aws_opensearch_domain\.logging_opensearch_domain_[A-Z0-9]+\.arn\}\/\*$/)] })]);
    } else {
      expect(es).toEqual([]);
    }
    expect(policy.Statement.flatMap((s: any) => s.Resource)).not.toContain("*");
  });

  it("ships to OpenSearch only where the env has a domain", () => {
    const outputs = sectionsOf(values.config.outputs).map((o) => o.get("Name")![0]);
    expect(outputs.filter((n) => n === "cloudwatch_logs")).toHaveLength(3);
    expect(outputs.filter((n) => n === "opensearch")).toHaveLength(logging.opensearch ? 3 : 0);
  });

  if (!logging.opensearch) {
    it("has no OpenSearch domain, admin role or log-publishing policy", () => {
      expect(resources(json, "aws_opensearch_domain")).toEqual({});
      expect(resources(json, "aws_opensearch_domain_policy")).toEqual({});
      expect(Object.keys(resources(json, "aws_iam_role")).some((k) => k.includes("opensearch-admin"))).toBe(false);
      expect(Object.keys(resources(json, "aws_cloudwatch_log_resource_policy")).some((k) => k.startsWith("logging"))).toBe(false);
    });
    return;
  }

  const search = logging.opensearch;
  let domain: any, domainAddress: string;
  beforeAll(() => {
    domain = resourceNamed(json, "aws_opensearch_domain", "logging_opensearch_domain");
    domainAddress = Object.keys(resources(json, "aws_opensearch_domain")).find((k) => k.startsWith("logging_opensearch_domain"))!;
  });

  it("encrypts at rest with its own key and between nodes, and accepts only HTTPS with TLS 1.2+", () => {
    expect(domain.encrypt_at_rest).toEqual({ enabled: true, kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.logging_opensearch_key_[A-Z0-9]+\.arn\}$/) });
    expect(domain.node_to_node_encryption).toEqual({ enabled: true });
    expect(domain.domain_endpoint_options).toEqual({ enforce_https: true, tls_security_policy: OPENSEARCH_TLS_SECURITY_POLICY });
    expect(OPENSEARCH_TLS_SECURITY_POLICY).toMatch(/^Policy-Min-TLS-1-2-/);
  });

  it("lives in the private subnets behind a security group open to the cluster only", () => {
    const zones = Math.min(3, env.availabilityZones.length, search.instanceCount);
    expect(domain.vpc_options.subnet_ids).toHaveLength(zones);
    expect(domain.vpc_options.subnet_ids.every((s: string) => s.includes("subnet-private-"))).toBe(true);
    expect(domain.cluster_config.zone_awareness_enabled).toBe(zones > 1);
    expect(domain.cluster_config.zone_awareness_config?.availability_zone_count).toBe(zones > 1 ? zones : undefined);
    const sg = resourceNamed(json, "aws_security_group", "logging_opensearch_security-group");
    expect(sg.ingress).toBeUndefined();
    expect(domain.vpc_options.security_group_ids).toEqual([expect.stringContaining("aws_security_group.logging_opensearch_security-group_")]);
    const rules = Object.values(resources(json, "aws_vpc_security_group_ingress_rule")).filter((r: any) =>
      String(r.security_group_id).includes("logging_opensearch_security-group_"),
    );
    expect(rules).toEqual([
      expect.objectContaining({
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        referenced_security_group_id: "${data.aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}",
      }),
    ]);
    expect(rules.some((r: any) => r.cidr_ipv4 || r.cidr_ipv6)).toBe(false);
  });

  it("uses fine-grained access control with a dedicated IAM admin role and no password user", () => {
    const admin = resourceNamed(json, "aws_iam_role", "logging_opensearch-admin-role");
    const adminAddress = Object.keys(resources(json, "aws_iam_role")).find((k) => k.startsWith("logging_opensearch-admin-role"))!;
    expect(domain.advanced_security_options).toEqual({
      enabled: true,
      anonymous_auth_enabled: false,
      internal_user_database_enabled: false,
      master_user_options: { master_user_arn: `\${aws_iam_role.${adminAddress}.arn}` },
    });
    const [trust] = JSON.parse(admin.assume_role_policy).Statement;
    // Human admins only: never a CI role (`ci-` keys), see humanAdminRoleArns.
    expect(trust.Principal.AWS).toEqual(humanAdminRoleArns(env.cluster.access.admins));
    for (const [key, arn] of Object.entries(env.cluster.access.admins)) {
      expect(trust.Principal.AWS.includes(arn), key).toBe(!key.startsWith(CI_ACCESS_KEY_PREFIX));
    }
  });

  it("allows only the admin, Fluent Bit (and other named writers) in the access policy", () => {
    const doc = JSON.parse(resourceNamed(json, "aws_opensearch_domain_policy", "logging_opensearch_access-policy").access_policies);
    for (const s of doc.Statement) {
      expect(s.Effect).toBe("Allow");
      expect(s.Principal.AWS.every((p: string) => p.startsWith("${aws_iam_role."))).toBe(true);
      expect(s.Action.every((a: string) => (OPENSEARCH_HTTP_ACTIONS as readonly string[]).includes(a))).toBe(true);
      expect(s.Resource).toEqual([`\${aws_opensearch_domain.${domainAddress}.arn}/*`]);
    }
    const bySid = Object.fromEntries(doc.Statement.map((s: any) => [s.Sid, s]));
    expect(bySid.MasterUser.Action).toEqual([...OPENSEARCH_HTTP_ACTIONS]);
    expect(bySid.FluentBitWrites.Action).toEqual(["es:ESHttpPost"]);
    expect(bySid.FluentBitWrites.Principal.AWS).toEqual([expect.stringMatching(/^\$\{aws_iam_role\.logging_fluent-bit_irsa_role_[A-Z0-9]+\.arn\}$/)]);
  });

  it("is sized from the env: gp3 volumes, data nodes, dedicated masters", () => {
    expect(domain.engine_version).toBe(OPENSEARCH_ENGINE_VERSION);
    expect(domain.ebs_options).toEqual({ ebs_enabled: true, volume_type: "gp3", volume_size: search.volumeGiB });
    expect(domain.cluster_config).toMatchObject({ instance_type: search.instanceType, instance_count: search.instanceCount });
    expect(domain.cluster_config.dedicated_master_enabled).toBe(search.dedicatedMasters);
    expect(domain.cluster_config.dedicated_master_count).toBe(search.dedicatedMasters ? 3 : undefined);
  });

  it("publishes slow and error logs to encrypted log groups it may write to", () => {
    expect(domain.log_publishing_options.map((o: any) => o.log_type).sort()).toEqual(["ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS"]);
    for (const key of ["index-slow-logs", "application-logs"]) {
      const lg = resourceNamed(json, "aws_cloudwatch_log_group", `logging_opensearch_log-groups_${key}`);
      expect(lg.name).toBe(`/aws/opensearch/${cluster}-logs/${key}`);
      expect(lg.kms_key_id).toMatch(/^\$\{aws_kms_key\.logging_opensearch_key_/);
      expect(lg.retention_in_days).toBe(logging.retentionDays);
    }
    expect(domain.depends_on).toEqual([expect.stringContaining("aws_cloudwatch_log_resource_policy.logging_opensearch_log-publishing-policy_")]);
  });

  it("protects the domain from deletion in prod only", () => {
    expect(domain.lifecycle?.prevent_destroy ?? false).toBe(prod);
  });
});

describe("every prod environment", () => {
  // Validation requires durable trace storage (OpenSearch) in prod, and OpenSearch traces need the log domain.
  it.each(envs.filter((e) => e.stage === "prod").map((e) => [e.name] as const))("%s: keeps its logs in an OpenSearch domain protected from deletion", (name) => {
    const json = synth(stacks.environments[name]!.addons);
    expect(resourceNamed(json, "aws_opensearch_domain", "logging_opensearch_domain").lifecycle).toEqual({ prevent_destroy: true });
  });
});
