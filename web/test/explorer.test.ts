import { readFileSync } from "node:fs";
import { teeFieldsOf } from "@settlescan/abis";
import type { ManifestInference, ManifestReceipt, ManifestSettlement } from "@settlescan/devnet/manifest";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { launchChromium, openPage, screenshot } from "./browser";
import { settledGatewayResponse } from "./gatewayResponse";
import { type Stack, serveExplorer, startStack } from "./stack";

// The explorer in Debian's Chromium against the real stack: a seeded devnet scenario, the indexer on PGlite with the
// API mounted, and the built explorer served in front of it. Each test saves a screenshot under web/test-results/.

/** Receipts in the scenario: every state, several history pages, indexed in well under a minute. */
const RECEIPTS = 200;

/** Page updates wait this long: the browser, the API and other test files share two cores. */
const POLL = { timeout: 20_000 };

let stack: Stack;
let browser: Browser;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ seed: "web-e2e", receipts: RECEIPTS }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

const receiptWhere = (predicate: (r: ManifestReceipt) => boolean) => {
  const receipt = stack.manifest.receipts.find(predicate);
  if (!receipt) throw new Error("The scenario has no such receipt; pick another seed.");
  return receipt;
};

const inferenceWhere = (predicate: (i: ManifestInference) => boolean) => {
  const inference = stack.manifest.inferences.find(predicate);
  if (!inference) throw new Error("The scenario has no such inference; pick another seed.");
  return inference;
};

const settlementWhere = (predicate: (s: ManifestSettlement) => boolean) => {
  const settlement = stack.manifest.settlements.find(predicate);
  if (!settlement) throw new Error("The scenario has no such settlement; pick another seed.");
  return settlement;
};

const ALL_CHECKS = ["inclusion", "attestation", "provenance", "uniqueness"] as const;

