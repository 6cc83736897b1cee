import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HelmProvider } from "@cdktf/provider-helm/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { clusterName } from "../stacks/naming";
import { parse } from "yaml";
import type { AddonContext } from "../addons/context";
import {
  JAEGER_CHART,
  JAEGER_IMAGE_TAG,
  JAEGER_OPENSEARCH_ACTIONS,
  jaegerOpenSearchPolicy,
  jaegerValues,
  type JaegerValuesInput,
} from "../addons/jaeger";
import {
  OPENTELEMETRY_COLLECTOR_CHART,
  OPENTELEMETRY_COLLECTOR_IMAGE,
  openTelemetryCollectorValues,
  TRACES_EXPORTER,
} from "../addons/opentelemetry-collector";
import type { PlatformEnvironment } from "../environments/validate";
import { applyGuardrails } from "../modules/guardrails/guardrails";
import type { OpenSearchAccessGrant } from "../addons/opensearch";
import { addTracing, jaegerIndexLayout } from "../stacks/addons/tracing";
import { platform, resources, SynthesizedStack, synth } from "./support/platform";

const { envs, stacks } = platform();
const envNamed = (name: string) => envs.find((e) => e.name === name) as PlatformEnvironment;

const ZONE_SPREAD_KEY = "topology.kubernetes.io/zone";
const TOLERATION = { key: "CriticalAddonsOnly", operator: "Exists", effect: "NoSchedule" };
const RESOURCES = { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } };

interface Release {
  readonly address: string;
  readonly config: Record<string, any>;
  readonly values: Record<string, any>;
}

/** The helm_release named `name` in a synthesized stack, with its values parsed. */
function releaseOf(json: SynthesizedStack, name: string): Release | undefined {
  const found = Object.entries(resources(json, "helm_release")).find(([, r]) => r.name === name);
  if (!found) return undefined;
  const [logical, config] = found;
  return { address: `helm_release.${logical}`, config, values: parse(config.values[0]) };
}

/** The IAM role named `roleName` with its inline policy, or undefined. */
function roleOf(json: SynthesizedStack, roleName: string) {
  const found = Object.entries(resources(json, "aws_iam_role")).find(([, r]) => r.name === roleName);
  if (!found) return undefined;
  const [logical, role] = found;
  const policies = Object.values(resources(json, "aws_iam_role_policy")).filter((p: any) => p.role === `\${aws_iam_role.${logical}.id}`);
  return { logical, role, policies: policies.map((p: any) => JSON.parse(p.policy)) };
}

const jaegerInput = (overrides: Partial<JaegerValuesInput> = {}): JaegerValuesInput => ({
  releaseName: "jaeger",
  fullname: "jaeger",
  replicas: 1,
  storage: { type: "memory", maxTraces: 1000 },
  imageTag: JAEGER_IMAGE_TAG,
  resources: RESOURCES,
  serviceAccountAnnotations: {},
  ...overrides,
});

describe("chart pins", () => {
  it("pins Jaeger v2 chart 4.11.1 and the OpenTelemetry Collector chart 0.170.0 from their upstream repositories", () => {
    expect(JAEGER_CHART).toMatchObject({ repository: "https://jaegertracing.github.io/helm-charts", chart: "jaeger", version: "4.11.1" });
    expect(JAEGER_CHART.source).toContain("jaegertracing/helm-charts/blob/6c602b54a1800ff35ea055d16789a9522166e0a6/charts/jaeger");
    expect(OPENTELEMETRY_COLLECTOR_CHART).toMatchObject({
      repository: "https://open-telemetry.github.io/opentelemetry-helm-charts",
      chart: "opentelemetry-collector",
      version: "0.170.0",
    });
    expect(OPENTELEMETRY_COLLECTOR_CHART.source).toContain(
      "open-telemetry/opentelemetry-helm-charts/blob/dd5665c06f376c00a5e2147aa84b70c3d105ecfb/charts/opentelemetry-collector",
    );
  });

  it("runs upstream images: the collector's k8s distribution and Jaeger 2.20.0 (SigV4 body-signing fix)", () => {
    expect(OPENTELEMETRY_COLLECTOR_IMAGE).toBe("otel/opentelemetry-collector-k8s");
    expect(JAEGER_IMAGE_TAG).toBe("2.20.0");
    expect(jaegerValues(jaegerInput()).jaeger.image).toEqual({ tag: "2.20.0" });
  });
});

