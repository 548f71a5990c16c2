import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Address, createPublicClient, custom, getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { anvilAccount, startAnvil, type TestAnvil } from "../../test/anvil";
import { ProfileError } from "../errors";
import { BUILT_IN_PROFILES, type NetworkProfile, parseProfile, profileWithEnv } from "../profile";
import { checkSources, DEVNET_PROFILE_PATH, discoverStartBlocks, loadProfile } from "./index";

const DEPLOYER = anvilAccount(0);
/** A loopback URL nothing listens on (connections are refused at once); fetch refuses port 1 before connecting. */
let CLOSED: string;

let base: TestAnvil;
let og: TestAnvil;
let aggregator: Server;
let silent: Server;
let tmp: string;

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const listen = (server: Server) => new Promise<Server>((ready) => server.listen(0, "127.0.0.1", () => ready(server)));

beforeAll(async () => {
  [base, og] = await Promise.all([startAnvil({ chainId: 8453 }), startAnvil({ chainId: 10740 })]);
  // Any HTTP answer makes an aggregator reachable; the silent server accepts connections and never answers.
  aggregator = await listen(createServer((_, response) => response.writeHead(404).end()));
  silent = await listen(createServer(() => {}));
  tmp = mkdtempSync(join(tmpdir(), "settlescan-profile-"));
  const closed = await listen(createServer());
  CLOSED = urlOf(closed);
  await new Promise((closing) => closed.close(closing));
});

