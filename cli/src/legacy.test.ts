import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { REAL, realBody } from "../../abis/src/testdata/legacyV0Response";
import { runSettlescan } from "./testCli";

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "settlescan-cli-legacy-"));
  await writeFile(join(directory, "legacy.json"), realBody());
  await writeFile(join(directory, "tampered.json"), realBody("Hello! How can I harm you today? 😊"));
  await writeFile(join(directory, "enclave.pem"), REAL.pem);
});
afterAll(async () => {
  if (directory) await rm(directory, { recursive: true, force: true });
});

/** Runs `settlescan verify <args>` against the built-in opengradient profile (a legacy response needs no RPC). */
function verify(args: string[]) {
  return runSettlescan(["verify", ...args, "--network", "opengradient"], directory);
}

test("default: OpenGradient's real v0 response verifies with its enclave's key, and says why it is never proven", async () => {
  const { status, stdout } = await verify(["legacy.json", "--public-key", "enclave.pem"]);
  expect(status).toBe(1);
  expect(stdout).toContain("Legacy v0 response, signed at 2025-12-16T08:20:26Z");
  expect(stdout).toMatch(/✓ attestation +tee_signature verifies \(RSA-PSS, SHA-256, salt 222/);
  expect(stdout).toContain("State: signature_verified");
  expect(stdout).toMatch(/no settlement can be tied to it/);
}, 30_000);

test("behavior: changed content no longer verifies under any scheme", async () => {
  const { status, stdout } = await verify(["tampered.json", "--public-key", "enclave.pem", "--json"]);
  expect(status).toBe(1);
  const report = JSON.parse(stdout) as { state: string; checks: { name: string; ok: boolean | null }[] };
  expect(report.state).toBe("invalid_signature");
  expect(report.checks.find((c) => c.name === "attestation")?.ok).toBe(false);
}, 30_000);

test("behavior: without --public-key the signature is reported as not checked", async () => {
  const { status, stdout } = await verify(["legacy.json"]);
  expect(status).toBe(1);
  expect(stdout).toContain("State: unchecked");
  expect(stdout).toMatch(/not checked: give the enclave's public key/);
}, 30_000);

test("args: a --public-key that is not a key is a usage error (exit 2) naming the file", async () => {
  await writeFile(join(directory, "not-a-key.pem"), "hello");
  const { status, stderr } = await verify(["legacy.json", "--public-key", "not-a-key.pem"]);
  expect(status).toBe(2);
  expect(stderr).toMatch(/^legacy\.json: the public key given/);
}, 30_000);