describe("OpenTelemetry Collector values", () => {
  const input = {
    releaseName: "otel-collector",
    fullname: "otel-collector",
    replicas: 3,
    imageRepository: OPENTELEMETRY_COLLECTOR_IMAGE,
    resources: RESOURCES,
    tracesEndpoint: "jaeger.tracing.svc.cluster.local:4317",
    tracesEndpointInsecure: true,
  };
  const values = openTelemetryCollectorValues(input);

  it("sets the chart's required mode and image repository", () => {
    expect(values.mode).toBe("deployment");
    expect(values.image).toEqual({ repository: "otel/opentelemetry-collector-k8s" });
  });

  it("receives OTLP gRPC on 4317 and HTTP on 4318, and nothing else", () => {
    expect(values.config.receivers.otlp).toEqual({
      protocols: { grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } },
    });
    expect(values.config.receivers).toMatchObject({ jaeger: null, zipkin: null, prometheus: null });
    for (const port of ["jaeger-compact", "jaeger-thrift", "jaeger-grpc", "zipkin"]) {
      expect((values.ports as Record<string, unknown>)[port]).toEqual({ enabled: false });
    }
  });

  it("limits memory before batching and exports traces over OTLP gRPC to the given endpoint", () => {
    const traces = values.config.service.pipelines.traces;
    expect(traces).toEqual({ receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: [TRACES_EXPORTER] });
    expect(TRACES_EXPORTER).toMatch(/^otlp_grpc\//);
    expect(values.config.exporters[TRACES_EXPORTER]).toEqual({ endpoint: "jaeger.tracing.svc.cluster.local:4317", tls: { insecure: true } });
    expect(values.config.processors.memory_limiter).toMatchObject({ limit_percentage: 80, spike_limit_percentage: 25 });
    expect(values.config.service.pipelines).toMatchObject({ logs: null, metrics: null });
    expect(values.config.exporters.debug).toBeNull();
  });

  it("spreads several replicas across zones with a disruption budget and tolerates the system taint", () => {
    expect(values.replicaCount).toBe(3);
    expect(values.topologySpreadConstraints?.[0]).toMatchObject({
      topologyKey: ZONE_SPREAD_KEY,
      labelSelector: { matchLabels: { "app.kubernetes.io/instance": "otel-collector", component: "standalone-collector" } },
    });
    expect(values.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    expect(values.tolerations).toEqual([TOLERATION]);
    expect(values.resources.limits.memory).toBe("256Mi");
  });

  it("rejects a non-positive replica count", () => {
    expect(() => openTelemetryCollectorValues({ ...input, replicas: 0 })).toThrow(/replicas/);
    expect(openTelemetryCollectorValues({ ...input, replicas: 1 })).not.toHaveProperty("topologySpreadConstraints");
  });
});

describe("Jaeger values", () => {
  it("configures Jaeger v2 through userconfig, not the removed v1 component keys", () => {
    const values = jaegerValues(jaegerInput());
    expect(Object.keys(values).sort()).toEqual(["extraObjects", "fullnameOverride", "jaeger", "userconfig"]);
    expect(values).not.toHaveProperty("collector");
    expect(values).not.toHaveProperty("query");
    expect(values).not.toHaveProperty("agent");
    const config = values.userconfig as any;
    expect(config.receivers.otlp.protocols).toEqual({ grpc: { endpoint: "0.0.0.0:4317" }, http: { endpoint: "0.0.0.0:4318" } });
    expect(config.service.pipelines.traces).toEqual({
      receivers: ["otlp"],
      processors: ["memory_limiter", "batch"],
      exporters: ["jaeger_storage_exporter"],
    });
    expect(config.exporters.jaeger_storage_exporter.trace_storage).toBe("primary");
    expect(config.extensions.jaeger_query.storage.traces).toBe("primary");
    // The chart probes /status on 13133.
    expect(config.extensions.healthcheckv2).toEqual({ use_v2: true, http: { endpoint: "0.0.0.0:13133" } });
  });

  it("keeps memory traces in one pod", () => {
    const values = jaegerValues(jaegerInput());
    expect((values.userconfig as any).extensions.jaeger_storage.backends.primary).toEqual({ memory: { max_traces: 1000 } });
    expect(values.jaeger.strategy).toEqual({ type: "Recreate" });
    expect(() => jaegerValues(jaegerInput({ replicas: 2 }))).toThrow(/memory storage/);
  });

  it("puts Badger on a gp3 claim the release creates and mounts", () => {
    const values = jaegerValues(
      jaegerInput({ storage: { type: "badger", claimName: "jaeger-badger", storageClassName: "gp3", volumeSize: "10Gi", retention: "72h" } }),
    );
    expect((values.userconfig as any).extensions.jaeger_storage.backends.primary).toEqual({
      badger: { ephemeral: false, directories: { keys: "/badger/keys", values: "/badger/values" }, ttl: { spans: "72h" } },
    });
    expect(values.extraObjects).toEqual([
      {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: { name: "jaeger-badger" },
        spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "10Gi" } } },
      },
    ]);
    expect(values.jaeger.extraVolumes).toEqual([{ name: "badger-data", persistentVolumeClaim: { claimName: "jaeger-badger" } }]);
    expect(values.jaeger.extraVolumeMounts).toEqual([{ name: "badger-data", mountPath: "/badger" }]);
    expect(values.jaeger.strategy).toEqual({ type: "Recreate" });
    expect(() =>
      jaegerValues(jaegerInput({ replicas: 2, storage: { type: "badger", claimName: "c", storageClassName: "gp3", volumeSize: "1Gi", retention: "1h" } })),
    ).toThrow(/badger storage/);
  });

  it("signs OpenSearch requests with sigv4auth and runs replicas across zones", () => {
    const values = jaegerValues(
      jaegerInput({
        replicas: 3,
        storage: { type: "opensearch", endpoint: "vpc-logs.ap-northeast-2.es.amazonaws.com", region: "ap-northeast-2", indexShards: 3, indexReplicas: 1 },
        serviceAccountAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/x-jaeger" },
      }),
    );
    const config = values.userconfig as any;
    expect(config.extensions.sigv4auth).toEqual({ region: "ap-northeast-2", service: "es" });
    expect(config.service.extensions).toEqual(["sigv4auth", "jaeger_storage", "jaeger_query", "healthcheckv2"]);
    const backend = config.extensions.jaeger_storage.backends.primary.opensearch;
    expect(backend.server_urls).toEqual(["https://vpc-logs.ap-northeast-2.es.amazonaws.com"]);
    expect(backend.auth).toEqual({ authenticator: "sigv4auth" });
    expect(backend.indices.spans).toEqual({ shards: 3, replicas: 1 });
    expect(values.jaeger.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": "arn:aws:iam::111122223333:role/x-jaeger" });
    expect(values.jaeger.replicas).toBe(3);
    expect(values.jaeger.strategy).toMatchObject({ type: "RollingUpdate" });
    // The template reads `topologySpreadConstraints` (values.yaml's `topologySpreadContraints` is a typo).
    expect(values.jaeger.topologySpreadConstraints?.[0]).toMatchObject({
      topologyKey: ZONE_SPREAD_KEY,
      labelSelector: {
        matchLabels: { "app.kubernetes.io/name": "jaeger", "app.kubernetes.io/instance": "jaeger", "app.kubernetes.io/component": "all-in-one" },
      },
    });
    expect(values.extraObjects).toEqual([
      expect.objectContaining({ kind: "PodDisruptionBudget", spec: expect.objectContaining({ maxUnavailable: 1 }) }),
    ]);
  });
});