describe("trail", () => {
  test("default: search a receipt id from the home page and see the trail verified, in the browser too", async () => {
    const receipt = receiptWhere((r) => r.state === "verified" && r.settlement === "batch");
    const { page, problems } = await openPage(browser);
    await page.goto(stack.webUrl);
    await page.locator("[data-testid=latest-receipts] tbody tr").first().waitFor();
    await page.locator("[data-testid=latest-inferences] tbody tr").first().waitFor();
    await screenshot(page, "home");
    // The feed is pushed: the receiptEvents subscription is open through the explorer's server.
    await page.locator("[data-testid=feed-status]", { hasText: "live" }).waitFor();
    // Keyboard only: "/" focuses the search box from anywhere on the page.
    await page.locator("h1").click();
    await page.keyboard.press("/");
    await page.keyboard.type(receipt.receiptId);
    await page.keyboard.press("Enter");
    await page.waitForURL(`**/receipt/${receipt.receiptId}`);
    await page.locator("[data-testid=receipt-state]", { hasText: "Verified" }).waitFor();
    for (const check of ["payment", ...ALL_CHECKS])
      expect(await page.locator(`[data-testid=indexer-${check}]`).textContent()).toContain("Pass");
    await page.locator("[data-testid=browser-inclusion][data-status=pass]").waitFor();
    await page.locator("[data-testid=browser-attestation][data-status=pass]").waitFor();
    expect(await page.locator("[data-testid=browser-inclusion]").textContent()).toBe("✓Verified in your browser");
    await screenshot(page, "trail-verified");

    // A tampered blob fails visibly in the browser, beside the indexer's unchanged verdict.
    await page.getByRole("button", { name: "Tamper with the blob" }).click();
    await page.locator("[data-testid=browser-inclusion][data-status=fail]").waitFor();
    expect(await page.locator("[data-testid=browser-inclusion]").textContent()).toBe("✗Fails in your browser");
    expect(await page.locator("[data-testid=indexer-inclusion]").textContent()).toContain("Pass");
    await screenshot(page, "trail-tampered");
    expect(problems).toEqual([]);
  });

  test.each([
    ["invalid_signature", "attestation"],
    ["wrong_root", "inclusion"],
  ] as const)("behavior: an invalid_proof receipt (%s) shows which check failed and why", async (fault, check) => {
    const receipt = receiptWhere((r) => r.fault === fault && r.state === "invalid_proof");
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/receipt/${receipt.receiptId}`);
    await page.locator("[data-testid=receipt-state]", { hasText: "Invalid proof" }).waitFor();
    expect(await page.locator(`[data-testid=indexer-${check}]`).textContent()).toContain("Fail");
    const reason = await page.locator(`[data-testid=reason-${check}]`).first().textContent();
    expect(reason?.length).toBeGreaterThan(10);
    // The browser reaches the same verdict on its own.
    await page.locator(`[data-testid=browser-${check}][data-status=fail]`).waitFor();
    await screenshot(page, `trail-invalid-proof-${fault}`);
    expect(problems).toEqual([]);
  });

  test("behavior: 375 px wide, dark theme, nothing overflows sideways", async () => {
    const receipt = receiptWhere((r) => r.state === "underpaid");
    const { page, problems } = await openPage(browser, { width: 375, height: 800, colorScheme: "dark" });
    await page.goto(`${stack.webUrl}/receipt/${receipt.receiptId}`);
    await page.locator("[data-testid=browser-attestation]").waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(14, 17, 22)");
    await screenshot(page, "trail-375-dark");
    expect(problems).toEqual([]);
  });
});

describe("inference", () => {
  test("default: a proven batch inference passes every check, inclusion and signature re-checked in the browser", async () => {
    const inference = inferenceWhere(
      (i) => i.population === "plain" && i.route === "batch" && i.fault === "none" && i.state === "proven",
    );
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/inference/${inference.inferenceId}`);
    await page.locator("[data-testid=inference-state]", { hasText: "Proven" }).waitFor();
    for (const check of ALL_CHECKS)
      expect(await page.locator(`[data-testid=indexer-${check}]`).textContent()).toContain("Pass");
    await page.locator("[data-testid=browser-inclusion][data-status=pass]").waitFor();
    await page.locator("[data-testid=browser-attestation][data-status=pass]").waitFor();
    expect(await page.locator("[data-testid=browser-inclusion]").textContent()).toBe("✓Verified in your browser");
    expect(await page.locator("[data-testid=browser-attestation]").textContent()).toBe("✓Verified in your browser");
    expect(await page.locator("[data-testid=browser-reason-inclusion]").textContent()).toContain(
      "it gives the event's merkleRoot",
    );
    // A batch of the facilitator's kind names no payment: the page says so in one sentence.
    expect(await page.locator("[data-testid=link-kind]").textContent()).toContain("Nothing on chain names a payment");
    expect(await page.locator("[data-testid=settlements] tbody tr").count()).toBe(inference.settlementCount);
    await screenshot(page, "inference-proven");

    // Tampering with the signature fails attestation in the browser; the indexer's verdict stands.
    await page.getByRole("button", { name: "Tamper with the signature" }).click();
    await page.locator("[data-testid=browser-attestation][data-status=fail]").waitFor();
    expect(await page.locator("[data-testid=indexer-attestation]").textContent()).toContain("Pass");
    expect(problems).toEqual([]);
  });

  test("behavior: an individual settlement is its own leaf; tampering its signature fails attestation", async () => {
    const inference = inferenceWhere((i) => i.route === "individual" && i.state === "proven");
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/inference/${inference.inferenceId}`);
    await page.locator("[data-testid=browser-attestation][data-status=pass]").waitFor();
    expect(await page.locator("[data-testid=browser-inclusion]").getAttribute("data-status")).toBe("pass");
    expect(await page.locator("[data-testid=browser-reason-inclusion]").textContent()).toContain(
      "included by construction",
    );
    await page.getByRole("button", { name: "Tamper with the signature" }).click();
    await page.locator("[data-testid=browser-attestation][data-status=fail]").waitFor();
    await screenshot(page, "inference-individual-tampered");
    expect(problems).toEqual([]);
  });

  test("behavior: an inference only an unknown signer posted is Unofficial, with its signer", async () => {
    const inference = inferenceWhere((i) => i.state === "unofficial");
    const unofficialSigners = new Set(
      stack.manifest.settlements.filter((s) => !s.official).map((s) => s.signer.toLowerCase()),
    );
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/inference/${inference.inferenceId}`);
    await page.locator("[data-testid=inference-state]", { hasText: "Unofficial" }).waitFor();
    expect(await page.locator("[data-testid=indexer-provenance]").textContent()).toContain("Fail");
    const signer = (await page.locator("[data-testid=unofficial-signer] a").getAttribute("title"))?.toLowerCase();
    expect(unofficialSigners.has(signer ?? "")).toBe(true);
    await screenshot(page, "inference-unofficial");
    expect(problems).toEqual([]);
  });

  test("behavior: a pasted response body (multi-line JSON) and its input hash both lead to the inference", async () => {
    const settlement = settlementWhere((s) => s.kind === "individual" && s.official && s.blobId != null);
    // The individual settlement's blob (read from the devnet's Walrus) holds the gateway's response, as its user holds it.
    const walrus = stack.chains.devnet.walrus.aggregatorUrl;
    const blob = (await (await fetch(`${walrus}/v1/blobs/${settlement.blobId}`)).json()) as { output: object };
    const body = JSON.stringify(blob.output, null, 2);
    const { inferenceId, inputHash } = teeFieldsOf(body);
    const { page, problems } = await openPage(browser);
    await page.goto(stack.webUrl);
    await page.locator("textarea[name=q]").fill(body);
    await page.locator("textarea[name=q]").press("Enter");
    await page.waitForURL(`**/inference/${inferenceId.toLowerCase()}`);
    await page.locator("[data-testid=inference-state]").waitFor();
    await page.goto(`${stack.webUrl}/search?q=${inputHash}`);
    await page.waitForURL(`**/inference/${inferenceId.toLowerCase()}`);
    await page.locator("[data-testid=inference-state]").waitFor();
    expect(problems).toEqual([]);
  });

  test("behavior: a pending batch says its leaves are not known until its blob is fetched", async () => {
    const batch = settlementWhere((s) => s.kind === "batch" && s.blobStatus === "pending" && s.merkleRoot != null);
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/batch/${batch.merkleRoot}`);
    await page.locator("[data-testid=blob-status]", { hasText: "Pending" }).waitFor();
    expect(await page.locator("[data-state=empty] h2").textContent()).toBe("Leaves not known yet");
    // Nothing archived to rebuild the root from: not re-checked, which is not a failure.
    await page.locator("[data-testid=browser-root][data-status=na]").waitFor();
    await screenshot(page, "batch-pending");
    expect(problems).toEqual([]);
  });

  test("default: the inference history filters by state", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/inferences`);
    const rows = page.locator("[data-testid=inferences] tbody tr");
    await rows.first().waitFor();
    const indexed = stack.manifest.inferences.filter((i) => i.state !== "not_indexed").length;
    await expect
      .poll(() => page.locator("[data-testid=inference-count]").textContent(), POLL)
      .toBe(`${indexed} inferences`);
    await page.getByRole("checkbox", { name: "Unofficial" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/state=unofficial/);
    const unofficial = stack.manifest.inferences.filter((i) => i.state === "unofficial").length;
    await expect
      .poll(() => page.locator("[data-testid=inference-count]").textContent(), POLL)
      .toBe(`${unofficial} inferences`);
    expect(new Set(await rows.locator("td:nth-child(2)").allTextContents())).toEqual(new Set(["–Unofficial"]));
    await screenshot(page, "inferences-unofficial");
    expect(problems).toEqual([]);
  });
});

