import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { assertPinned, HelmAddon } from "../modules/helm/helm-addon";
import { mergeValues, renderValues } from "../modules/helm/values";

const pin = { repository: "https://charts.example.com", chart: "demo", version: "1.2.3", source: "example/demo@abc charts/demo" };

describe("chart values", () => {
  it("merge overrides last, objects key by key, arrays replaced", () => {
    const merged = mergeValues({ a: { b: 1, c: [1, 2] }, d: "x" }, { a: { c: [3] } }, { d: "y" });
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: "y" });
  });

  it("render deterministically with sorted keys and escape chart interpolation", () => {
    const yaml = renderValues({ z: 1, a: { y: "${env:MY_POD_IP}", b: true } });
    expect(yaml).toBe("a:\n  b: true\n  y: $${env:MY_POD_IP}\nz: 1\n");
    expect(renderValues({ b: 1, a: 2 })).toBe(renderValues({ a: 2, b: 1 }));
  });
});

describe("HelmAddon", () => {
  it("refuses ranges and plain-http repositories", () => {
    expect(() => assertPinned({ ...pin, version: "^1.2.0" })).toThrow(/exact version/);
    expect(() => assertPinned({ ...pin, version: "latest" })).toThrow(/exact version/);
    expect(() => assertPinned({ ...pin, repository: "http://charts.example.com" })).toThrow(/https/);
    expect(() => assertPinned({ ...pin, repository: "oci://public.ecr.aws/karpenter", version: "1.14.1" })).not.toThrow();
  });

  it("installs atomically, waits, and merges overrides last", () => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new HelmAddon(scope, "demo", {
          releaseName: "demo",
          namespace: "demo",
          chart: pin,
          values: { replicas: 1, image: { tag: "1.0.0" } },
          overrides: { replicas: 3 },
          createsServices: false,
        });
      }),
    );
    const [release] = Object.values(json.resource.helm_release) as any[];
    expect(release).toMatchObject({
      name: "demo",
      namespace: "demo",
      chart: "demo",
      repository: pin.repository,
      version: "1.2.3",
      atomic: true,
      cleanup_on_fail: true,
      wait: true,
      wait_for_jobs: true,
      create_namespace: true,
      timeout: 600,
      max_history: 10,
    });
    expect(parse(release.values[0])).toEqual({ replicas: 3, image: { tag: "1.0.0" } });
  });
});