describe("Jaeger OpenSearch policy", () => {
  const domainArn = "arn:aws-us-gov:es:us-gov-west-1:111122223333:domain/platform-logs";

  it("grants exactly the four HTTP actions, on the domain's paths only", () => {
    expect(jaegerOpenSearchPolicy({ domainArn })).toEqual([
      {
        Sid: "ReadWriteTracesInDomain",
        Effect: "Allow",
        Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"],
        Resource: [`${domainArn}/*`],
      },
    ]);
    expect(JAEGER_OPENSEARCH_ACTIONS.every((a) => !a.includes("*"))).toBe(true);
  });

  it("sizes indices to the domain's data nodes", () => {
    expect(jaegerIndexLayout(1)).toEqual({ indexShards: 1, indexReplicas: 0 });
    expect(jaegerIndexLayout(3)).toEqual({ indexShards: 3, indexReplicas: 1 });
    expect(jaegerIndexLayout(12)).toEqual({ indexShards: 5, indexReplicas: 1 });
  });
});

const OIDC = {
  providerArn: "arn:aws:iam::111122223333:oidc-provider/oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE",
  issuer: "oidc.eks.ap-northeast-2.amazonaws.com/id/EXAMPLE",
};

function contextOf(env: PlatformEnvironment): AddonContext {
  return {
    clusterName: `eks-idp-${env.name}`,
    namePrefix: `eks-idp-${env.name}`,
    oidc: OIDC,
    scope: { partition: "aws", region: env.region, accountId: env.account.id },
    vpcId: "vpc-1",
    privateSubnetIds: [],
    databaseSubnetIds: [],
    clusterSecurityGroupId: "sg-1",
    availabilityZones: env.availabilityZones.length,
    protectStatefulResources: env.stage === "prod",
  };
}

