/**
 * The IP plan before and after, as the synthesized subnets say it: every `aws_subnet` whose CIDR
 * or AZ differs between the revisions, or that only one revision has. Subnets are matched by
 * address (the construct id), so a re-addressed subnet is one row with both CIDRs. Pure.
 */
import { entitiesOf, valuesAt } from "./normalize";
import type { StackSet, SubnetChange } from "./types";

interface Subnet {
  readonly cidr?: string;
  readonly az?: string;
  readonly name?: string;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function subnetsOf(tf: StackSet[string] | undefined): Map<string, Subnet> {
  const out = new Map<string, Subnet>();
  if (!tf) return out;
  for (const entity of entitiesOf(tf).values()) {
    if (entity.kind !== "resource" || entity.type !== "aws_subnet") continue;
    const cidr = text(valuesAt(entity.body, ["cidr_block"]));
    const az = text(valuesAt(entity.body, ["availability_zone"])) ?? text(valuesAt(entity.body, ["availability_zone_id"]));
    const name = text(valuesAt(entity.body, ["tags", "Name"]));
    out.set(entity.address, { ...(cidr ? { cidr } : {}), ...(az ? { az } : {}), ...(name ? { name } : {}) });
  }
  return out;
}

function statusOf(before: Subnet | undefined, after: Subnet | undefined): SubnetChange["status"] | undefined {
  if (!before) return "added";
  if (!after) return "removed";
  if (before.cidr !== after.cidr) return "re-addressed";
  if (before.az !== after.az) return "moved";
  return undefined;
}

/** The subnet rows that differ, by stack then address. */
export function subnetChanges(base: StackSet, head: StackSet): SubnetChange[] {
  const rows: SubnetChange[] = [];
  for (const stack of [...new Set([...Object.keys(base), ...Object.keys(head)])].sort()) {
    const before = subnetsOf(base[stack]);
    const after = subnetsOf(head[stack]);
    for (const address of [...new Set([...before.keys(), ...after.keys()])].sort()) {
      const was = before.get(address);
      const now = after.get(address);
      const status = statusOf(was, now);
      if (!status) continue;
      const name = now?.name ?? was?.name;
      rows.push({
        stack,
        address,
        status,
        ...(name ? { name } : {}),
        ...(was?.az ? { azBefore: was.az } : {}),
        ...(now?.az ? { azAfter: now.az } : {}),
        ...(was?.cidr ? { before: was.cidr } : {}),
        ...(now?.cidr ? { after: now.cidr } : {}),
      });
    }
  }
  return rows;
}
