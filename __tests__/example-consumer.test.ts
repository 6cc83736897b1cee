/**
 * Module reuse in a stock `cdktf init --template=typescript` project: the package is packed
 * (`npm pack`, as a git install runs it), the tarball is unpacked into a copy of
 * `examples/consumer/` outside the repository whose tsconfig.json is the template's (module
 * CommonJS, no moduleResolution: node10 under TypeScript 5, bundler under TypeScript 7), the
 * example's dependencies are linked from this repository's node_modules (no network), and the
 * project is compiled with tsc and run to synthesize a VPC, an EKS cluster and one add-on.
 * `npm test` builds `dist/` before the tests run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const example = join(root, "examples/consumer");
/** The tsconfig.json `cdktf init --template=typescript` writes (cdktf-cli 0.21). */
const stockTsconfig = join(root, "node_modules/@cdktf/cli-core/templates/typescript/tsconfig.json");

interface PackageJson {
  name: string;
  version: string;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const readJson = <T = PackageJson>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;
const pkg = readJson(join(root, "package.json"));
const consumer = readJson(join(example, "package.json"));

/** The npm package a module specifier loads (`@scope/name/lib/x` -> `@scope/name`); none for relative paths and Node built-ins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("node:")) return undefined;
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** The specifiers a CommonJS source `require`s. */
function requires(source: string): string[] {
  return [...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!);
}

/**
 * What the package's compiled files (its `files` folders under dist/) load: npm packages, and any
 * relative require that leaves those folders (a file the package would not contain).
 */
function packagedLoads(): { packages: Set<string>; outside: string[] } {
  const folders = (pkg.files ?? []).filter((f) => f.startsWith("dist/")).map((f) => join(root, f));
  const inPackage = (file: string) => folders.some((d) => !relative(d, file).startsWith(".."));
  const packages = new Set<string>();
  const outside: string[] = [];
  for (const file of folders.flatMap(jsFiles)) {
    for (const specifier of requires(readFileSync(file, "utf8"))) {
      const name = packageOf(specifier);
      if (name) packages.add(name);
      else if (specifier.startsWith(".")) {
        const target = resolve(dirname(file), specifier);
        const resolved = [`${target}.js`, join(target, "index.js"), target].find((f) => existsSync(f)) ?? target;
        if (!inPackage(resolved)) outside.push(`${relative(root, file)} requires ${specifier} (${relative(root, resolved)})`);
      }
    }
  }
  return { packages, outside };
}

/** The git URL (with `#tag`) of the README's install line for the modules. */
function readmeInstallUrl(readme: string): string | undefined {
  return /^npm install --save-exact (git\+\S+#v\S+)$/m.exec(readme)?.[1];
}

/** Every `.js` file under a folder. */
function jsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".js"))
    .map((f) => join(dir, f));
}

/** Runs a command; on failure the error carries its output (tsc prints its diagnostics to stdout). */
function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): string {
  try {
    return execFileSync(command, args, { ...options, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed:\n${err.stdout ?? ""}${err.stderr ?? ""}\n${err.message}`);
  }
}

const HOST_PACKAGES = ["cdktf", "constructs"];
const isProvider = (name: string) => name.startsWith("@cdktf/provider-");

describe("package.json of the importable modules", () => {
  const loads = () => {
    expect(existsSync(join(root, "dist/modules")), "dist/ is missing: run `npm run build` (npm test does)").toBe(true);
    return packagedLoads();
  };
  const required = () => loads().packages;

  it("contains every file its modules load: no module imports repository-only code (environments/, stacks/)", () => {
    expect(loads().outside).toEqual([]);
  });

  it("declares every package the compiled modules load, and no runtime dependency they do not load", () => {
    const loaded = required();
    const declared = new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})]);
    expect([...loaded].filter((n) => !declared.has(n)), "loaded but not declared").toEqual([]);
    expect(Object.keys(pkg.dependencies ?? {}).filter((n) => !loaded.has(n)), "dependencies the modules never load").toEqual([]);
  });

  it("takes cdktf, constructs and the providers from the consumer (peers at ^ the exact versions tested here)", () => {
    const hosts = [...required()].filter((n) => HOST_PACKAGES.includes(n) || isProvider(n));
    expect(hosts).toEqual(expect.arrayContaining(HOST_PACKAGES));
    for (const name of hosts) {
      expect(pkg.dependencies?.[name], `${name} must not be a dependency (a second copy of cdktf's classes)`).toBeUndefined();
      const pinned = pkg.devDependencies?.[name];
      expect(pinned, `${name} pinned exactly in devDependencies`).toMatch(/^\d+\.\d+\.\d+$/);
      expect(pkg.peerDependencies?.[name], name).toBe(`^${pinned}`);
    }
    // Only a provider may be optional: cdktf and constructs are needed by every module.
    for (const [name, meta] of Object.entries(pkg.peerDependenciesMeta ?? {})) {
      if (meta.optional) expect(isProvider(name), name).toBe(true);
    }
  });

  it("is installed from a tag named after its version, which the CHANGELOG lists", () => {
    const url = readmeInstallUrl(readFileSync(join(root, "README.md"), "utf8"));
    expect(url, "README: `npm install --save-exact git+...#v<version>`").toBeDefined();
    expect(url!.endsWith(`#v${pkg.version}`), url).toBe(true);
    expect(consumer.dependencies?.[pkg.name]).toBe(url);
    expect(readFileSync(join(root, "CHANGELOG.md"), "utf8")).toContain(`\n## [${pkg.version}] - `);
    // The tag itself lives in git (CI checkouts may not fetch tags, a source copy has no .git): when
    // present, it must carry this version.
    const tag = existsSync(join(root, ".git")) ? run("git", ["tag", "--list", `v${pkg.version}`], { cwd: root }).trim() : "";
    if (tag) expect(JSON.parse(run("git", ["show", `${tag}:package.json`], { cwd: root })).version, tag).toBe(pkg.version);
  });
});

