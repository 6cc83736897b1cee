/**
 * Every pod-bearing component of every release the platform synthesizes, in every environment,
 * tolerates the taints of the `system` node group (platform add-ons run there) and sets CPU and
 * memory requests (the scheduler places it by them; without them it is the first evicted), and so
 * does every container the values add (init and extra containers).
 */
import { describe, expect, it } from "vitest";
import { addedContainersWithoutRequests, missingRequests, releasesOf, untolerated } from "./support/releases";
import { environments } from "../environments";
import { platform, synth } from "./support/platform";

// Parameterised by the environment inputs; the platform is built inside the tests, so a broken
// environment fails the named tests instead of crashing the file.
const addonsOf = (name: string) => synth(platform().stacks.environments[name]!.addons);

describe.each(environments.map((e) => e.name))("%s", (name) => {
  const systemTaints = () => (platform().envs.find((e) => e.name === name)!.cluster.nodeGroups.system.taints ?? []).map((t) => t.key);

  it("has a system node group taint for add-ons to tolerate", () => {
    expect(systemTaints().length).toBeGreaterThan(0);
  });

  it("every component of every release tolerates the system node group's taints", () => {
    const missing = releasesOf(addonsOf(name)).flatMap((r) => systemTaints().flatMap((key) => untolerated(r.chart, r.values, key).map((c) => `${r.chart}/${c}: ${key}`)));
    expect(missing).toEqual([]);
  });

  it("every component of every release requests CPU and memory", () => {
    const missing = releasesOf(addonsOf(name)).flatMap((r) => missingRequests(r.chart, r.values).map((c) => `${r.chart}/${c}`));
    expect(missing).toEqual([]);
  });

  it("every container the values of a release add requests CPU and memory", () => {
    const missing = releasesOf(addonsOf(name)).flatMap((r) => addedContainersWithoutRequests(r.values).map((path) => `${r.chart}/${path}`));
    expect(missing).toEqual([]);
  });
});
