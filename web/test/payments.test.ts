import { OPG_ADDRESS_BASE } from "@settlescan/abis";
import type { ManifestPayment } from "@settlescan/devnet/manifest";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { formatAssetAmount } from "../src/features/payment/assetAmount";
import { launchChromium, openPage, screenshot } from "./browser";
import { type Stack, startStack } from "./stack";

// Payments in Debian's Chromium against the real stack, on a scenario with OPG upto sessions beside USDC EIP-3009
// payments: the payment page of a session, an inference linked to it by session, the payment history filtered by
// scheme and token, and the dashboard's payment charts.

/** Receipts and OPG sessions in the scenario: every kind of link, small enough to index in well under a minute. */
const RECEIPTS = 80;
const SESSIONS = 16;

/** Page updates wait this long: the browser, the API and other test files share two cores. */
const POLL = { timeout: 20_000 };
const OPG = OPG_ADDRESS_BASE.toLowerCase();
const opgOf = (units: string) => formatAssetAmount(units, { symbol: "OPG", decimals: 18 });

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([
    startStack({ seed: "web-payments", receipts: RECEIPTS, sessions: SESSIONS }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** The sessions of the scenario, and the inferences each is linked to by session. */
const sessions = () =>
  stack.manifest.payments
    .filter((p) => p.scheme === "permit2_upto")
    .map((payment) => ({
      payment,
      inferences: stack.manifest.inferences.filter(
        (i) => i.link.kind === "session" && i.link.paymentId === payment.paymentId,
      ),
    }));

/** A session payment with at least one inference linked to it by session. */
const linkedSession = (): { payment: ManifestPayment; inferences: typeof stack.manifest.inferences } => {
  const found = sessions().find((s) => s.inferences.length > 0);
  if (!found) throw new Error("The scenario has no session-linked inference; pick another seed.");
  return found;
};

describe("payment page", () => {
  test("default: an OPG upto payment shows its scheme, amount and maximum in OPG, and its inferences by link kind", async () => {
    const { payment, inferences } = linkedSession();
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/payment/${payment.paymentId}`);
    await page.locator("[data-testid=payment-scheme]").waitFor();
    expect(await page.locator("[data-testid=payment-scheme]").textContent()).toBe("x402 upto · Permit2 (session)");
    const amount = await page.locator("[data-testid=payment-amount]").textContent();
    expect(amount).toContain(opgOf(payment.amount));
    expect(await page.locator("[data-testid=payment-max-amount]").textContent()).toContain(
      `at most ${opgOf(payment.maxAmount!)} permitted`,
    );
    expect(opgOf(payment.maxAmount!)).toBe("0.1 OPG");
    const rows = page.locator("[data-testid=payment-inferences] tbody tr");
    await expect.poll(() => rows.count(), POLL).toBe(inferences.length);
    const linked = await rows.evaluateAll((trs) =>
      trs.map((tr) => {
        const href = tr.querySelector("a[href^='/inference/']")?.getAttribute("href") ?? "";
        return `${href.slice("/inference/".length)} ${tr.querySelector("td:nth-child(3)")?.textContent}`;
      }),
    );
    expect(new Set(linked)).toEqual(new Set(inferences.map((i) => `${i.inferenceId} Session`)));
    await screenshot(page, "payment-upto");
    expect(problems).toEqual([]);
  });
});

describe("inference page", () => {
  test("default: a session link says how it was inferred, and 'I paid from' lists the candidate payment", async () => {
    const { payment, inferences } = linkedSession();
    const inference = inferences[0]!;
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/inference/${inference.inferenceId}`);
    const link = page.locator("[data-testid=link-kind]");
    await link.waitFor();
    const sentence = await link.textContent();
    expect(sentence).toContain("Session");
    expect(sentence).toContain("Settlescan inferred the tie from payer and time, nothing on chain states it.");
    const payer = payment.payer.toLowerCase();
    expect(sentence).toContain(`${payer.slice(0, 6)}…${payer.slice(-4)}`);

    await page.getByLabel("I paid from").fill(payment.payer);
    await page.getByRole("button", { name: "Find payments" }).click();
    const candidates = page.locator("[data-testid=session-candidates] tbody tr");
    await candidates.first().waitFor(POLL);
    const ids = await candidates
      .locator("a[href^='/payment/']")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")!.slice("/payment/".length)));
    // The earliest candidate is the one the session link picked.
    expect(ids[0]).toBe(payment.paymentId);
    expect(await candidates.first().textContent()).toContain("x402 upto · Permit2 (session)");
    await screenshot(page, "inference-session-candidates");
    expect(problems).toEqual([]);
  });
});

describe("payment history", () => {
  test("default: filtered by scheme and token, it lists only those payments, in OPG, and exports the same query", async () => {
    const upto = stack.manifest.payments.filter((p) => p.scheme === "permit2_upto");
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/payments`);
    const rows = page.locator("[data-testid=payments] tbody tr");
    await rows.first().waitFor();
    await expect
      .poll(() => page.locator("[data-testid=payment-count]").textContent(), POLL)
      .toBe(`${stack.manifest.payments.length} payments`);
    expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-scheme"))))).toEqual(
      new Set(["eip3009", "permit2_upto"]),
    );

    await page.getByRole("checkbox", { name: "x402 upto · Permit2 (session)" }).check();
    await page.getByLabel("Token").selectOption({ label: "OPG" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/scheme=permit2_upto/);
    await expect
      .poll(() => page.locator("[data-testid=payment-count]").textContent(), POLL)
      .toBe(`${upto.length} payments`);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => `${tr.getAttribute("data-scheme")} ${tr.getAttribute("data-token")}`),
    );
    expect(new Set(shown)).toEqual(new Set([`permit2_upto ${OPG}`]));
    expect(shown).toHaveLength(Math.min(upto.length, 25));
    // Amounts in OPG's units, each with the session's maximum.
    const amounts = await rows.locator("td:nth-child(4)").allTextContents();
    const byId = new Map(upto.map((p) => [p.paymentId, p]));
    const ids = await rows
      .locator("td:first-child a")
      .evaluateAll((as) => as.map((a) => a.getAttribute("href")!.slice("/payment/".length)));
    expect(amounts).toEqual(ids.map((id) => opgOf(byId.get(id as `0x${string}`)!.amount)));
    expect(new Set(await rows.locator("td:nth-child(5)").allTextContents())).toEqual(new Set(["0.1 OPG"]));

    const href = await page.locator("[data-testid=export-csv]").getAttribute("href");
    expect(href).toBe(`/export/payments.csv?schemes=permit2_upto&token=${OPG}&order=PAID_AT%3ADESC`);
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    const lines = csv.trim().split("\n");
    expect(lines).toHaveLength(upto.length + 1);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[1]))).toEqual(new Set(["permit2_upto"]));
    await screenshot(page, "payments-filtered");
    expect(problems).toEqual([]);
  });
});

describe("dashboard", () => {
  test("default: payments by token (one series per token) and by scheme are drawn", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/dashboard`);
    for (const id of ["payments-by-token", "payments-by-scheme"]) {
      const chart = page.locator(`[data-testid=${id}] [data-testid=chart]`);
      await chart.and(page.locator("[data-ready=true]")).waitFor(POLL);
      expect(Number(await chart.getAttribute("data-points"))).toBeGreaterThan(0);
      expect(await page.locator(`[data-testid=${id}] canvas`).count()).toBe(1);
    }
    const label = await page.locator("[data-testid=payments-by-token] [data-testid=chart]").getAttribute("aria-label");
    expect(label).toContain("USDC");
    expect(label).toContain("OPG");
    await screenshot(page, "dashboard-payments");
    expect(problems).toEqual([]);
  });
});
