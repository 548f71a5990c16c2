import { keccak256, stringToHex } from "viem";
import { describe, expect, test } from "vitest";
import { e2SignatureValueOf } from "./e2";

describe("e2SignatureValueOf", () => {
  test("default: a base64 signature is keccak256 of its UTF-8 text", () => {
    const signature = "q83vASNFZ4mrze8BI0VniQ==";
    expect(e2SignatureValueOf(signature)).toBe(keccak256(stringToHex(signature)));
    expect(e2SignatureValueOf("q83vASNFZ4k=")).toMatchInlineSnapshot(
      `"0x21862fb0af8159e4299139e40e24c0153d1d8a0a4562f6bedfad97200e3b835b"`,
    );
  });

  test("behavior: 32-byte hex is the value itself, lowercased, 0x added", () => {
    const hash = `0x${"Ab".repeat(32)}`;
    expect(e2SignatureValueOf(hash)).toBe(hash.toLowerCase());
    expect(e2SignatureValueOf(hash.slice(2))).toBe(hash.toLowerCase());
  });

  test("behavior: other hex is keccak256 of its bytes, with or without 0x", () => {
    expect(e2SignatureValueOf("0xabcd")).toBe(keccak256("0xabcd"));
    expect(e2SignatureValueOf("abcd")).toBe(keccak256("0xabcd"));
  });

  test("behavior: an odd number of hex digits reads with a leading zero, as viem's keccak256 does", () => {
    expect(e2SignatureValueOf("0xabc")).toBe(keccak256("0x0abc"));
  });

  test("behavior: the placeholder signature and the empty string hash as text", () => {
    expect(e2SignatureValueOf("0x")).toBe(keccak256(stringToHex("0x")));
    expect(e2SignatureValueOf("")).toBe(keccak256("0x"));
  });

  test("behavior: a base64 signature that happens to be all hex digits hashes as hex, as the facilitator does", () => {
    expect(e2SignatureValueOf("deadbeef")).toBe(keccak256("0xdeadbeef"));
    expect(e2SignatureValueOf("0X12")).toBe(keccak256(stringToHex("0X12")));
  });
});