describe("links", () => {
  test("behavior: every step of the trail links on: payment tx, payment, batch (root recomputed), payer, enclave", async () => {
    const receipt = receiptWhere((r) => r.state === "verified" && r.settlement === "batch");
    const { page, problems } = await openPage(browser);
    const trail = `${stack.webUrl}/receipt/${receipt.receiptId}`;
    await page.goto(trail);
    await page.locator("[data-testid=browser-attestation][data-status=pass]").waitFor();

    // Base payment transaction → its payment and the receipts citing it.
    await page.locator("#step-payment").locator("..").locator('a[href^="/tx/"]').click();
    await page.locator("#payment-title").waitFor();
    expect(await page.locator(`a[href="/receipt/${receipt.receiptId}"]`).count()).toBe(1);
    await screenshot(page, "payment-tx");

    // The batch: its root rebuilt by the browser from the raw blob.
    await page.goto(trail);
    await page.locator("#step-settlement").locator("..").locator('a[href^="/batch/"]').click();
    await page.locator("[data-testid=browser-root][data-status=pass]").waitFor();
    expect(await page.locator("[data-testid=leaves] tbody tr").count()).toBeGreaterThan(1);
    await screenshot(page, "batch");

    // The settlement transaction shows the same settlement.
    await page.goto(trail);
    await page.locator("#step-settlement").locator("..").locator('a[href^="/tx/"]').click();
    await page.locator("#settlement-title").waitFor();

    // The payer, as payer.
    await page.goto(trail);
    await page.locator("#step-payment").locator("..").locator('a[href*="role=payer"]').first().click();
    await page.locator("#address-title").waitFor();
    expect(await page.locator('.tabs a[aria-current="page"]').textContent()).toMatch(/^As payer \(\d+\)$/);
    await screenshot(page, "address-payer");

    // The enclave, marked in the registry table, its key hash recomputed in the browser.
    await page.goto(trail);
    await page.locator("#step-receipt").locator("..").locator('a[href^="/tees#"]').click();
    await page.locator("tr[aria-current=true]").waitFor();
    expect(await page.locator("tr[aria-current=true]").textContent()).toContain("Verified in your browser");
    await screenshot(page, "tees");
    expect(problems).toEqual([]);
  });
});

