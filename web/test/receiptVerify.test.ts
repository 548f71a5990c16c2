import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CLIENTS, PAYEE } from "@settlescan/devnet/accounts";
import { freePort } from "@settlescan/devnet/chains";
import { receiptIssuerOf } from "@settlescan/devnet/gateway/gateway";
import { devnetProfileOf } from "@settlescan/devnet/profile";
import { createPayingFetch, requestCompletion } from "@settlescan/devnet/x402/client";
import {
  startTestDevnet,
  startTestServers,
  type TestDevnet,
  type TestServers,
} from "@settlescan/devnet/x402/testDevnet";
import type { Browser, Page } from "playwright-core";
import { build, type PreviewServer, preview } from "vite";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium, openPage, screenshot } from "./browser";

// /verify's receipt section in Debian's Chromium: a signed x402 receipt that the devnet gateway issued for a real
// payment on its "base" chain is pasted and verified in the browser, reading only that chain's RPC. The explorer is
// built into a directory of its own (not dist/), for the devnet's profile, and served by `vite preview`.

const WEB_DIR = new URL("..", import.meta.url).pathname;
const POLL = { timeout: 20_000 };
const ALICE = CLIENTS[0] as (typeof CLIENTS)[number];

let devnet: TestDevnet;
let servers: TestServers;
let browser: Browser;
let outDir: string;
let server: PreviewServer;
let webUrl: string;

beforeAll(async () => {
  [devnet, browser] = await Promise.all([startTestDevnet(), launchChromium()]);
  servers = await startTestServers(devnet, { batch: { size: 1_000, idleMs: 600_000 } });
  outDir = await mkdtemp(join(tmpdir(), "settlescan-web-receipt-"));
  const profile = devnetProfileOf(devnet.deployment);
  const define = { __SETTLESCAN_PROFILE__: JSON.stringify(profile) };
  await build({ root: WEB_DIR, logLevel: "warn", define, build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  // Silent: vite.config.ts forwards /graphql to an API this test does not run.
  server = await preview({
    root: WEB_DIR,
    logLevel: "silent",
    build: { outDir },
    preview: { host: "127.0.0.1", port, strictPort: true, open: false },
  });
  webUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await servers?.close();
  await devnet?.stop();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** The PAYMENT-RESPONSE header value of a paid (private) completion from the devnet gateway. */
async function paidHeader() {
  const paid = await requestCompletion({
    fetch: createPayingFetch({ account: ALICE }),
    url: servers.gatewayUrl,
    request: {
      kind: "chat",
      body: { model: "m", messages: [{ role: "user", content: `a receipt for the browser ${Math.random()}` }] },
      settlementType: "private",
    },
  });
  return { header: paid.headers.get("PAYMENT-RESPONSE") as string, transaction: paid.settlement.transaction };
}

/** Pastes `text` into the receipt box, verifies, and waits for the verdict. */
async function verifyReceipt(page: Page, text: string) {
  await page.locator("textarea[name=receipt]").fill(text);
  await page.getByRole("button", { name: "Verify the receipt" }).click();
  const verdict = page.locator("[data-testid=receipt-verdict]:not([data-state=running])");
  await verdict.waitFor(POLL);
  return { state: await verdict.getAttribute("data-state"), text: await verdict.textContent() };
}

describe("/verify: x402 receipts", () => {
  test("default: a pasted devnet receipt is valid, signed by the payee; a tampered one is invalid", async () => {
    const { header, transaction } = await paidHeader();
    const { page, problems } = await openPage(browser);
    await page.goto(`${webUrl}/verify`);
    await page.locator("[data-testid=receipt-verifier]").waitFor(POLL);
    expect(await page.locator("input[name=baseRpcUrl]").inputValue()).toBe(devnet.deployment.chains.base.rpcUrl);

    const valid = await verifyReceipt(page, header);
    expect(valid.state).toBe("verified");
    expect(valid.text).toContain("Valid");
    for (const check of ["signature", "payment", "payee"])
      expect(await page.locator(`[data-testid=receipt-check-${check}]`).getAttribute("data-status")).toBe("pass");
    const fields = await page.locator("[data-testid=receipt-fields]").textContent();
    expect(fields).toContain(`Signer${PAYEE.address}`);
    expect(fields).toContain(`Payment's payTo${PAYEE.address}`);
    expect(fields).toContain(`Transaction${transaction}`);
    expect(await page.locator("[data-testid=receipt-check-payment]").textContent()).toContain(
      `Paid 0.001 USDC from ${ALICE.address} to ${PAYEE.address}`,
    );
    expect(await page.locator("[data-testid=receipt-elapsed]").textContent()).toContain(
      `RPC ${devnet.deployment.chains.base.rpcUrl} (chain 8453)`,
    );
    await screenshot(page, "verify-receipt-valid");

    // One signed field changed: the signature now recovers a stranger, not the payTo.
    const settle = JSON.parse(Buffer.from(header, "base64").toString());
    const receipt = settle.extensions["offer-receipt"].info.receipt;
    const tampered = {
      ...receipt,
      payload: { ...receipt.payload, resourceUrl: `${receipt.payload.resourceUrl}?free` },
    };
    const altered = await verifyReceipt(page, JSON.stringify(tampered));
    expect(altered.state).toBe("signer_not_payee");
    expect(altered.text).toContain("Invalid");
    expect(await page.locator("[data-testid=receipt-check-payee]").getAttribute("data-status")).toBe("fail");
    await screenshot(page, "verify-receipt-tampered");

    // A JWS receipt (ES256K, did:key) of the same payment with a changed signature: refused by the signature check.
    const jws = await receiptIssuerOf("jws", PAYEE).issueReceipt(
      receipt.payload.resourceUrl,
      ALICE.address,
      "eip155:8453",
      transaction,
    );
    expect((await verifyReceipt(page, JSON.stringify(jws))).state).toBe("verified");
    const flipped = jws.signature.replace(/.{4}$/, (end: string) => (end === "AAAA" ? "BBBB" : "AAAA"));
    const bad = await verifyReceipt(page, JSON.stringify({ ...jws, signature: flipped }));
    expect(bad).toMatchObject({ state: "invalid_signature" });
    expect(bad.text).toContain("Invalid signature");
    expect(problems).toEqual([]);
  });
});
