import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addressAt,
  addressCount,
  blockSize,
  CidrError,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  isValidCidr,
  parseCidr,
  prefixLengthForAddresses,
  prefixLengthForUsableAddresses,
  rangeToCidrs,
  resizeCidr,
  subnetAt,
  usableAddresses,
} from "../modules/network/cidr";

describe("parseCidr", () => {
  it("parses a canonical CIDR", () => {
    const c = parseCidr("10.10.0.0/16");
    expect(c.cidr).toBe("10.10.0.0/16");
    expect(c.network).toBe(10 * 2 ** 24 + 10 * 2 ** 16);
    expect(c.prefixLength).toBe(16);
    expect(c.size).toBe(65536);
    expect(parseCidr("0.0.0.0/0").size).toBe(2 ** 32);
    expect(parseCidr("255.255.255.255/32").size).toBe(1);
  });

  it("rejects host bits with the network it meant", () => {
    expect(() => parseCidr("10.0.0.1/16")).toThrow(CidrError);
    expect(() => parseCidr("10.0.0.1/16", "vpcCidr")).toThrow(
      'vpcCidr "10.0.0.1/16" has host bits set; the network is 10.0.0.0/16',
    );
    expect(() => parseCidr("10.10.5.0/20")).toThrow("the network is 10.10.0.0/20");
  });

  it.each([
    ["10.0.0.0", "not in IPv4 CIDR notation"],
    ["10.0.0/16", "not in IPv4 CIDR notation"],
    ["10.0.0.0/33", "not a valid IPv4 CIDR"],
    ["256.0.0.0/8", "not a valid IPv4 CIDR"],
    ["10.0.0.0/016", "not in IPv4 CIDR notation"],
    ["10.00.0.0/16", "leading zeros"],
    ["10.0.0.0/08", "leading zeros"],
    [" 10.0.0.0/16", "not in IPv4 CIDR notation"],
    ["10.0.0.0/16 ", "not in IPv4 CIDR notation"],
    ["fd00::/64", "IPv6 is not supported"],
    ["", "not in IPv4 CIDR notation"],
  ])("rejects %j (%s)", (text, message) => {
    expect(() => parseCidr(text)).toThrow(message);
    expect(isValidCidr(text)).toBe(false);
  });

  it("isValidCidr accepts canonical CIDRs only", () => {
    expect(isValidCidr("10.0.0.0/8")).toBe(true);
    expect(isValidCidr("100.64.0.0/10")).toBe(true);
    expect(isValidCidr("10.0.0.1/8")).toBe(false);
    expect(isValidCidr(undefined as unknown as string)).toBe(false);
  });
});