afterAll(async () => {
  silent?.closeAllConnections();
  await Promise.all([base?.stop(), og?.stop(), aggregator?.close(), silent?.close()]);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A profile's JSON, loosely: tests write fields parsing will judge. */
type ProfileJson = {
  name: string;
  payment: { chainId: number; rpcUrl?: string; tokens: unknown[] };
  verification: {
    chainId: number;
    rpcUrl?: string;
    relays: Record<string, unknown>[];
    teeRegistries: Record<string, unknown>[];
    walrus: { aggregator: string };
  };
  gateways: unknown[];
};

/** A profile of the two test chains; `change` edits its JSON first. */
function profileOf(change: (json: ProfileJson) => void = () => {}): NetworkProfile {
  const json: ProfileJson = {
    name: "test",
    payment: { chainId: 8453, rpcUrl: base.rpcUrl, tokens: [] },
    verification: {
      chainId: 10740,
      rpcUrl: og.rpcUrl,
      relays: [],
      teeRegistries: [],
      walrus: { aggregator: urlOf(aggregator) },
    },
    gateways: [],
  };
  change(json);
  return parseProfile(json, "test.json");
}

/** A viem client of the og chain that records the method of every request it sends. */
function countingClient() {
  const methods: string[] = [];
  const client = createPublicClient({
    transport: custom({
      async request({ method, params }) {
        methods.push(method);
        const response = await fetch(og.rpcUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
        });
        const answer = await response.json();
        if (answer.error) throw new Error(answer.error.message);
        return answer.result;
      },
    }),
  });
  return { methods, clientOf: () => client };
}

/** Runtime code that returns 42, and init code that deploys it (hand-written, so no build output is needed). */
const RUNTIME = "0x602a60005260206000f3";
const INIT_CODE = `0x600a600c600039600a6000f3${RUNTIME.slice(2)}` as const;

/** Deploys a contract on the og chain; returns its address and the block it was deployed in. */
async function deploy(): Promise<{ address: Address; block: number }> {
  const hash = await og.client.deployContract({ account: DEPLOYER, chain: og.chain, abi: [], bytecode: INIT_CODE });
  const receipt = await og.client.waitForTransactionReceipt({ hash });
  return { address: getAddress(receipt.contractAddress!), block: Number(receipt.blockNumber) };
}

/** The message of the ProfileError `run` rejects with, with `replacements` applied (for values that vary by run). */
async function messageOf(run: Promise<unknown>, replacements: Record<string, string> = {}): Promise<string> {
  const error = await run.then(
    () => expect.unreachable("no error"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProfileError);
  let message = (error as ProfileError).message;
  for (const [from, to] of Object.entries({ [CLOSED]: "<closed>", ...replacements }))
    message = message.replace(new RegExp(`${from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?!\\d)`, "g"), to);
  return message;
}

describe("discoverStartBlocks", () => {
  test("default: finds the block each contract's code appeared at, then reads it from the cache", async () => {
    await og.client.mine({ blocks: 5 });
    const registry = await deploy();
    await og.client.mine({ blocks: 9 });
    const relay = await deploy();
    await og.client.mine({ blocks: 3 });
    // The blocks are exact: no code one block earlier.
    for (const { address, block } of [registry, relay]) {
      expect(await og.client.getCode({ address, blockNumber: BigInt(block - 1) })).toBeUndefined();
      expect(await og.client.getCode({ address, blockNumber: BigInt(block) })).toBe(RUNTIME);
    }
    const profile = profileOf((p) => {
      p.verification.relays = [
        { address: relay.address.toLowerCase(), abi: "v3" },
        { address: registry.address, abi: "v1", startBlock: 2 }, // its own start block is kept
      ];
      p.verification.teeRegistries = [{ address: registry.address }];
    });
    const cachePath = join(tmp, "cache", "start-blocks.json");

    const first = countingClient();
    const discovered = await discoverStartBlocks(profile, { cachePath, clientOf: first.clientOf });
    expect(discovered.verification.relays.map((r) => r.startBlock)).toEqual([relay.block, 2]);
    expect(discovered.verification.teeRegistries.map((r) => r.startBlock)).toEqual([registry.block]);
    expect({ ...discovered, verification: profile.verification }).toEqual(profile);
    expect(first.methods.filter((m) => m === "eth_getCode").length).toBeGreaterThan(4);
    expect(JSON.parse(readFileSync(cachePath, "utf8"))).toEqual({
      [`10740:${registry.address}`]: registry.block,
      [`10740:${relay.address}`]: relay.block,
    });

    const second = countingClient();
    expect(await discoverStartBlocks(profile, { cachePath, clientOf: second.clientOf })).toEqual(discovered);
    expect(second.methods).toEqual([]);
  });

  test("behavior: the chain's start block stands for contracts without their own, with no search", async () => {
    const { methods, clientOf } = countingClient();
    const profile = profileWithEnv(
      profileOf((p) => {
        p.verification.relays = [{ address: "0x0000000000000000000000000000000000000001", abi: "v3" }];
      }),
      { OG_START_BLOCK: "4" },
    );
    const discovered = await discoverStartBlocks(profile, { cachePath: join(tmp, "unused.json"), clientOf });
    expect(discovered.verification.relays[0]!.startBlock).toBe(4);
    expect(methods).toEqual([]);
    expect(existsSync(join(tmp, "unused.json"))).toBe(false);
  });

  test("args: an address without code, a missing or unreachable RPC", async () => {
    const nowhere = "0x000000000000000000000000000000000000dEaD";
    const profile = profileOf((p) => {
      p.verification.relays = [{ address: nowhere, abi: "v3" }];
    });
    const cachePath = join(tmp, "errors.json");
    // The head moves while other tests of this file mine: name it, not its number.
    const message = (await messageOf(discoverStartBlocks(profile, { cachePath }))).replace(
      /at its latest block \d+:/,
      "at its latest block <latest>:",
    );
    expect(message).toMatchInlineSnapshot(
      `"The relay 0x000000000000000000000000000000000000dEaD of the test profile has no code on the verification chain (10740) at its latest block <latest>: check its address."`,
    );
    const withoutRpc = { ...profile, verification: { ...profile.verification, rpcUrl: undefined } };
    expect(await messageOf(discoverStartBlocks(withoutRpc, { cachePath }))).toMatchInlineSnapshot(
      `"The test profile has no RPC URL for the verification chain (10740) to find where its relays and TEE registries start: set OG_RPC_URL, or give each a startBlock."`,
    );
    const unreachable = { ...profile, verification: { ...profile.verification, rpcUrl: CLOSED } };
    expect(await messageOf(discoverStartBlocks(unreachable, { cachePath }))).toMatchInlineSnapshot(
      `"The verification chain RPC <closed> did not answer eth_blockNumber (connect ECONNREFUSED): set OG_RPC_URL to a reachable RPC."`,
    );
    expect(existsSync(cachePath)).toBe(false);
  });
});

describe("loadProfile", () => {
  const write = (path: string, json: unknown) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof json === "string" ? json : JSON.stringify(json));
  };
  const json = () => ({ ...structuredClone(profileOf()), name: "from-file" });

  test("default: the devnet's profile, with the environment's overrides", () => {
    const devnetProfilePath = join(tmp, "repo", "devnet", "profile.json");
    write(devnetProfilePath, json());
    const profile = loadProfile({ env: { OG_END_BLOCK: "99" }, devnetProfilePath });
    expect(profile).toEqual({
      ...profileOf(),
      name: "from-file",
      verification: { ...profileOf().verification, endBlock: 99 },
    });
    // The real default sits in the repository's devnet package, where the devnet writes it.
    expect(DEVNET_PROFILE_PATH.endsWith(join("devnet", "profile.json"))).toBe(true);
    expect(JSON.parse(readFileSync(join(dirname(DEVNET_PROFILE_PATH), "package.json"), "utf8")).name).toBe(
      "@settlescan/devnet",
    );
  });

  test("behavior: SETTLESCAN_NETWORK names a path (absolute, relative to cwd, or *.json) or a built-in", () => {
    const absolute = join(tmp, "profiles", "mine.json");
    write(absolute, json());
    write(join(tmp, "here.json"), json());
    expect(loadProfile({ env: { SETTLESCAN_NETWORK: absolute } }).name).toBe("from-file");
    expect(loadProfile({ env: { SETTLESCAN_NETWORK: "profiles/mine.json" }, cwd: tmp }).name).toBe("from-file");
    expect(loadProfile({ env: { SETTLESCAN_NETWORK: "here.json" }, cwd: tmp }).name).toBe("from-file");
    const env = { SETTLESCAN_NETWORK: "opengradient", BASE_RPC_URL: base.rpcUrl, OG_RPC_URL: og.rpcUrl };
    expect(loadProfile({ env })).toEqual(profileWithEnv(BUILT_IN_PROFILES.opengradient, env));
  });

  test("args: unknown names, missing files and bad profiles are refused", () => {
    const devnetProfilePath = join(tmp, "nowhere", "devnet", "profile.json");
    const messageOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ProfileError);
        return (error as ProfileError).message.replaceAll(tmp, "<tmp>");
      }
      throw new Error("no error");
    };
    expect(messageOf(() => loadProfile({ env: { SETTLESCAN_NETWORK: "mainnet" } }))).toMatchInlineSnapshot(
      `"SETTLESCAN_NETWORK is "mainnet", expected a profile path (a .json file) or a built-in name: devnet, opengradient."`,
    );
    expect(messageOf(() => loadProfile({ env: {}, devnetProfilePath }))).toMatchInlineSnapshot(
      `"No devnet profile at <tmp>/nowhere/devnet/profile.json: start the devnet (npm run devnet) or set SETTLESCAN_NETWORK to a profile."`,
    );
    expect(
      messageOf(() => loadProfile({ env: { SETTLESCAN_NETWORK: "missing.json" }, cwd: tmp })),
    ).toMatchInlineSnapshot(
      `"No profile at <tmp>/missing.json: set SETTLESCAN_NETWORK to a profile file or a built-in name (devnet, opengradient)."`,
    );
    write(join(tmp, "broken", "devnet", "profile.json"), { ...json(), gateways: [{ paymentAddress: "0x1" }] });
    expect(
      messageOf(() => loadProfile({ env: {}, devnetProfilePath: join(tmp, "broken", "devnet", "profile.json") })),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: gateways[0].paymentAddress is "0x1", expected an address (0x and 40 hex digits)."`,
    );
    write(join(tmp, "bad.json"), "{ name: devnet }");
    expect(messageOf(() => loadProfile({ env: { SETTLESCAN_NETWORK: "bad.json" }, cwd: tmp }))).toMatch(
      /^Profile bad\.json is not valid JSON \(.+\)\.$/,
    );
    expect(
      messageOf(() => loadProfile({ env: { SETTLESCAN_NETWORK: "opengradient", OG_START_BLOCK: "latest" } })),
    ).toMatchInlineSnapshot(
      `"The environment's OG_START_BLOCK is "latest", expected a non-negative integer block number."`,
    );
  });
});