/**
 * `addTracing` for an environment on its own stack, with a given OpenSearch domain (the logging
 * layer's output), so the stg/prd wiring is checked whatever the logging layer returns today.
 */
function tracingFor(env: PlatformEnvironment) {
  const grants: OpenSearchAccessGrant[] = [];
  const domain = {
    endpoint: "vpc-logs.example.es.amazonaws.com",
    domainArn: `arn:aws:es:${env.region}:${env.account.id}:domain/eks-idp-${env.name}-logs`,
    grant: (grant: OpenSearchAccessGrant) => void grants.push(grant),
  };
  const app = Testing.app();
  const stack = new TerraformStack(app, `${env.name}-tracing`);
  new AwsProvider(stack, "aws", { region: env.region });
  new HelmProvider(stack, "helm", {});
  const ctx = contextOf(env);
  const added = addTracing(stack, ctx, env, env.addons.logging.opensearch ? domain : undefined);
  // The platform's guardrails run on this stack too (synth fails on any violation).
  applyGuardrails(stack, env.stage);
  const json = JSON.parse(Testing.synth(stack, true)) as SynthesizedStack;
  return { added, json, domain, grants };
}

describe.each(envs.map((env) => [env.name, env] as const))("tracing of %s", (name, env) => {
  const { added, json, domain, grants } = tracingFor(env);
  const jaeger = releaseOf(json, "jaeger")!;
  const collector = releaseOf(json, "otel-collector")!;
  const { storage, collectorReplicas } = env.addons.tracing;
  const opensearch = storage === "opensearch";

  it("installs both pinned releases in the tracing namespace, the collector after Jaeger", () => {
    expect(jaeger.config).toMatchObject({ chart: "jaeger", version: "4.11.1", repository: JAEGER_CHART.repository, namespace: "tracing" });
    expect(collector.config).toMatchObject({ chart: "opentelemetry-collector", version: "0.170.0", namespace: "tracing" });
    expect(collector.config.depends_on).toEqual([jaeger.address]);
  });

  it("points the collector's exporter at the Jaeger Service's OTLP gRPC port", () => {
    const service = jaeger.values.fullnameOverride;
    expect(service).toBe("jaeger");
    expect(collector.values.config.exporters[TRACES_EXPORTER].endpoint).toBe(`${service}.${jaeger.config.namespace}.svc.cluster.local:4317`);
    expect(collector.values.config.receivers.otlp.protocols.grpc.endpoint).toBe("0.0.0.0:4317");
    expect(collector.values.config.receivers.otlp.protocols.http.endpoint).toBe("0.0.0.0:4318");
    expect(added.collector.otlpGrpcEndpoint).toBe("http://otel-collector.tracing.svc.cluster.local:4317");
    expect(added.collector.otlpHttpEndpoint).toBe("http://otel-collector.tracing.svc.cluster.local:4318");
  });

  it(`runs ${collectorReplicas} collector replica(s), spread across zones when more than one`, () => {
    expect(collector.values.replicaCount).toBe(collectorReplicas);
    if (collectorReplicas > 1) {
      expect(collector.values.topologySpreadConstraints[0].topologyKey).toBe(ZONE_SPREAD_KEY);
      expect(collector.values.podDisruptionBudget).toEqual({ enabled: true, maxUnavailable: 1 });
    } else {
      expect(collector.values.topologySpreadConstraints).toBeUndefined();
    }
  });

  it(`keeps traces in ${storage}`, () => {
    const backend = jaeger.values.userconfig.extensions.jaeger_storage.backends.primary;
    expect(Object.keys(backend)).toEqual([storage]);
    if (storage === "badger") expect(jaeger.values.extraObjects[0].spec.storageClassName).toBe("gp3");
    if (opensearch) {
      expect(backend.opensearch.server_urls).toEqual([`https://${domain.endpoint}`]);
      expect(backend.opensearch.auth).toEqual({ authenticator: "sigv4auth" });
      expect(jaeger.values.userconfig.extensions.sigv4auth).toEqual({ region: env.region, service: "es" });
    } else {
      expect(jaeger.values.userconfig.extensions.sigv4auth).toBeUndefined();
    }
  });

  it(opensearch ? "runs Jaeger replicas like the collector, across zones" : "runs one Jaeger replica", () => {
    expect(jaeger.values.jaeger.replicas).toBe(opensearch ? collectorReplicas : 1);
    expect(jaeger.values.jaeger.topologySpreadConstraints !== undefined).toBe(opensearch && collectorReplicas > 1);
  });

  if (!opensearch) {
    it("creates no IAM role for OpenSearch", () => {
      expect(resources(json, "aws_iam_role")).toEqual({});
      expect(resources(json, "aws_iam_role_policy")).toEqual({});
      expect(jaeger.values.jaeger.serviceAccount.annotations).toEqual({});
      expect(added.openSearchRoleArn).toBeUndefined();
      expect(grants).toEqual([]);
    });
  } else {
    it("gives Jaeger's ServiceAccount an IRSA role with the exact trust and a policy scoped to the domain", () => {
      const roleName = `eks-idp-${name}-jaeger`;
      const role = roleOf(json, roleName)!;
      expect(role).toBeDefined();
      expect(JSON.parse(role.role.assume_role_policy).Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Federated: OIDC.providerArn },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: {
            StringEquals: {
              [`${OIDC.issuer}:sub`]: "system:serviceaccount:tracing:jaeger",
              [`${OIDC.issuer}:aud`]: "sts.amazonaws.com",
            },
          },
        },
      ]);
      expect(role.policies).toHaveLength(1);
      expect(role.policies[0].Statement).toEqual([
        {
          Sid: "ReadWriteTracesInDomain",
          Effect: "Allow",
          Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"],
          Resource: [`${domain.domainArn}/*`],
        },
      ]);
      const roleArn = `\${aws_iam_role.${role.logical}.arn}`;
      expect(jaeger.values.jaeger.serviceAccount.annotations).toEqual({ "eks.amazonaws.com/role-arn": roleArn });
      expect(jaeger.config.depends_on).toContain(`aws_iam_role.${role.logical}`);
      expect(added.openSearchRoleArn).toBeDefined();
    });

    it("asks the domain to allow the role, with the same four actions", () => {
      expect(grants).toEqual([{ sid: "JaegerReadsWrites", principalArns: [added.openSearchRoleArn], actions: [...JAEGER_OPENSEARCH_ACTIONS] }]);
    });

    it("sizes the Jaeger indices to the domain's data nodes", () => {
      const layout = jaegerIndexLayout(env.addons.logging.opensearch!.instanceCount);
      expect(jaeger.values.userconfig.extensions.jaeger_storage.backends.primary.opensearch.indices.spans).toEqual({
        shards: layout.indexShards,
        replicas: layout.indexReplicas,
      });
    });
  }
});

