import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Address, getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anvilAccount, startAnvil, type TestAnvil } from "../../test/anvil";
import { ProfileError } from "../errors";
import { type NetworkProfile, parseProfile } from "../profile";
import { discoverStartBlocks } from "./index";

// Start blocks of the payment chain's contracts (Permit2, x402's proxies): found like the relays' (profile.test.ts).

const DEPLOYER = anvilAccount(0);
/** Runtime code that returns 42, and init code that deploys it (hand-written, so no build output is needed). */
const INIT_CODE = "0x600a600c600039600a6000f3602a60005260206000f3" as const;

let base: TestAnvil;
let tmp: string;

beforeAll(async () => {
  base = await startAnvil({ chainId: 8453 });
  tmp = mkdtempSync(join(tmpdir(), "settlescan-payment-start-"));
});

afterAll(async () => {
  await base?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function deploy(): Promise<{ address: Address; block: number }> {
  const hash = await base.client.deployContract({ account: DEPLOYER, chain: base.chain, abi: [], bytecode: INIT_CODE });
  const receipt = await base.client.waitForTransactionReceipt({ hash });
  return { address: getAddress(receipt.contractAddress!), block: Number(receipt.blockNumber) };
}

/** A profile whose payment chain is the test chain, with `payment` fields added; no relays or registries. */
/** `rpcUrl` null: the profile names no RPC for the payment chain. */
function profileOf(payment: Record<string, unknown>, rpcUrl: string | null = base.rpcUrl): NetworkProfile {
  return parseProfile(
    {
      name: "test",
      payment: { chainId: 8453, rpcUrl, tokens: [], ...payment },
      verification: { chainId: 10740, relays: [], teeRegistries: [], walrus: { aggregator: "http://127.0.0.1:1" } },
      gateways: [],
    },
    "test.json",
  );
}

describe("discoverStartBlocks (payment chain)", () => {
  test("default: Permit2 and each proxy get the block their code appeared at, an own start block is kept", async () => {
    await base.client.mine({ blocks: 3 });
    const permit2 = await deploy();
    await base.client.mine({ blocks: 6 });
    const upto = await deploy();
    const exact = await deploy();
    const cachePath = join(tmp, "start-blocks.json");
    const profile = profileOf({
      permit2: permit2.address,
      proxies: { exact: exact.address, upto: upto.address },
      contractStartBlocks: { exactProxy: 1 },
    });
    const discovered = await discoverStartBlocks(profile, { cachePath });
    expect(discovered.payment.contractStartBlocks).toEqual({
      permit2: permit2.block,
      exactProxy: 1,
      uptoProxy: upto.block,
    });
    expect({ ...discovered, payment: profile.payment }).toEqual(profile);
    expect(JSON.parse(readFileSync(cachePath, "utf8"))).toEqual({
      [`8453:${permit2.address}`]: permit2.block,
      [`8453:${upto.address}`]: upto.block,
    });
    // Remembered: no RPC is needed the second time.
    const withoutRpc = profileOf(
      {
        permit2: permit2.address,
        proxies: { exact: exact.address, upto: upto.address },
        contractStartBlocks: { exactProxy: 1 },
      },
      null,
    );
    expect((await discoverStartBlocks(withoutRpc, { cachePath })).payment.contractStartBlocks).toEqual(
      discovered.payment.contractStartBlocks,
    );
  });

  test("behavior: a profile without Permit2 or proxies is left as it is; the chain's start block stands in", async () => {
    const bare = profileOf({});
    expect(await discoverStartBlocks(bare, { cachePath: join(tmp, "unused.json") })).toEqual(bare);
    const started = profileOf({ startBlock: 5, permit2: "0x000000000000000000000000000000000000dEaD" });
    expect(
      (await discoverStartBlocks(started, { cachePath: join(tmp, "unused.json") })).payment.contractStartBlocks,
    ).toEqual({
      permit2: 5,
    });
  });

  test("args: a contract without code, a missing RPC", async () => {
    const nowhere = "0x000000000000000000000000000000000000dEaD";
    const cachePath = join(tmp, "errors.json");
    const error = await discoverStartBlocks(profileOf({ proxies: { upto: nowhere } }), { cachePath }).catch((e) => e);
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.message.replace(/latest block \d+/, "latest block <latest>")).toMatchInlineSnapshot(
      `"The x402 upto proxy 0x000000000000000000000000000000000000dEaD of the test profile has no code on the payment chain (8453) at its latest block <latest>: check its address."`,
    );
    const withoutRpc = await discoverStartBlocks(profileOf({ permit2: nowhere }, null), { cachePath }).catch((e) => e);
    expect(withoutRpc.message).toMatchInlineSnapshot(
      `"The test profile has no RPC URL for the payment chain (8453) to find where its Permit2 and x402 proxies start: set BASE_RPC_URL, or give each a block in payment.contractStartBlocks."`,
    );
  });
});
