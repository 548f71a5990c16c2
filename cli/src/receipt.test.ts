import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { closedUrl } from "../../abis/src/verify/testNetwork";
import { CLIENTS, PAYEE } from "../../devnet/src/accounts";
import { createGateway, receiptIssuerOf } from "../../devnet/src/gateway/gateway";
import { devnetProfileOf } from "../../devnet/src/profile";
import { createPayingFetch, type PaidCompletion, requestCompletion } from "../../devnet/src/x402/client";
import { serveOnLoopback } from "../../devnet/src/x402/serve";
import { startTestDevnet, startTestServers, type TestDevnet, type TestServers } from "../../devnet/src/x402/testDevnet";
import { isReceiptInput } from "./receipt";
import { runSettlescan } from "./testCli";

// `settlescan verify` on signed x402 receipts that the devnet gateway issued for real payments on its "base" chain.

const ALICE = CLIENTS[0] as (typeof CLIENTS)[number];

let devnet: TestDevnet;
let servers: TestServers;
let directory: string;
const pay = createPayingFetch({ account: ALICE });

beforeAll(async () => {
  devnet = await startTestDevnet();
  servers = await startTestServers(devnet, { batch: { size: 1_000, idleMs: 600_000 } });
  directory = await mkdtemp(join(tmpdir(), "settlescan-receipt-"));
  await writeFile(join(directory, "profile.json"), JSON.stringify(devnetProfileOf(devnet.deployment), null, 2));
}, 120_000);
afterAll(async () => {
  await servers?.close();
  await devnet?.stop();
  if (directory) await rm(directory, { recursive: true, force: true });
});

let counter = 0;
/** A paid, private chat completion from `gatewayUrl`: its PAYMENT-RESPONSE carries the receipt. */
const paidCompletion = (gatewayUrl = servers.gatewayUrl): Promise<PaidCompletion> =>
  requestCompletion({
    fetch: pay,
    url: gatewayUrl,
    request: {
      kind: "chat",
      body: { model: "m", messages: [{ role: "user", content: `receipt please #${++counter}` }] },
      settlementType: "private",
    },
  });

/** Runs `settlescan verify <file> --network profile.json …` on `text` saved to a file, as a user would. */
async function verify(text: string, args: string[] = []) {
  await writeFile(join(directory, "receipt.txt"), text);
  return runSettlescan(["verify", "receipt.txt", "--network", "profile.json", ...args], directory);
}

/** The check lines of the human report, as `mark name`. */
const marks = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => /^[✓✗–] /.test(line))
    .map((line) => line.split(/\s+/).slice(0, 2).join(" "));

const decoded = (header: string) => JSON.parse(Buffer.from(header, "base64").toString());