describe("verify", () => {
  /** The verification chain RPC and the Walrus aggregator of the stack's profile. */
  const profileSources = () => {
    const profile = JSON.parse(readFileSync(stack.chains.profilePath, "utf8")) as {
      verification: { rpcUrl: string; walrus: { aggregator: string } };
    };
    return { rpcUrl: profile.verification.rpcUrl, aggregator: profile.verification.walrus.aggregator };
  };

  test("default: with no Settlescan API at all, a pasted response is verified from the RPC and the aggregator alone", async () => {
    const {
      response: body,
      request,
      inferenceId,
    } = await settledGatewayResponse(stack.chains.devnet.deployment, "Is this answer settled?");
    const { rpcUrl, aggregator } = profileSources();
    // The same build, served in front of a port where nothing listens: no Settlescan API answers anything.
    const dead = await serveExplorer({ apiUrl: "http://127.0.0.1:9", rebuild: false, quiet: true });
    try {
      const { page, problems } = await openPage(browser);
      const contacted = new Set<string>();
      page.on("request", (r) => contacted.add(new URL(r.url()).origin));
      await page.goto(`${dead.url}/verify`);
      // The defaults are the profile the explorer was built for.
      expect(await page.locator("input[name=rpcUrl]").inputValue()).toBe(rpcUrl);
      expect(await page.locator("input[name=aggregator]").inputValue()).toBe(aggregator);
      await page.locator("textarea[name=response]").fill(body);
      await page.locator("textarea[name=request]").fill(request);
      await page.getByRole("button", { name: "Verify in your browser" }).click();
      await page.locator("[data-testid=verify-state][data-state=proven]").waitFor(POLL);
      for (const check of ["content", "settlement", "inclusion", "attestation", "provenance", "uniqueness"])
        expect(await page.locator(`[data-testid=verify-check-${check}]`).getAttribute("data-status")).toBe("pass");
      expect(await page.locator("[data-testid=verify-source-settlement]").textContent()).toContain(`RPC ${rpcUrl}`);
      expect(await page.locator("[data-testid=verify-source-attestation]").textContent()).toContain(`RPC ${rpcUrl}`);
      expect(await page.locator("[data-testid=verify-source-inclusion]").textContent()).toContain(
        `Walrus aggregator ${aggregator}`,
      );
      expect(
        await page.locator("[data-testid=verify-sources] li").evaluateAll((li) => li.map((l) => l.dataset.kind)),
      ).toEqual(["response", "request", "rpc", "aggregator"]);
      const ms = await page.locator("[data-testid=verify-elapsed]").getAttribute("data-ms");
      console.log(`Verified inference ${inferenceId} in Chromium in ${ms} ms (RPC and aggregator only).`);
      expect(await page.locator("[data-testid=verify-state]").textContent()).toContain("individually");
      await screenshot(page, "verify-proven-no-api");
      // Only the explorer's own server (static files; its /graphql forwards to nothing), the RPC and the aggregator.
      expect([...contacted].sort()).toEqual([dead.url, new URL(rpcUrl).origin, new URL(aggregator).origin].sort());

      // The same response with one word changed after signing: the content check fails, and so the verdict.
      const tampered = body.replace(
        /"content": "(.)/,
        (_, first: string) => `"content": "${first === "X" ? "Y" : "X"}`,
      );
      expect(tampered).not.toBe(body);
      await page.locator("textarea[name=response]").fill(tampered);
      await page.getByRole("button", { name: "Verify in your browser" }).click();
      await page.locator("[data-testid=verify-state][data-state=invalid_proof]").waitFor(POLL);
      expect(await page.locator("[data-testid=verify-check-content]").getAttribute("data-status")).toBe("fail");
      expect(await page.locator("[data-testid=verify-detail-content]").textContent()).toContain(
        "the content you received is not what the enclave signed",
      );
      await screenshot(page, "verify-tampered");
      expect(problems).toEqual([]);
    } finally {
      await dead.stop();
    }
  });

  test("behavior: the search box hands a pasted response to /verify; an inference page re-checks from the chain", async () => {
    const { response: body } = await settledGatewayResponse(stack.chains.devnet.deployment, "Pasted, then verified");
    const { page, problems } = await openPage(browser);
    await page.goto(stack.webUrl);
    await page.locator("textarea[name=q]").fill(body);
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await page.waitForURL("**/verify");
    expect(await page.locator("textarea[name=response]").inputValue()).toBe(body.trim());

    // A proven inference of the scenario, re-checked from its signed fields on the chain and the blob.
    const inference = inferenceWhere(
      (i) => i.population === "plain" && i.route === "batch" && i.fault === "none" && i.state === "proven",
    );
    await page.goto(`${stack.webUrl}/inference/${inference.inferenceId}`);
    await page.locator("[data-testid=inference-state]", { hasText: "Proven" }).waitFor();
    const recheck = page.locator("[data-testid=chain-recheck]");
    await recheck.getByRole("button", { name: "Re-check from the chain" }).click();
    await recheck.locator("[data-testid=verify-state][data-state=proven]").waitFor(POLL);
    // The content needs the reader's own response: not checkable here, said so.
    expect(await recheck.locator("[data-testid=verify-check-content]").getAttribute("data-status")).toBe("na");
    for (const check of ["settlement", "inclusion", "attestation", "provenance"])
      expect(await recheck.locator(`[data-testid=verify-check-${check}]`).getAttribute("data-status")).toBe("pass");
    // An earlier batch whose blob stays pending may hold it too, which only makes uniqueness not checkable.
    expect(await recheck.locator("[data-testid=verify-check-uniqueness]").getAttribute("data-status")).toMatch(
      /^(pass|na)$/,
    );
    expect(await recheck.locator("[data-testid=chain-recheck-mismatch]").count()).toBe(0);
    expect(await recheck.locator('a[href="/verify"]').count()).toBe(1);
    await screenshot(page, "inference-recheck-from-chain");
    expect(problems).toEqual([]);
  });
});