describe("range relations", () => {
  it("overlap", () => {
    expect(cidrsOverlap("10.0.0.0/8", "10.1.0.0/16")).toBe(true);
    expect(cidrsOverlap("10.1.0.0/16", "10.0.0.0/8")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/16", "10.1.0.0/16")).toBe(false);
    expect(cidrsOverlap("10.0.0.0/24", "10.0.0.0/24")).toBe(true);
    expect(cidrsOverlap("10.0.0.0/25", "10.0.0.128/25")).toBe(false);
  });

  it("containment", () => {
    expect(cidrContains("10.0.0.0/8", "10.1.0.0/16")).toBe(true);
    expect(cidrContains("10.1.0.0/16", "10.0.0.0/8")).toBe(false);
    expect(cidrContains("10.0.0.0/16", "10.0.0.0/16")).toBe(true);
    expect(cidrContains("100.64.0.0/10", "100.64.0.0/16")).toBe(true);
    expect(cidrContains("172.16.0.0/12", "172.32.0.0/16")).toBe(false);
  });

  it("throws on invalid input", () => {
    expect(() => cidrsOverlap("10.0.0.1/8", "10.0.0.0/8")).toThrow("host bits");
    expect(() => cidrContains("10.0.0.0/8", "nope")).toThrow(CidrError);
  });
});

describe("sizes and addresses", () => {
  it("counts addresses", () => {
    expect(addressCount("10.0.0.0/24")).toBe(256);
    expect(blockSize(28)).toBe(16);
    expect(usableAddresses(28)).toBe(11);
    expect(usableAddresses(24)).toBe(251);
    expect(usableAddresses(16)).toBe(65531);
  });

  it("addressAt counts from the start, or from the end when negative", () => {
    expect(addressAt("10.0.0.0/24", 0)).toBe("10.0.0.0");
    expect(addressAt("10.0.0.0/24", 10)).toBe("10.0.0.10");
    expect(addressAt("10.0.0.0/16", 256)).toBe("10.0.1.0");
    expect(addressAt("10.0.0.0/24", -1)).toBe("10.0.0.255");
    expect(() => addressAt("10.0.0.0/24", 256)).toThrow(RangeError);
    expect(() => addressAt("10.0.0.0/24", -257)).toThrow(RangeError);
    expect(() => addressAt("10.0.0.0/24", 1.5)).toThrow(RangeError);
  });

  it("finds the smallest subnet whose usable addresses cover a demand (never below /28)", () => {
    expect(prefixLengthForUsableAddresses(0)).toBe(28);
    expect(prefixLengthForUsableAddresses(11)).toBe(28);
    expect(prefixLengthForUsableAddresses(12)).toBe(27);
    expect(prefixLengthForUsableAddresses(27)).toBe(27);
    expect(prefixLengthForUsableAddresses(28)).toBe(26);
    expect(prefixLengthForUsableAddresses(251)).toBe(24);
    expect(prefixLengthForUsableAddresses(252)).toBe(23);
    expect(prefixLengthForUsableAddresses(65531)).toBe(16);
    expect(prefixLengthForUsableAddresses(65532)).toBe(15);
    expect(() => prefixLengthForUsableAddresses(-1)).toThrow(RangeError);
  });

  it("finds the smallest block holding a number of addresses", () => {
    expect(prefixLengthForAddresses(0)).toBe(32);
    expect(prefixLengthForAddresses(1)).toBe(32);
    expect(prefixLengthForAddresses(256)).toBe(24);
    expect(prefixLengthForAddresses(257)).toBe(23);
    expect(prefixLengthForAddresses(2 ** 32)).toBe(0);
  });

  it("resizes, places and formats blocks", () => {
    expect(resizeCidr("10.10.0.0/16", 14)).toBe("10.8.0.0/14");
    expect(resizeCidr("10.10.0.0/16", 20)).toBe("10.10.0.0/20");
    expect(subnetAt("10.0.0.0/16", 4096, 20)).toBe("10.0.16.0/20");
    expect(() => subnetAt("10.0.0.0/16", 2048, 20)).toThrow("not aligned");
    expect(() => subnetAt("10.0.0.0/16", 65536, 24)).toThrow("not inside");
    expect(formatCidr(parseCidr("192.168.1.0/24").network, 24)).toBe("192.168.1.0/24");
    expect(() => formatCidr(parseCidr("192.168.1.0/24").network, 16)).toThrow("not aligned");
  });

  it("covers a range with the fewest aligned blocks", () => {
    expect(rangeToCidrs("10.0.0.0", 384)).toEqual(["10.0.0.0/24", "10.0.1.0/25"]);
    expect(rangeToCidrs("10.0.1.128", 65536 - 384)).toEqual([
      "10.0.1.128/25",
      "10.0.2.0/23",
      "10.0.4.0/22",
      "10.0.8.0/21",
      "10.0.16.0/20",
      "10.0.32.0/19",
      "10.0.64.0/18",
      "10.0.128.0/17",
    ]);
    expect(rangeToCidrs("0.0.0.0", 2 ** 32)).toEqual(["0.0.0.0/0"]);
    expect(rangeToCidrs("10.0.0.0", 0)).toEqual([]);
  });
});

describe("properties", () => {
  const cidrArb = fc
    .tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }))
    .map(([address, prefix]) => resizeCidr(formatCidr(address, 32), prefix));

  it("parse → format round-trips, and host bits are always rejected", () => {
    fc.assert(
      fc.property(cidrArb, fc.integer({ min: 1, max: 2 ** 31 }), (cidr, hostOffset) => {
        const p = parseCidr(cidr);
        expect(p.cidr).toBe(cidr);
        expect(formatCidr(p.network, p.prefixLength)).toBe(cidr);
        if (p.size > 1) {
          const withHostBits = `${addressAt(p, hostOffset % (p.size - 1) + 1)}/${p.prefixLength}`;
          expect(isValidCidr(withHostBits)).toBe(false);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("overlap is symmetric and equals containment one way or the other for CIDRs", () => {
    fc.assert(
      fc.property(cidrArb, cidrArb, (a, b) => {
        const overlap = cidrsOverlap(a, b);
        expect(cidrsOverlap(b, a)).toBe(overlap);
        expect(overlap).toBe(cidrContains(a, b) || cidrContains(b, a));
      }),
      { numRuns: 200 },
    );
  });

  it("rangeToCidrs covers exactly the range with aligned, consecutive blocks", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 20 }), (start, wanted) => {
        const count = Math.min(wanted, 2 ** 32 - start);
        const blocks = rangeToCidrs(formatCidr(start, 32).split("/")[0]!, count).map((c) => parseCidr(c));
        let at = start;
        for (const b of blocks) {
          expect(b.network).toBe(at);
          expect(b.network % b.size).toBe(0);
          at += b.size;
        }
        expect(at).toBe(start + count);
        expect(blocks.length).toBeLessThanOrEqual(64);
      }),
      { numRuns: 200 },
    );
  });
});