describe("settlescan verify <receipt>", () => {
  test("default: the PAYMENT-RESPONSE header value of a paid request verifies, exit 0", async () => {
    const paid = await paidCompletion();
    const header = paid.headers.get("PAYMENT-RESPONSE") as string;
    const run = await verify(header);

    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    expect(marks(run.stdout)).toEqual(["✓ signature", "✓ payment", "✓ payee"]);
    expect(run.stdout).toContain(`x402 receipt (eip712) for ${servers.gatewayUrl}/v1/chat/completions`);
    expect(run.stdout).toContain(`  transaction ${paid.settlement.transaction}`);
    expect(run.stdout).toContain(`Paid 0.001 USDC from ${ALICE.address} to ${PAYEE.address} in block`);
    expect(run.stdout).toContain(`Signed by the payee's key: the signer ${PAYEE.address} is the payment's payTo.`);
    expect(run.stdout).toContain(
      "State: verified — signed by the payee's key, for a payment found on chain as it says.",
    );
    expect(run.stdout).toContain(`RPC ${devnet.deployment.chains.base.rpcUrl} (chain 8453)`);
  });

  test("behavior: a JWS receipt (whole SettleResponse JSON) verifies, --json prints the report", async () => {
    const gateway = createGateway({
      facilitatorUrl: servers.facilitatorUrl,
      payTo: PAYEE.address,
      tees: [devnet.tee],
      receipts: { format: "jws" },
      onError: () => {},
    });
    const served = await serveOnLoopback(gateway.app.fetch);
    try {
      const paid = await paidCompletion(served.url);
      const run = await verify(JSON.stringify(decoded(paid.headers.get("PAYMENT-RESPONSE") as string), null, 2), [
        "--json",
      ]);
      expect(run.status).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report).toMatchObject({
        state: "verified",
        format: "jws",
        signer: { address: PAYEE.address, alg: "ES256K", keyType: "secp256k1" },
        payload: { payer: ALICE.address, transaction: paid.settlement.transaction },
        signature: { valid: true },
        payment: { ok: true, payer: ALICE.address, payTo: PAYEE.address, amount: "1000", symbol: "USDC" },
        payee: { ok: true },
      });
      expect(report.signer.kid).toMatch(/^did:key:zQ3s/);
    } finally {
      await served.close();
      await gateway.idle();
    }
  });

  test("behavior: tampered receipts are refused, exit 1", async () => {
    const paid = await paidCompletion();
    const receipt = decoded(paid.headers.get("PAYMENT-RESPONSE") as string).extensions["offer-receipt"].info.receipt;

    // EIP-712: a changed field recovers another signer than the payTo.
    const altered = await verify(JSON.stringify({ ...receipt, payload: { ...receipt.payload, resourceUrl: "x" } }));
    expect(altered.status).toBe(1);
    expect(marks(altered.stdout)).toEqual(["✓ signature", "✓ payment", "✗ payee"]);
    expect(altered.stdout).toContain(
      "State: signer_not_payee — a valid signature, by a key that is not the payment's payTo.",
    );
    expect(altered.stdout).toMatch(
      new RegExp(
        `Signed by 0x[0-9a-fA-F]{40}, which is not the payment's payTo ${PAYEE.address}\\. x402 leaves signer authorization open`,
      ),
    );

    // EIP-712: another payer than the payment's (signed by the payee, so only the payment check catches it).
    const other = await receiptIssuerOf("eip712", PAYEE).issueReceipt(
      receipt.payload.resourceUrl,
      CLIENTS[1]?.address as string,
      "eip155:8453",
      paid.settlement.transaction,
    );
    const wrongPayer = await verify(JSON.stringify(other));
    expect(wrongPayer.status).toBe(1);
    expect(wrongPayer.stdout).toContain(`but the receipt names the payer ${CLIENTS[1]?.address}. [RPC`);
    expect(wrongPayer.stdout).toContain("State: payment_mismatch — the payment it names is not as it says.");

    // JWS: a signature byte changed.
    const jws = await receiptIssuerOf("jws", PAYEE).issueReceipt(
      receipt.payload.resourceUrl,
      ALICE.address,
      "eip155:8453",
      paid.settlement.transaction,
    );
    const flipped = jws.signature.replace(/.{4}$/, (end) => (end === "AAAA" ? "BBBB" : "AAAA"));
    const bad = await verify(JSON.stringify({ ...jws, signature: flipped }));
    expect(bad.status).toBe(1);
    expect(marks(bad.stdout)).toEqual(["✗ signature", "✓ payment", "– payee"]);
    expect(bad.stdout).toContain("State: invalid_signature — the receipt's signature does not verify.");
  });

  test("behavior: a receipt naming a transaction that is not on the chain fails its payment check", async () => {
    const receipt = await receiptIssuerOf("eip712", PAYEE).issueReceipt(
      "http://127.0.0.1:1/v1/chat/completions",
      ALICE.address,
      "eip155:8453",
      `0x${"ab".repeat(32)}`,
    );
    const run = await verify(JSON.stringify(receipt));
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      `✗ payment    Transaction 0x${"ab".repeat(32)} is not on chain 8453: the receipt names a payment that did not happen here.`,
    );
  });

  test("args: no receipt in a settlement response, an unreachable --base-rpc: exit 2 with the reason", async () => {
    const paid = await paidCompletion();
    const { extensions: _, ...bare } = decoded(paid.headers.get("PAYMENT-RESPONSE") as string);
    const none = await verify(JSON.stringify(bare));
    expect(none.status).toBe(2);
    expect(none.stderr).toMatchInlineSnapshot(
      `"receipt.txt: the settlement response has no extensions: the resource server issued no signed receipt (it needs the "offer-receipt" extension)."`,
    );

    const down = await verify(paid.headers.get("PAYMENT-RESPONSE") as string, ["--base-rpc", await closedUrl()]);
    expect(down.status).toBe(2);
    expect(down.stderr.replace(/:\d+/g, ":<port>")).toMatchInlineSnapshot(
      `"The payment chain RPC http://127.0.0.1:<port> is unreachable (connect ECONNREFUSED); pass a reachable RPC of chain 8453."`,
    );
  });
});

test("isReceiptInput: receipts and what carries them, not gateway responses", () => {
  expect(
    [
      '{"format":"eip712","payload":{},"signature":"0x"}',
      '{"success":true,"transaction":"0x","network":"eip155:8453"}',
      Buffer.from('{"success":true,"transaction":"0x","extensions":{}}').toString("base64"),
      '{"id":"chatcmpl-1","choices":[],"tee_signature":"x"}',
      'data: {"choices":[]}\n\ndata: [DONE]',
    ].map(isReceiptInput),
  ).toEqual([true, true, true, false, false]);
});