describe("not found", () => {
  test("args: an unknown receipt or inference id is not settled yet; an unknown search finds nothing", async () => {
    const { page, problems } = await openPage(browser);
    const unknown = `0x${"00".repeat(31)}01`;
    await page.goto(`${stack.webUrl}/receipt/${unknown}`);
    await page.locator("[data-state=not-found]").waitFor();
    expect(await page.locator("[data-state=not-found] h2").textContent()).toBe("Not settled yet");
    await page.goto(`${stack.webUrl}/inference/${unknown}`);
    await page.locator("[data-state=not-found]").waitFor();
    expect(await page.locator("[data-state=not-found] h2").textContent()).toBe("Not settled yet");
    await screenshot(page, "not-found-receipt");
    await page.goto(`${stack.webUrl}/search?q=${unknown}`);
    await page.locator("[data-state=not-found]").waitFor();
    expect(await page.locator("[data-state=not-found] h2").textContent()).toBe("Nothing found");
    await page.goto(`${stack.webUrl}/no/such/page`);
    expect(await page.locator("[data-state=not-found] h2").textContent()).toBe("Page not found");
    expect(problems).toEqual([]);
  });

  test("behavior: the API down shows so, with a retry", async () => {
    // The same build, served in front of a port where nothing listens.
    const dead = await serveExplorer({ apiUrl: "http://127.0.0.1:9", rebuild: false, quiet: true });
    try {
      const { page } = await openPage(browser);
      await page.goto(`${dead.url}/receipt/0x${"ab".repeat(32)}`);
      await page.locator("[data-state=api-down]").waitFor({ timeout: 30_000 });
      expect(await page.locator("[data-state=api-down] h2").textContent()).toBe("The API is not answering");
      expect(await page.getByRole("button", { name: "Retry" }).count()).toBe(1);
      await screenshot(page, "api-down");
    } finally {
      await dead.stop();
    }
  });
});