// Every environment, by where it keeps traces (no environment is named here).
const inCluster = envs.filter((e) => e.addons.tracing.storage !== "opensearch").map((e) => e.name);
const inOpenSearch = envs.filter((e) => e.addons.tracing.storage === "opensearch").map((e) => e.name);

describe.each(inCluster)("%s-addons as synthesized by the platform (traces kept in the cluster)", (name) => {
  const json = synth(stacks.environments[name]!.addons);

  it("installs Jaeger with its in-cluster storage and the collector, and no OpenSearch role", () => {
    const storage = envNamed(name).addons.tracing.storage;
    const jaeger = releaseOf(json, "jaeger")!;
    expect(jaeger.values.userconfig.extensions.jaeger_storage.backends.primary[storage]).toBeDefined();
    expect(releaseOf(json, "otel-collector")!.values.config.exporters[TRACES_EXPORTER].endpoint).toBe("jaeger.tracing.svc.cluster.local:4317");
    expect(roleOf(json, `${clusterName(name)}-jaeger`)).toBeUndefined();
  });

  it("writes no literal ${...} into the release values (Terraform would read it as an interpolation)", () => {
    for (const name of ["jaeger", "otel-collector"]) {
      const raw: string = releaseOf(json, name)!.config.values[0];
      expect(raw.match(/\$\{(?!aws_|data\.|var\.|local\.)/g)).toBeNull();
    }
  });
});

describe.each(inOpenSearch)("%s-addons as synthesized by the platform (traces in OpenSearch)", (name) => {
  const json = synth(stacks.environments[name]!.addons);
  const [domain] = Object.keys(resources(json, "aws_opensearch_domain"));
  const domainRef = (attribute: string) => `\${aws_opensearch_domain.${domain}.${attribute}}`;
  const jaeger = releaseOf(json, "jaeger")!;
  const role = roleOf(json, `${clusterName(name)}-jaeger`)!;

  it("stores traces in the logging domain, signed with the Jaeger role", () => {
    expect(domain).toBeDefined();
    const backend = jaeger.values.userconfig.extensions.jaeger_storage.backends.primary.opensearch;
    expect(backend.server_urls).toEqual([`https://${domainRef("endpoint")}`]);
    expect(jaeger.values.jaeger.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).toBe(`\${aws_iam_role.${role.logical}.arn}`);
  });

  it("trusts exactly tracing/jaeger and scopes the role's policy to the domain", () => {
    const trust = role.role.assume_role_policy as string;
    expect(trust).toContain(':sub":"system:serviceaccount:tracing:jaeger"');
    expect(trust).toContain(':aud":"sts.amazonaws.com"');
    expect(trust).toContain('"StringEquals"');
    expect(trust).not.toContain("StringLike");
    expect(role.policies.map((p) => p.Statement)).toEqual([
      [
        {
          Sid: "ReadWriteTracesInDomain",
          Effect: "Allow",
          Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"],
          Resource: [`${domainRef("arn")}/*`],
        },
      ],
    ]);
  });

  it("is named in the domain's access policy", () => {
    const [policy] = Object.values(resources(json, "aws_opensearch_domain_policy")) as any[];
    const statement = JSON.parse(policy.access_policies).Statement.find((s: any) => s.Sid === "JaegerReadsWrites");
    expect(statement).toEqual({
      Sid: "JaegerReadsWrites",
      Effect: "Allow",
      Principal: { AWS: [`\${aws_iam_role.${role.logical}.arn}`] },
      Action: ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"],
      Resource: [`${domainRef("arn")}/*`],
    });
  });
});
