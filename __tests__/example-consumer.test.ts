/**
 * Module reuse: the example consumer imports only the package's public exports (built `dist/`
 * with type declarations, as `npm test` builds them first), compiles with its own tsconfig and
 * synthesizes a VPC, an EKS cluster and one add-on without any of this repository's environments.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const out = mkdtempSync(join(tmpdir(), "eks-idp-example-"));
// Inside the repository, so that the compiled example resolves node_modules and the package itself.
const build = join(root, ".example-build");
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(build, { recursive: true, force: true });
});

describe("the example consumer", () => {
  it("compiles against the exported type declarations and synthesizes", () => {
    execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "examples/consumer/tsconfig.json", "--outDir", build], {
      cwd: root,
      stdio: "pipe",
    });
    // Compiled against dist/*.d.ts: the library's sources are not part of the program.
    execFileSync("node", [join(build, "examples/consumer/main.js")], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: join(out, "cdktf.out") }, stdio: "pipe" });

    const cluster = JSON.parse(readFileSync(join(out, "cdktf.out/stacks/team-cluster/cdk.tf.json"), "utf8"));
    const subnets = Object.values(cluster.resource.aws_subnet) as any[];
    expect(subnets.every((s) => s.cidr_block.startsWith("10.99."))).toBe(true);
    expect(Object.values(cluster.resource.aws_eks_cluster)).toHaveLength(1);
    expect((Object.values(cluster.resource.aws_eks_cluster)[0] as any).name).toBe("team-analytics");

    const addons = JSON.parse(readFileSync(join(out, "cdktf.out/stacks/team-addons/cdk.tf.json"), "utf8"));
    expect((Object.values(addons.resource.helm_release)[0] as any).chart).toBe("metrics-server");
  });
});