describe("history", () => {
  test("default: pages forward and back, filters by state, exports the same query", async () => {
    const { page, problems } = await openPage(browser);
    await page.goto(`${stack.webUrl}/history`);
    const rows = page.locator("[data-testid=history] tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(25);
    const settled = stack.manifest.receipts.filter((r) => r.state !== "not_settled").length;
    await expect
      .poll(() => page.locator("[data-testid=history-count]").textContent(), POLL)
      .toBe(`${settled} receipts`);
    const firstOnPage1 = await rows.first().locator("td").first().textContent();

    await page.getByRole("button", { name: "Next →" }).click();
    await page.waitForURL(/after=/);
    await expect.poll(() => rows.first().locator("td").first().textContent(), POLL).not.toBe(firstOnPage1);
    expect(await page.getByText("Page 2").count()).toBe(1);
    await page.getByRole("button", { name: "← Previous" }).click();
    await expect.poll(() => rows.first().locator("td").first().textContent(), POLL).toBe(firstOnPage1);

    await page.getByRole("checkbox", { name: "Invalid proof" }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/state=invalid_proof/);
    const invalid = stack.manifest.receipts.filter((r) => r.state === "invalid_proof").length;
    await expect
      .poll(() => page.locator("[data-testid=history-count]").textContent(), POLL)
      .toBe(`${invalid} receipts`);
    const states = await rows.locator("td:nth-child(2)").allTextContents();
    expect(new Set(states)).toEqual(new Set(["✗Invalid proof"]));
    // The export link carries the same query, and the API streams exactly those receipts.
    const href = await page.locator("[data-testid=export-csv]").getAttribute("href");
    expect(href).toBe("/export/receipts.csv?states=invalid_proof&order=SETTLED_AT%3ADESC");
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href!);
    expect(csv.trim().split("\n")).toHaveLength(invalid + 1);

    // Sorting by amount, ascending: the URL says so and the column is ordered.
    await page.getByRole("button", { name: "Sort by amount, descending" }).click();
    await page.getByRole("button", { name: "Sort by amount, ascending" }).click();
    await page.waitForURL(/sort=AMOUNT&direction=ASC/);
    await expect
      .poll(async () => {
        const amounts = (await rows.locator("td:nth-child(3)").allTextContents()).map((a) => Number.parseFloat(a));
        return amounts.every((a, i) => i === 0 || a >= (amounts[i - 1] ?? 0));
      }, POLL)
      .toBe(true);
    await screenshot(page, "history-filtered");
    expect(problems).toEqual([]);
  });
});

describe("dashboard", () => {
  test("default: draws its charts with data, the chart library loaded on demand", async () => {
    const { page, problems } = await openPage(browser);
    const scripts: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "script") scripts.push(new URL(request.url()).pathname);
    });
    await page.goto(stack.webUrl);
    await page.locator("[data-testid=headline]").waitFor();
    expect(scripts.some((s) => s.includes("echarts"))).toBe(false);

    await page.getByRole("link", { name: "Dashboard", exact: true }).click();
    const charts = page.locator("[data-testid=chart][data-ready=true]");
    await expect.poll(() => charts.count(), POLL).toBe(10);
    expect(scripts.some((s) => s.includes("echarts"))).toBe(true);
    for (const points of await page
      .locator("[data-testid=chart]")
      .evaluateAll((els) => els.map((el) => Number(el.getAttribute("data-points")))))
      expect(points).toBeGreaterThan(0);
    expect(await page.locator("[data-testid=chart] canvas").count()).toBe(10);
    // Inferences by state, blobs not available and unofficial posts, now.
    const health = page.locator("[data-testid=protocol-health]");
    const pending = stack.manifest.settlements.filter((s) => s.blobStatus === "pending").length;
    await expect.poll(() => health.locator("[data-figure=pending] .value").textContent(), POLL).toBe(String(pending));
    await screenshot(page, "dashboard");
    expect(problems).toEqual([]);
  });
});