describe("the example consumer, a stock cdktf project", () => {
  const dir = mkdtempSync(join(tmpdir(), "eks-idp-consumer-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has the template's tsconfig.json and the versions this repository tests", () => {
    expect(readJson<unknown>(join(example, "tsconfig.json"))).toEqual(readJson<unknown>(stockTsconfig));
    const own = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const [name, version] of Object.entries({ ...consumer.dependencies, ...consumer.devDependencies })) {
      if (name === pkg.name) continue;
      // cdktf's stock `npx ts-node main.ts` needs TypeScript 5 (ts-node 10 does not run on TypeScript 7).
      const ours = name === "typescript" ? own["typescript-5"] : own[name];
      expect(ours, name).toBe(name === "typescript" ? `npm:typescript@${version}` : version);
    }
    for (const name of Object.keys(pkg.peerDependencies ?? {})) {
      if (!pkg.peerDependenciesMeta?.[name]?.optional) expect(consumer.dependencies?.[name], `required peer ${name}`).toBeDefined();
    }
  });

  it("installs the packed tarball outside the repository, compiles with TypeScript 5 (node10) and 7 and synthesizes", () => {
    expect(relative(root, dir).startsWith(".."), `${dir} is outside the repository`).toBe(true);
    const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root })) as { filename: string }[];
    const installed = join(dir, "node_modules", pkg.name);
    mkdirSync(installed, { recursive: true });
    run("tar", ["-xzf", join(dir, packed[0]!.filename), "-C", installed, "--strip-components=1"], { cwd: dir });
    // What npm would install: the example's dependencies (the peers among them), the package's own dependencies, @types/node.
    const links = new Set([...Object.keys(consumer.dependencies ?? {}), ...Object.keys(pkg.dependencies ?? {}), "@types/node"]);
    links.delete(pkg.name);
    for (const name of links) {
      mkdirSync(dirname(join(dir, "node_modules", name)), { recursive: true });
      symlinkSync(join(root, "node_modules", name), join(dir, "node_modules", name), "dir");
    }
    for (const file of ["package.json", "tsconfig.json", "cdktf.json", "main.ts"]) writeFileSync(join(dir, file), readFileSync(join(example, file)));

    // Files the modules read at run time from the package folder (the chart of custom resources) are packed.
    if (existsSync(join(installed, "dist/modules/helm/custom-resources.js"))) {
      const load = `process.stdout.write(require("${pkg.name}/modules/helm/custom-resources").platformResourcesChartPath())`;
      expect(realpathSync(run(process.execPath, ["-e", load], { cwd: dir })).startsWith(realpathSync(installed))).toBe(true);
    }

    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", ".", "--noEmit"], { cwd: dir });
    run(process.execPath, [join(root, "node_modules/typescript-5/bin/tsc"), "-p", "."], { cwd: dir });
    const out = join(dir, "cdktf.out");
    run(process.execPath, ["main.js"], { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: out } });

    const cluster = readJson<any>(join(out, "stacks/team-cluster/cdk.tf.json"));
    const subnets = Object.values(cluster.resource.aws_subnet) as any[];
    expect(subnets.every((s) => s.cidr_block.startsWith("10.99."))).toBe(true);
    expect(Object.values(cluster.resource.aws_eks_cluster).map((c: any) => c.name)).toEqual(["team-analytics"]);
    const addons = readJson<any>(join(out, "stacks/team-addons/cdk.tf.json"));
    expect(Object.values(addons.resource.helm_release).map((r: any) => r.chart)).toEqual(["metrics-server"]);
  }, 60_000);
});
