/**
 * Small, pure IPv4 CIDR helpers for the IP planner and the configuration checks.
 *
 * Parsing, validation, containment, overlap and formatting are delegated to `ip-num`; this module
 * adds the AWS rules on top (5 reserved addresses per subnet, /28 minimum subnet) and a strict,
 * canonical-form parser with messages a person can act on. IPv4 only.
 *
 * Addresses are handled as plain `number`s internally: every IPv4 address and block size is below
 * 2^32, well inside the exactly representable integer range of a double.
 */
import { IPv4, IPv4CidrRange, IPv4Prefix, Validator } from "ip-num";

/** AWS reserves the first four and the last address of every subnet. */
export const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;

/** The smallest subnet AWS allows is a /28 (16 addresses, 11 usable). */
export const AWS_MIN_SUBNET_PREFIX_LENGTH = 28;

/** The largest subnet (and VPC CIDR block) AWS allows is a /16. */
export const AWS_MAX_SUBNET_PREFIX_LENGTH = 16;

const IPV4_ADDRESS_COUNT = 2 ** 32;

/** A validated, canonical IPv4 CIDR block. */
export interface ParsedCidr {
  /** Canonical notation, e.g. `10.10.0.0/16`. */
  readonly cidr: string;
  /** The network (first) address as an unsigned 32-bit integer. */
  readonly network: number;
  /** The prefix length, 0-32. */
  readonly prefixLength: number;
  /** Number of addresses in the block, `2^(32 - prefixLength)`. */
  readonly size: number;
  /** The same block as an `ip-num` range, for further range operations. */
  readonly range: IPv4CidrRange;
}

/** Thrown by {@link parseCidr} (and helpers that parse) when a CIDR is malformed or has host bits set. */
export class CidrError extends Error {
  /** The text that was rejected. */
  readonly input: string;

  constructor(input: string, message: string) {
    super(message);
    this.name = "CidrError";
    this.input = input;
  }
}

const SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses and validates an IPv4 CIDR in canonical form (`a.b.c.d/n`, no leading zeros, no spaces,
 * host bits zero).
 *
 * @param cidr the text to parse, e.g. `10.10.0.0/16`
 * @param label what the CIDR is, used in error messages, e.g. `vpcCidr`. @default "CIDR"
 * @throws CidrError naming the problem, e.g. `CIDR "10.0.0.1/16" has host bits set; the network is 10.0.0.0/16`
 */
export function parseCidr(cidr: string, label = "CIDR"): ParsedCidr {
  if (typeof cidr !== "string") {
    throw new CidrError(String(cidr), `${label} must be a string in IPv4 CIDR notation such as 10.0.0.0/16, got ${typeof cidr}`);
  }
  const quoted = JSON.stringify(cidr);
  if (cidr.includes(":")) {
    throw new CidrError(cidr, `${label} ${quoted} is not an IPv4 CIDR (IPv6 is not supported here)`);
  }
  if (!SHAPE.test(cidr)) {
    throw new CidrError(cidr, `${label} ${quoted} is not in IPv4 CIDR notation a.b.c.d/n (e.g. 10.0.0.0/16)`);
  }
  if (/(^|[./])0\d/.test(cidr)) {
    throw new CidrError(cidr, `${label} ${quoted} has leading zeros; write each number without them (e.g. 10.0.0.0/16)`);
  }
  const [valid, problems] = Validator.isValidIPv4CidrNotation(cidr);
  if (!valid) {
    throw new CidrError(cidr, `${label} ${quoted} is not a valid IPv4 CIDR: ${problems.filter((p) => p !== "").join("; ")}`);
  }
  const [address, prefixText] = cidr.split("/") as [string, string];
  const prefixLength = Number(prefixText);
  const given = Number(IPv4.fromDecimalDottedString(address).getValue());
  const network = maskedNetwork(given, prefixLength);
  const canonical = `${IPv4.fromNumber(BigInt(network)).toString()}/${prefixLength}`;
  if (given !== network) {
    throw new CidrError(cidr, `${label} ${quoted} has host bits set; the network is ${canonical}`);
  }
  return { cidr: canonical, network, prefixLength, size: blockSize(prefixLength), range: IPv4CidrRange.fromCidr(canonical) };
}

/**
 * Whether `cidr` is a valid, canonical IPv4 CIDR with its host bits zero. Never throws.
 * @param cidr the text to check
 */