describe("checkSources", () => {
  test("default: both RPCs answer with the profile's chain ids and the aggregator answers", async () => {
    await expect(checkSources(profileOf())).resolves.toBeUndefined();
  });

  test("behavior: each unreachable source gives one line naming its URL and variable", async () => {
    const broken = (change: Parameters<typeof profileOf>[0]) => messageOf(checkSources(profileOf(change)));
    expect(
      await broken((p) => {
        p.verification.rpcUrl = CLOSED;
      }),
    ).toMatchInlineSnapshot(
      `"The verification chain RPC <closed> is unreachable (connect ECONNREFUSED): set OG_RPC_URL to a reachable RPC."`,
    );
    expect(
      await broken((p) => {
        p.payment.rpcUrl = CLOSED;
      }),
    ).toMatchInlineSnapshot(
      `"The payment chain RPC <closed> is unreachable (connect ECONNREFUSED): set BASE_RPC_URL to a reachable RPC."`,
    );
    expect(
      await broken((p) => {
        p.verification.walrus.aggregator = CLOSED;
      }),
    ).toMatchInlineSnapshot(
      `"The Walrus aggregator <closed> is unreachable (connect ECONNREFUSED): set WALRUS_AGGREGATOR_URL."`,
    );
    expect(
      await broken((p) => {
        p.payment.rpcUrl = CLOSED;
        p.verification.rpcUrl = CLOSED;
        p.verification.walrus.aggregator = CLOSED;
      }),
    ).toMatchInlineSnapshot(`
      "The payment chain RPC <closed> is unreachable (connect ECONNREFUSED): set BASE_RPC_URL to a reachable RPC.
      The verification chain RPC <closed> is unreachable (connect ECONNREFUSED): set OG_RPC_URL to a reachable RPC.
      The Walrus aggregator <closed> is unreachable (connect ECONNREFUSED): set WALRUS_AGGREGATOR_URL."
    `);
  });

  test("behavior: a port fetch refuses to use is named as such", async () => {
    const profile = profileOf((p) => {
      p.verification.rpcUrl = "http://127.0.0.1:1";
    });
    expect(await messageOf(checkSources(profile))).toMatchInlineSnapshot(
      `"The verification chain RPC http://127.0.0.1:1 is unreachable (bad port): set OG_RPC_URL to a reachable RPC."`,
    );
  });

  test("behavior: a wrong chain id, a non-RPC answer and a silent server are detected", async () => {
    const replacements = () => ({
      [base.rpcUrl]: "<base rpc>",
      [urlOf(aggregator)]: "<aggregator>",
      [urlOf(silent)]: "<silent>",
    });
    const check = (change: Parameters<typeof profileOf>[0], timeoutMs?: number) =>
      messageOf(checkSources(profileOf(change), { timeoutMs }), replacements());
    expect(
      await check((p) => {
        p.verification.rpcUrl = base.rpcUrl;
      }),
    ).toMatchInlineSnapshot(
      `"The verification chain RPC <base rpc> is chain 8453, but the test profile's verification chain is 10740: set OG_RPC_URL to an RPC of chain 10740."`,
    );
    expect(
      await check((p) => {
        p.payment.rpcUrl = urlOf(aggregator);
      }),
    ).toMatchInlineSnapshot(
      `"The payment chain RPC <aggregator> answered eth_chainId with HTTP 404: set BASE_RPC_URL to a JSON-RPC endpoint."`,
    );
    expect(
      await check((p) => {
        p.verification.walrus.aggregator = urlOf(silent);
      }, 200),
    ).toMatchInlineSnapshot(
      `"The Walrus aggregator <silent> is unreachable (no answer within 200 ms): set WALRUS_AGGREGATOR_URL."`,
    );
  });

  test("args: a profile without RPC URLs", async () => {
    await expect(checkSources(BUILT_IN_PROFILES.opengradient)).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The opengradient profile has no RPC URL for the payment chain (8453) or the verification chain (10740): set BASE_RPC_URL and OG_RPC_URL.]`,
    );
  });
});
