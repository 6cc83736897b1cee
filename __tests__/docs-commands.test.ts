/**
 * The commands in the code blocks of README.md and docs/ name what exists: `npm run` scripts of
 * package.json with arguments their own parsers accept, `cdktf` subcommands, stacks the platform
 * synthesizes (globs and `<env>` / `<account>` placeholders expanded over the real environments and
 * accounts), environments in `--env` / `PLATFORM_ENV`. And the names the runbooks spell out (state
 * file, state bucket, Velero bucket, KMS aliases, key deletion window) are those the stacks create.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseOptions as parseBenchArgs } from "../scripts/bench";
import { parseCostArgs } from "../scripts/cost/cli";
import { parseArgs as parseDiffArgs } from "../scripts/diff/cli";
import { parseTeardownArgs } from "../scripts/teardown/cli";
import { parsePlanArgs } from "../scripts/upgrade-plan/cli";
import { parseSynthArgs, unknownEnvironments } from "../stacks/synthesize";
import { platform, resources, synth } from "./support/platform";

const root = resolve(__dirname, "..");
const scripts = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

/** README.md and every markdown file under docs/, by path. */
function documents(): Record<string, string> {
  const docs = readdirSync(join(root, "docs"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md"));
  return Object.fromEntries(["README.md", ...docs.map((f) => posix.join("docs", f))].map((f) => [f, readFileSync(join(root, f), "utf8")]));
}

/** The lines of the fenced shell blocks (```sh, ```bash or no language), `\`-continuations joined. */
function shellLines(markdown: string): string[] {
  const lines: string[] = [];
  for (const [, lang, body] of markdown.matchAll(/^[ \t]*```(\w*)\n([\s\S]*?)^[ \t]*```/gm)) {
    if (!["sh", "bash", ""].includes(lang!)) continue;
    lines.push(...body!.replace(/\\\n\s*/g, " ").split("\n").map((l) => l.trim()).filter(Boolean));
  }
  return lines;
}

/** Words of one shell command line, quotes removed, comments dropped, split into simple commands. */
function simpleCommands(line: string): string[][] {
  const words = line.match(/'[^']*'|"(?:\\.|[^"\\])*"|&&|\|\||[;|]|[^\s;|&]+/g) ?? [];
  const commands: string[][] = [[]];
  for (const word of words) {
    if (word.startsWith("#")) break;
    if (["&&", "||", ";", "|"].includes(word)) commands.push([]);
    else commands[commands.length - 1]!.push(word.replace(/^(['"])([\s\S]*)\1$/, "$2"));
  }
  return commands.filter((c) => c.length > 0);
}

/** Every way to fill the `<env>`, `<account>` and `<account-id>` placeholders; other `<...>` stay. */
function expansions(text: string, envs: readonly string[], accounts: readonly { alias: string; id: string }[]): string[] {
  const withEnv = text.includes("<env>") ? envs.map((e) => text.replaceAll("<env>", e)) : [text];
  return withEnv.flatMap((t) => (/<account(-id)?>/.test(t) ? accounts.map((a) => t.replaceAll("<account>", a.alias).replaceAll("<account-id>", a.id)) : [t]));
}

/** A stack name pattern (shell glob, other placeholders as wildcards) as a regular expression. */
function stackPattern(pattern: string): RegExp {
  const source = pattern
    .replace(/<[^>]+>/g, "\u0000")
    .replace(/[.+?^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("\u0000", ".+");
  return new RegExp(`^${source}$`);
}

/** `npm run <script> -- <args>`: argument parsers of the scripts that have one; each throws or returns an error. */
const ARGUMENT_PARSERS: Readonly<Record<string, (args: string[], envs: readonly string[]) => string | undefined>> = {
  synth: (args, envs) => {
    const parsed = parseSynthArgs(args, {});
    if ("error" in parsed) return parsed.error;
    return parsed.environments && unknownEnvironments([...parsed.environments], envs.map((name) => ({ name })));
  },
  diff: (args) => void parseDiffArgs(args),
  cost: (args) => void parseCostArgs(args),
  "upgrade-plan": (args) => void parsePlanArgs(args),
  teardown: (args) => void parseTeardownArgs(args),
  bench: (args) => void parseBenchArgs(args),
};

const CDKTF_COMMANDS = ["deploy", "destroy", "diff", "synth", "list", "output", "get"];
const CDKTF_STACK_COMMANDS = ["deploy", "destroy", "diff", "synth", "output"];

interface Checked {
  problems: string[];
  npmScripts: Set<string>;
  stackReferences: number;
}

/** Checks one simple command; records what it referenced. */
function checkCommand(words: string[], where: string, ctx: { envs: string[]; accounts: { alias: string; id: string }[]; stacks: string[] }, out: Checked): void {
  const fail = (what: string) => out.problems.push(`${where}: ${words.join(" ")}: ${what}`);
  const stack = (pattern: string) => {
    out.stackReferences++;
    for (const name of expansions(pattern, ctx.envs, ctx.accounts)) {
      if (!ctx.stacks.some((s) => stackPattern(name).test(s))) fail(`no synthesized stack matches "${name}" (stacks: ${ctx.stacks.join(", ")})`);
    }
  };
  let i = 0;
  for (; i < words.length && /^[A-Z_]+=/.test(words[i]!); i++) {
    const [name, value] = words[i]!.split(/=(.*)/) as [string, string];
    if (name === "PLATFORM_ENV") {
      for (const v of expansions(value, ctx.envs, ctx.accounts)) {
        const unknown = unknownEnvironments(v.split(","), ctx.envs.map((n) => ({ name: n })));
        if (unknown) fail(unknown);
      }
    }
  }
  const [command, ...args] = words.slice(i);
  if (command === "npm" && args[0] === "run") {
    const script = args[1]!;
    out.npmScripts.add(script);
    if (!(script in scripts)) {
      fail(`package.json has no script "${script}"`);
      return;
    }
    const parse = ARGUMENT_PARSERS[script];
    const dash = args.indexOf("--");
    if (parse && dash >= 0) {
      for (const filled of expansions(args.slice(dash + 1).join("\u0001"), ctx.envs, ctx.accounts)) {
        try {
          const error = parse(filled.replace(/<[^>]+>/g, "x").split("\u0001"), ctx.envs);
          if (error) fail(error);
        } catch (e) {
          fail((e as Error).message);
        }
      }
    }
  } else if ((command === "npx" && args[0] === "cdktf") || command === "cdktf") {
    const [sub, ...rest] = command === "npx" ? args.slice(1) : args;
    if (!CDKTF_COMMANDS.includes(sub!)) fail(`"${sub}" is not a cdktf command this project uses`);
    else if (CDKTF_STACK_COMMANDS.includes(sub!)) rest.filter((a) => !a.startsWith("-")).forEach(stack);
  } else if (command === "cd" || command === "terraform" || command === "tofu") {
    for (const arg of args) {
      const folder = /^(?:-chdir=)?cdktf\.out\/stacks\/([^/\s]+)\/?$/.exec(arg);
      if (folder) stack(folder[1]!);
    }
  }
}

describe("commands in the README and docs", () => {
  const { envs, stacks } = platform();
  const ctx = {
    envs: envs.map((e) => e.name),
    accounts: [...new Map(envs.map((e) => [e.account.alias, { alias: e.account.alias, id: e.account.id }])).values()],
    stacks: [...stacks.bootstrap, ...Object.values(stacks.environments).flatMap((s) => [s.network, s.cluster, s.addons])].map((s) => s.node.id),
  };

  it("name npm scripts, cdktf commands, stacks and environments that exist, with arguments the scripts accept", () => {
    const out: Checked = { problems: [], npmScripts: new Set(), stackReferences: 0 };
    for (const [file, text] of Object.entries(documents())) {
      for (const line of shellLines(text)) {
        for (const words of simpleCommands(line)) checkCommand(words, file, ctx, out);
      }
    }
    expect(out.problems).toEqual([]);
    // The extraction found what the README is known to show.
    expect([...out.npmScripts]).toEqual(expect.arrayContaining(["synth", "ipplan"]));
    expect(out.stackReferences).toBeGreaterThan(0);
  });

  it("are checked: an unknown script, stack, environment or flag is a problem", () => {
    const out: Checked = { problems: [], npmScripts: new Set(), stackReferences: 0 };
    const bad = ["npm run synthesize", "npx cdktf deploy nowhere-network", "PLATFORM_ENV=nowhere npx cdktf deploy '<env>-*'", "npm run synth -- --envs dev", "npx cdktf apply x"];
    for (const line of bad) for (const words of simpleCommands(line)) checkCommand(words, "test", ctx, out);
    expect(out.problems).toHaveLength(bad.length);
    const good = ["npm run synth -- --env <env>", "cd cdktf.out/stacks/bootstrap-<account> && terraform init", "npx cdktf destroy '<env>-*'"];
    const ok: Checked = { problems: [], npmScripts: new Set(), stackReferences: 0 };
    for (const line of good) for (const words of simpleCommands(line)) checkCommand(words, "test", ctx, ok);
    expect(ok.problems).toEqual([]);
  });
});

describe("names the README and runbooks spell out", () => {
  const { envs, stacks } = platform();
  const docs = documents();
  const readme = docs["README.md"]!;
  const destroy = docs["docs/runbooks/deploy-and-destroy.md"]!;

  it("the bootstrap state file and its copy in the state bucket", () => {
    expect(readme).toContain("bootstrap-state/bootstrap-<account>.tfstate");
    expect(readme).toContain("s3://eks-idp-tfstate-<account-id>/bootstrap/bootstrap-<account>.tfstate");
    for (const stack of stacks.bootstrap) {
      const json = synth(stack);
      const path = (json.terraform as { backend: { local: { path: string } } }).backend.local.path;
      // Terraform runs in cdktf.out/stacks/<stack>/; the README names the path from the repository root.
      expect(posix.normalize(posix.join("cdktf.out/stacks", stack.node.id, path))).toBe(`bootstrap-state/${stack.node.id}.tfstate`);
      const env = envs.find((e) => `bootstrap-${e.account.alias}` === stack.node.id)!;
      expect(Object.values(resources(json, "aws_s3_bucket")).map((b: any) => b.bucket)).toContain(`eks-idp-tfstate-${env.account.id}`);
    }
  });

  it("the Velero bucket, the KMS aliases and the key deletion window of the destroy runbook", () => {
    expect(destroy).toContain("eks-idp-<env>-velero-<account-id>");
    expect(destroy).toContain("alias/eks-idp-<env>-");
    const window = Number(/waiting period of (\d+)\s+days/.exec(destroy)?.[1]);
    for (const env of envs) {
      const layers = stacks.environments[env.name]!;
      const addons = synth(layers.addons);
      expect(Object.values(resources(addons, "aws_s3_bucket")).map((b: any) => b.bucket)).toContain(`eks-idp-${env.name}-velero-${env.account.id}`);
      for (const stack of [layers.network, layers.cluster, layers.addons].map(synth)) {
        for (const alias of Object.values(resources(stack, "aws_kms_alias"))) expect(alias.name).toMatch(new RegExp(`^alias/eks-idp-${env.name}-`));
        for (const key of Object.values(resources(stack, "aws_kms_key"))) expect(key.deletion_window_in_days).toBe(window);
      }
    }
  });
});