export function isValidCidr(cidr: string): boolean {
  try {
    parseCidr(cidr);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether two CIDR blocks share at least one address.
 * @param a a CIDR, e.g. `10.0.0.0/16`
 * @param b another CIDR
 * @throws CidrError if either is not a valid CIDR
 */
export function cidrsOverlap(a: string | ParsedCidr, b: string | ParsedCidr): boolean {
  return toParsed(a).range.isOverlapping(toParsed(b).range);
}

/**
 * Whether `outer` contains every address of `inner` (a block contains itself).
 * @param outer the enclosing CIDR, e.g. `10.0.0.0/8`
 * @param inner the CIDR that should be inside it, e.g. `10.10.0.0/16`
 * @throws CidrError if either is not a valid CIDR
 */
export function cidrContains(outer: string | ParsedCidr, inner: string | ParsedCidr): boolean {
  return toParsed(outer).range.contains(toParsed(inner).range);
}

/**
 * Number of addresses in a CIDR block, reserved ones included (`/24` → 256).
 * @param cidr a CIDR
 * @throws CidrError if it is not a valid CIDR
 */
export function addressCount(cidr: string | ParsedCidr): number {
  return Number(toParsed(cidr).range.getSize());
}

/**
 * Number of addresses in a block of the given prefix length (`24` → 256).
 * @param prefixLength 0-32
 * @throws RangeError outside 0-32
 */
export function blockSize(prefixLength: number): number {
  assertPrefixLength(prefixLength);
  return 2 ** (32 - prefixLength);
}

/**
 * Addresses an AWS subnet of this prefix length can hand out: its size minus the 5 AWS reserves
 * (`/28` → 11, `/24` → 251).
 * @param prefixLength 0-32; subnets in AWS are /16 to /28
 * @throws RangeError outside 0-32
 */
export function usableAddresses(prefixLength: number): number {
  return Math.max(0, blockSize(prefixLength) - AWS_RESERVED_ADDRESSES_PER_SUBNET);
}

/**
 * The address at `offset` inside `cidr`, like Terraform's `cidrhost`: 0 is the network address,
 * negative offsets count back from the last address (-1 is the last one).
 * @param cidr a CIDR, e.g. `10.0.0.0/24`
 * @param offset an integer in `[-size, size)`
 * @returns the dotted address, e.g. `addressAt("10.0.0.0/24", 10)` → `10.0.0.10`
 * @throws RangeError if the offset is outside the block; CidrError if the CIDR is invalid
 */
export function addressAt(cidr: string | ParsedCidr, offset: number): string {
  const parsed = toParsed(cidr);
  if (!Number.isInteger(offset) || offset < -parsed.size || offset >= parsed.size) {
    throw new RangeError(`offset ${offset} is outside ${parsed.cidr} (${parsed.size} addresses)`);
  }
  const address = parsed.network + (offset < 0 ? parsed.size + offset : offset);
  return IPv4.fromNumber(BigInt(address)).toString();
}

/**
 * The longest prefix length (smallest subnet) whose usable addresses (size − 5) are at least
 * `usableNeeded`, never longer than /28, the smallest subnet AWS allows.
 * `0` → 28, `11` → 28, `12` → 27, `251` → 24, `252` → 23.
 * @param usableNeeded addresses the subnet must hand out, a non-negative integer
 * @throws RangeError if negative, not an integer or more than any IPv4 block can hold
 */
export function prefixLengthForUsableAddresses(usableNeeded: number): number {
  if (!Number.isInteger(usableNeeded) || usableNeeded < 0) {
    throw new RangeError(`usable address count must be a non-negative integer, got ${usableNeeded}`);
  }
  for (let prefix = AWS_MIN_SUBNET_PREFIX_LENGTH; prefix >= 0; prefix--) {
    if (usableAddresses(prefix) >= usableNeeded) return prefix;
  }
  throw new RangeError(`no IPv4 block has ${usableNeeded} usable addresses`);
}

/**
 * The longest prefix length whose block holds at least `addresses` addresses (reserved ones
 * included): `256` → 24, `257` → 23, `1` → 32, `0` → 32.
 * @param addresses a non-negative integer, at most 2^32
 * @throws RangeError if negative, not an integer or above 2^32
 */
export function prefixLengthForAddresses(addresses: number): number {
  if (!Number.isInteger(addresses) || addresses < 0 || addresses > IPV4_ADDRESS_COUNT) {
    throw new RangeError(`address count must be an integer in 0..2^32, got ${addresses}`);
  }
  let prefix = 32;
  while (prefix > 0 && blockSize(prefix) < addresses) prefix--;
  return prefix;
}

/**
 * The block of `prefixLength` that contains `cidr`'s network address: a supernet when shorter,
 * the first subnet when longer. `resizeCidr("10.10.0.0/16", 14)` → `10.8.0.0/14`.
 * @param cidr a CIDR
 * @param prefixLength the new prefix length, 0-32
 * @throws CidrError if the CIDR is invalid; RangeError if the prefix length is outside 0-32
 */
export function resizeCidr(cidr: string | ParsedCidr, prefixLength: number): string {
  assertPrefixLength(prefixLength);
  return formatCidr(maskedNetwork(toParsed(cidr).network, prefixLength), prefixLength);
}

/**
 * The aligned block of `prefixLength` that starts `offset` addresses into `parent`.
 * `subnetAt("10.0.0.0/16", 4096, 20)` → `10.0.16.0/20`.
 * @param parent the enclosing CIDR
 * @param offset addresses from the start of `parent`, a multiple of the block size
 * @param prefixLength prefix length of the block, not shorter than the parent's
 * @throws RangeError if the block is misaligned or not inside `parent`
 */
export function subnetAt(parent: string | ParsedCidr, offset: number, prefixLength: number): string {
  const p = toParsed(parent);
  const size = blockSize(prefixLength);
  if (prefixLength < p.prefixLength || !Number.isInteger(offset) || offset < 0 || offset + size > p.size) {
    throw new RangeError(`a /${prefixLength} at offset ${offset} is not inside ${p.cidr}`);
  }
  if (offset % size !== 0) throw new RangeError(`offset ${offset} is not aligned to a /${prefixLength} (${size} addresses)`);
  return formatCidr(p.network + offset, prefixLength);
}

/**
 * The fewest aligned CIDR blocks that exactly cover the addresses `[first, first + count)`,
 * in address order. `rangeToCidrs("10.0.0.0", 384)` → `["10.0.0.0/24", "10.0.1.0/25"]`.
 * @param first the first address, dotted, e.g. `10.0.0.0`
 * @param count how many addresses; 0 gives no blocks
 * @throws Error if `first` is not an IPv4 address; RangeError if the range leaves IPv4 space
 */
export function rangeToCidrs(first: string, count: number): string[] {
  const [valid, problems] = Validator.isValidIPv4String(first);
  if (!valid) throw new Error(`${JSON.stringify(first)} is not an IPv4 address: ${problems.join("; ")}`);
  const start = Number(IPv4.fromDecimalDottedString(first).getValue());
  if (!Number.isInteger(count) || count < 0 || start + count > IPV4_ADDRESS_COUNT) {
    throw new RangeError(`${count} addresses from ${first} do not fit in IPv4 space`);
  }
  const blocks: string[] = [];
  let at = start;
  const end = start + count;
  while (at < end) {
    // The largest block that starts aligned at `at` and does not pass `end`.
    let prefix = at === 0 ? 0 : 32 - trailingZeroBits(at);
    while (blockSize(prefix) > end - at) prefix++;
    blocks.push(formatCidr(at, prefix));
    at += blockSize(prefix);
  }
  return blocks;
}

/**
 * Formats a network address and prefix length as canonical CIDR text.
 * @param network the network address as an unsigned 32-bit integer (host bits must be zero)
 * @param prefixLength 0-32
 * @throws RangeError if host bits are set or the values are out of range
 */
export function formatCidr(network: number, prefixLength: number): string {
  assertPrefixLength(prefixLength);
  if (!Number.isInteger(network) || network < 0 || network >= IPV4_ADDRESS_COUNT) {
    throw new RangeError(`${network} is not an IPv4 address`);
  }
  if (maskedNetwork(network, prefixLength) !== network) {
    throw new RangeError(`${IPv4.fromNumber(BigInt(network)).toString()} is not aligned to a /${prefixLength}`);
  }
  return new IPv4CidrRange(IPv4.fromNumber(BigInt(network)), IPv4Prefix.fromNumber(BigInt(prefixLength))).toCidrString();
}

function toParsed(cidr: string | ParsedCidr): ParsedCidr {
  return typeof cidr === "string" ? parseCidr(cidr) : cidr;
}

function assertPrefixLength(prefixLength: number): void {
  if (!Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) {
    throw new RangeError(`prefix length must be an integer 0-32, got ${prefixLength}`);
  }
}

function maskedNetwork(address: number, prefixLength: number): number {
  const size = 2 ** (32 - prefixLength);
  return Math.floor(address / size) * size;
}

function trailingZeroBits(n: number): number {
  let bits = 0;
  while (bits < 32 && n % 2 ** (bits + 1) === 0) bits++;
  return bits;
}
