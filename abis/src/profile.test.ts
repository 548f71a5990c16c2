import { describe, expect, test } from "vitest";
import {
  OPG_ADDRESS_BASE,
  OPG_DECIMALS,
  PERMIT2_ADDRESS,
  USDC_ADDRESS_BASE,
  USDC_DECIMALS,
  X402_EXACT_PERMIT2_PROXY_ADDRESS,
  X402_UPTO_PERMIT2_PROXY_ADDRESS,
} from "./constants";
import { ProfileError } from "./errors";
import {
  acceptedTokenOf,
  BUILT_IN_PROFILES,
  facilitatorOf,
  type NetworkProfile,
  PAYMENT_CONTRACTS,
  parseProfile,
  paymentContractOf,
  profileWithEnv,
  proxySchemeOf,
  relayOf,
  requireRpcUrls,
} from "./profile";

// A devnet-like profile as the devnet would write it, with lowercase addresses (parsing checksums them).
const VALID = {
  name: "devnet",
  payment: {
    chainId: 8453,
    rpcUrl: "http://127.0.0.1:8545",
    startBlock: 0,
    tokens: [
      { address: "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913", symbol: "USDC", decimals: 6 },
      { address: "0xfbc2051ae2265686a469421b2c5a2d5462fbf5eb", symbol: "OPG", decimals: 18 },
    ],
    permit2: "0x000000000022d473030f116ddee9f6b43ac78ba3",
    proxies: {
      exact: "0x402085c248eea27d92e8b30b2c58ed07f9e20001",
      upto: "0x4020a4f3b7b90cca423b9fabcc0ce57c6c240002",
    },
    contractStartBlocks: { permit2: 1, uptoProxy: 4 } as Record<string, unknown>,
    facilitators: [{ address: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", name: "devnet facilitator" }],
  },
  verification: {
    chainId: 10740,
    rpcUrl: "http://127.0.0.1:8546",
    relays: [
      {
        address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
        abi: "v3",
        startBlock: 3,
        signers: ["0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"],
        label: "devnet relay",
      },
    ],
    teeRegistries: [{ address: "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512", startBlock: 2 }],
    walrus: { aggregator: "http://127.0.0.1:31415/", publisher: "http://127.0.0.1:31416" },
  },
  gateways: [
    { paymentAddress: "0x9deebb5d1b22e4a6e027977cead13893a7e4cc1a", sessionIdleSeconds: 100, sessionMaxSeconds: 900 },
  ],
};

type Json = typeof VALID & Record<string, unknown>;

/** The message parsing `VALID` changed by `change` fails with. */
function errorOf(change: (profile: Json) => void): string {
  const profile = structuredClone(VALID) as Json;
  change(profile);
  try {
    parseProfile(profile, "devnet/profile.json");
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    return (error as ProfileError).message;
  }
  throw new Error("The profile parsed.");
}

const parsedValid = () => parseProfile(structuredClone(VALID), "devnet/profile.json");

describe("parseProfile", () => {
  test("default: a valid profile parses, addresses checksummed, service URLs without trailing slash", () => {
    expect(parsedValid()).toEqual({
      name: "devnet",
      payment: {
        chainId: 8453,
        rpcUrl: "http://127.0.0.1:8545",
        startBlock: 0,
        tokens: [
          { address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", symbol: "USDC", decimals: 6 },
          { address: "0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB", symbol: "OPG", decimals: 18 },
        ],
        permit2: "0x000000000022D473030F116dDEE9F6B43aC78BA3",
        proxies: {
          exact: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001",
          upto: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002",
        },
        contractStartBlocks: { permit2: 1, uptoProxy: 4 },
        facilitators: [{ address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", name: "devnet facilitator" }],
      },
      verification: {
        chainId: 10740,
        rpcUrl: "http://127.0.0.1:8546",
        relays: [
          {
            address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
            abi: "v3",
            startBlock: 3,
            signers: ["0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"],
            label: "devnet relay",
          },
        ],
        teeRegistries: [{ address: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512", startBlock: 2 }],
        walrus: { aggregator: "http://127.0.0.1:31415", publisher: "http://127.0.0.1:31416" },
      },
      gateways: [
        {
          paymentAddress: "0x9deEBB5D1b22e4a6e027977CeAd13893A7E4cC1a",
          sessionIdleSeconds: 100,
          sessionMaxSeconds: 900,
        },
      ],
    } satisfies NetworkProfile);
  });

  test("behavior: optional fields may be absent or null, unknown fields are ignored, one-case addresses pass", () => {
    const profile = parseProfile(
      {
        name: "minimal",
        $comment: "fields a later Settlescan adds are not errors",
        payment: { chainId: 8453, rpcUrl: null, tokens: [] },
        verification: {
          chainId: 10740,
          relays: [{ address: "0x5FBDB2315678AFECB367F032D93F642F64180AA3", abi: "v1", signers: [] }],
          teeRegistries: [],
          walrus: { aggregator: "https://aggregator.example" },
        },
        gateways: [],
      },
      "minimal.json",
    );
    expect(profile).toEqual({
      name: "minimal",
      payment: { chainId: 8453, tokens: [] },
      verification: {
        chainId: 10740,
        relays: [{ address: "0x5FbDB2315678afecb367f032d93F642f64180aa3", abi: "v1", signers: [] }],
        teeRegistries: [],
        walrus: { aggregator: "https://aggregator.example" },
      },
      gateways: [],
    });
  });

  test("args: every invalid field is refused in one sentence naming the source, the path and the value", () => {
    expect(errorOf((p) => Object.assign(p, { name: "" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: name is "", expected a non-empty string."`,
    );
    expect(() => parseProfile([], "x.json")).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: Profile x.json: the profile is [], expected an object.]`,
    );
    expect(errorOf((p) => delete (p as Partial<Json>).payment)).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment is missing, expected an object."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { chainId: "8453" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.chainId is "8453", expected a positive integer chain id."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { chainId: 0 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.chainId is 0, expected a positive integer chain id."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { rpcUrl: "127.0.0.1:8545" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.rpcUrl is "127.0.0.1:8545", expected an http(s) URL."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { rpcUrl: "ws://127.0.0.1:8545" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.rpcUrl is "ws://127.0.0.1:8545", expected an http(s) URL."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { startBlock: -1 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.startBlock is -1, expected a non-negative integer block number, or no field."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { startBlock: 1.5 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.startBlock is 1.5, expected a non-negative integer block number, or no field."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { startBlock: 10, endBlock: 9 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.endBlock is 9, expected a block at or after payment.startBlock (10)."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { tokens: {} }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.tokens is {}, expected a list."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.tokens[1]!, { address: "0x1234" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.tokens[1].address is "0x1234", expected an address (0x and 40 hex digits)."`,
    );
    expect(
      errorOf((p) => Object.assign(p.payment.tokens[0]!, { address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02914" })),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.tokens[0].address is "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02914", expected an address in one case or with a valid EIP-55 checksum."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.tokens[0]!, { symbol: " " }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.tokens[0].symbol is " ", expected a non-empty string."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.tokens[1]!, { decimals: 256 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.tokens[1].decimals is 256, expected an integer from 0 to 255."`,
    );
    expect(
      errorOf((p) =>
        p.payment.tokens.push({
          address: VALID.payment.tokens[0]!.address.toUpperCase().replace("0X", "0x"),
          symbol: "USDC2",
          decimals: 6,
        }),
      ),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.tokens[2].address is "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", expected a value not already listed at payment.tokens[0].address."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { permit2: 42 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.permit2 is 42, expected an address (0x and 40 hex digits)."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.proxies, { upto: "0xnothex" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.proxies.upto is "0xnothex", expected an address (0x and 40 hex digits)."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.contractStartBlocks, { exactProxy: "7" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.contractStartBlocks.exactProxy is "7", expected a non-negative integer block number, or no field."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.contractStartBlocks, { uptoproxy: 7 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.contractStartBlocks.uptoproxy is not a profile field, expected uptoProxy."`,
    );
    expect(
      errorOf((p) => Object.assign(p.payment, { proxies: { exact: VALID.payment.proxies.exact } })),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.contractStartBlocks.uptoProxy is 4, expected no start block while payment.proxies.upto is not set."`,
    );
    expect(errorOf((p) => Object.assign(p.payment.facilitators[0]!, { name: undefined }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.facilitators[0].name is missing, expected a non-empty string."`,
    );
    expect(errorOf((p) => Object.assign(p.verification, { chainId: -10740 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.chainId is -10740, expected a positive integer chain id."`,
    );
    expect(errorOf((p) => Object.assign(p.verification.relays[0]!, { abi: "v4" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.relays[0].abi is "v4", expected one of v1, v2, v3."`,
    );
    expect(errorOf((p) => Object.assign(p.verification.relays[0]!, { signers: ["0x3c44", 1] }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.relays[0].signers[0] is "0x3c44", expected an address (0x and 40 hex digits)."`,
    );
    expect(errorOf((p) => Object.assign(p.verification.relays[0]!, { startblock: 3 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.relays[0].startblock is not a profile field, expected startBlock."`,
    );
    expect(errorOf((p) => Object.assign(p.verification.relays[0]!, { endBlock: 2 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.relays[0].endBlock is 2, expected a block at or after verification.relays[0].startBlock (3)."`,
    );
    expect(errorOf((p) => Object.assign(p.verification.relays[0]!, { label: 5 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.relays[0].label is 5, expected a non-empty string."`,
    );
    expect(
      errorOf((p) => p.verification.relays.push({ ...VALID.verification.relays[0]!, abi: "v1" })),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.relays[1].address is "0x5FbDB2315678afecb367f032d93F642f64180aa3", expected a value not already listed at verification.relays[0].address."`,
    );
    expect(errorOf((p) => Object.assign(p.verification, { teeRegistries: undefined }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.teeRegistries is missing, expected a list."`,
    );
    expect(errorOf((p) => Object.assign(p.verification.teeRegistries[0]!, { startBlock: "2" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.teeRegistries[0].startBlock is "2", expected a non-negative integer block number, or no field."`,
    );
    expect(errorOf((p) => Object.assign(p.verification, { walrus: "http://127.0.0.1:31415" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.walrus is "http://127.0.0.1:31415", expected an object."`,
    );
    expect(
      errorOf((p) => Object.assign(p.verification.walrus, { aggregator: "aggregator.local" })),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.walrus.aggregator is "aggregator.local", expected an http(s) URL."`,
    );
    expect(
      errorOf((p) => Object.assign(p.verification.walrus, { publisher: "file:///tmp/blobs" })),
    ).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: verification.walrus.publisher is "file:///tmp/blobs", expected an http(s) URL."`,
    );
    expect(errorOf((p) => Object.assign(p, { gateways: [{}] }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: gateways[0].paymentAddress is missing, expected an address (0x and 40 hex digits)."`,
    );
    expect(errorOf((p) => Object.assign(p.gateways[0]!, { sessionIdleSeconds: 0 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: gateways[0].sessionIdleSeconds is 0, expected a positive integer number of seconds."`,
    );
    expect(errorOf((p) => Object.assign(p.gateways[0]!, { sessionMaxSeconds: 60 }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: gateways[0].sessionMaxSeconds is 60, expected at least gateways[0].sessionIdleSeconds (100)."`,
    );
    expect(errorOf((p) => Object.assign(p.gateways[0]!, { name: "" }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: gateways[0].name is "", expected a non-empty string."`,
    );
    expect(errorOf((p) => Object.assign(p.payment, { rpcUrl: "x".repeat(200) }))).toMatchInlineSnapshot(
      `"Profile devnet/profile.json: payment.rpcUrl is "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…, expected an http(s) URL."`,
    );
  });
});

describe("payment lookups", () => {
  test("default: facilitators by address, proxies' schemes, payment contracts by start-block key", () => {
    const profile = parsedValid();
    expect(facilitatorOf(profile, "0x70997970C51812DC3A010C7D01B50E0D17DC79C8")?.name).toBe("devnet facilitator");
    expect(facilitatorOf(profile, VALID.payment.proxies.upto)).toBeUndefined();
    expect(proxySchemeOf(profile, VALID.payment.proxies.upto)).toBe("upto");
    expect(proxySchemeOf(profile, VALID.payment.proxies.exact.toUpperCase().replace("0X", "0x"))).toBe("exact");
    expect(proxySchemeOf(profile, VALID.payment.permit2)).toBeUndefined();
    expect(
      proxySchemeOf({ ...profile, payment: { ...profile.payment, proxies: undefined } }, VALID.payment.proxies.upto),
    ).toBeUndefined();
    expect(
      Object.keys(PAYMENT_CONTRACTS).map((k) =>
        paymentContractOf(profile.payment, k as keyof typeof PAYMENT_CONTRACTS),
      ),
    ).toEqual([profile.payment.permit2, profile.payment.proxies?.exact, profile.payment.proxies?.upto]);
  });

  test("default: the opengradient profile accepts USDC (6 decimals) and OPG (18) over x402's canonical contracts", () => {
    const { payment } = BUILT_IN_PROFILES.opengradient;
    expect(payment.tokens.map((t) => [t.symbol, t.address, t.decimals])).toEqual([
      ["USDC", USDC_ADDRESS_BASE, USDC_DECIMALS],
      ["OPG", OPG_ADDRESS_BASE, OPG_DECIMALS],
    ]);
    expect([payment.permit2, payment.proxies]).toEqual([
      PERMIT2_ADDRESS,
      { exact: X402_EXACT_PERMIT2_PROXY_ADDRESS, upto: X402_UPTO_PERMIT2_PROXY_ADDRESS },
    ]);
    expect(BUILT_IN_PROFILES.opengradient.gateways[0]).toMatchObject({
      sessionIdleSeconds: 100,
      sessionMaxSeconds: 900,
    });
  });
});

describe("profileWithEnv", () => {
  const ENV = {
    BASE_RPC_URL: "http://127.0.0.1:9545",
    OG_RPC_URL: "https://og.example/rpc",
    WALRUS_AGGREGATOR_URL: "http://127.0.0.1:9999/",
    WALRUS_PUBLISHER_URL: "http://127.0.0.1:9998",
    BASE_START_BLOCK: "100",
    OG_START_BLOCK: "7",
    BASE_END_BLOCK: "200",
    OG_END_BLOCK: "300",
    USDC_ADDRESS: "0x036cbd53842c5426634e7929541ec2318f3dcf7e",
  };

  test("default: each variable replaces its field, in a new object", () => {
    const live = BUILT_IN_PROFILES.opengradient;
    const before = structuredClone(live);
    const profile = profileWithEnv(live, ENV);
    expect(live).toEqual(before);
    expect(profile.payment).toMatchObject({ rpcUrl: ENV.BASE_RPC_URL, startBlock: 100, endBlock: 200 });
    expect(profile.verification).toMatchObject({ rpcUrl: ENV.OG_RPC_URL, startBlock: 7, endBlock: 300 });
    expect(profile.verification.walrus).toEqual({
      aggregator: "http://127.0.0.1:9999",
      publisher: ENV.WALRUS_PUBLISHER_URL,
    });
    expect(profile.payment.tokens).toEqual([
      { address: "0x036CbD53842c5426634e7929541eC2318f3dCF7e", symbol: "USDC", decimals: 6 },
      live.payment.tokens[1],
    ]);
    // The rest is untouched.
    expect(profile.verification.relays).toEqual(live.verification.relays);
    expect(profile.gateways).toEqual(live.gateways);
    expect({ ...profile, payment: live.payment, verification: live.verification }).toEqual(live);
  });

  test("behavior: a chain's start block does not replace a contract's own; unset and empty variables change nothing", () => {
    const devnet = parsedValid();
    const profile = profileWithEnv(devnet, { OG_START_BLOCK: "50", OG_END_BLOCK: "", BASE_RPC_URL: undefined });
    expect(profile.verification.startBlock).toBe(50);
    expect(profile.verification.relays[0]!.startBlock).toBe(3);
    expect(profile.verification.teeRegistries[0]!.startBlock).toBe(2);
    expect(profileWithEnv(devnet, {})).toEqual(devnet);
    expect(profileWithEnv(devnet, { BASE_RPC_URL: "", WALRUS_PUBLISHER_URL: "" })).toEqual(devnet);
  });

  test("args: a bad variable is refused, quoting it", () => {
    const devnet = parsedValid();
    const failure = (env: Record<string, string>) => () => profileWithEnv(devnet, env);
    expect(failure({ BASE_START_BLOCK: "0x10" })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment's BASE_START_BLOCK is "0x10", expected a non-negative integer block number.]`,
    );
    expect(failure({ OG_END_BLOCK: "-1" })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment's OG_END_BLOCK is "-1", expected a non-negative integer block number.]`,
    );
    expect(failure({ OG_RPC_URL: "127.0.0.1:8546" })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment's OG_RPC_URL is "127.0.0.1:8546", expected an http(s) URL.]`,
    );
    expect(failure({ WALRUS_AGGREGATOR_URL: "walrus" })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment's WALRUS_AGGREGATOR_URL is "walrus", expected an http(s) URL.]`,
    );
    expect(failure({ USDC_ADDRESS: "0xusdc" })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment's USDC_ADDRESS is "0xusdc", expected an address (0x and 40 hex digits, in one case or with a valid EIP-55 checksum).]`,
    );
    expect(failure({ USDC_ADDRESS: VALID.payment.tokens[1]!.address })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: Profile devnet with the environment's overrides: payment.tokens[1].address is "0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB", expected a value not already listed at payment.tokens[0].address.]`,
    );
    expect(failure({ BASE_END_BLOCK: "5", BASE_START_BLOCK: "6" })).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: Profile devnet with the environment's overrides: payment.endBlock is 5, expected a block at or after payment.startBlock (6).]`,
    );
    expect(() =>
      profileWithEnv(
        { ...devnet, payment: { ...devnet.payment, tokens: [] } },
        { USDC_ADDRESS: VALID.payment.tokens[0]!.address },
      ),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment's USDC_ADDRESS replaces the USDC token's address, but the devnet profile has no USDC token.]`,
    );
    expect(
      failure({
        SETTLESCAN_DEPLOYMENT: "devnet/deployment.json",
        SETTLEMENT_RELAY_ADDRESS: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
      }),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The environment sets SETTLESCAN_DEPLOYMENT and SETTLEMENT_RELAY_ADDRESS, which network profiles replace: name chains and contracts in a profile file and set SETTLESCAN_NETWORK to its path.]`,
    );
  });
});

describe("requireRpcUrls", () => {
  test("default: a profile with both RPC URLs is returned as is", () => {
    const devnet = parsedValid();
    expect(requireRpcUrls(devnet)).toBe(devnet);
  });

  test("behavior: the error names exactly the missing variables", () => {
    const live = BUILT_IN_PROFILES.opengradient;
    expect(() => requireRpcUrls(live)).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The opengradient profile has no RPC URL for the payment chain (8453) or the verification chain (10740): set BASE_RPC_URL and OG_RPC_URL.]`,
    );
    expect(() =>
      requireRpcUrls(profileWithEnv(live, { OG_RPC_URL: "http://127.0.0.1:8546" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The opengradient profile has no RPC URL for the payment chain (8453): set BASE_RPC_URL.]`,
    );
    expect(() =>
      requireRpcUrls(profileWithEnv(live, { BASE_RPC_URL: "http://127.0.0.1:8545" })),
    ).toThrowErrorMatchingInlineSnapshot(
      `[ProfileError: The opengradient profile has no RPC URL for the verification chain (10740): set OG_RPC_URL.]`,
    );
    expect(
      requireRpcUrls(
        profileWithEnv(live, { BASE_RPC_URL: "http://127.0.0.1:8545", OG_RPC_URL: "http://127.0.0.1:8546" }),
      ).verification.rpcUrl,
    ).toBe("http://127.0.0.1:8546");
  });
});

describe("lookups", () => {
  test("default: tokens and relays are found by address in any case", () => {
    const devnet = parsedValid();
    expect(acceptedTokenOf(devnet, "0xFBC2051AE2265686A469421B2C5A2D5462FBF5EB")?.symbol).toBe("OPG");
    expect(acceptedTokenOf(devnet, "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913")?.decimals).toBe(6);
    expect(acceptedTokenOf(devnet, "0x0000000000000000000000000000000000000001")).toBeUndefined();
    expect(relayOf(devnet, "0x5fbdb2315678afecb367f032d93f642f64180aa3")?.abi).toBe("v3");
    expect(relayOf(devnet, VALID.verification.teeRegistries[0]!.address)).toBeUndefined();
  });
});

describe("BUILT_IN_PROFILES.opengradient", () => {
  test("default: the live networks of docs/protocol.md", () => {
    const live = BUILT_IN_PROFILES.opengradient;
    expect(live.name).toBe("opengradient");
    expect(live.payment).toEqual({
      chainId: 8453,
      tokens: [
        { address: "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913", symbol: "USDC", decimals: 6 },
        { address: "0xFbC2051AE2265686a469421b2C5A2D5462FbF5eB", symbol: "OPG", decimals: 18 },
      ],
      permit2: "0x000000000022D473030F116dDEE9F6B43aC78BA3",
      proxies: {
        exact: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001",
        upto: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002",
      },
    });
    const { relays, teeRegistries, ...verification } = live.verification;
    expect(verification).toEqual({ chainId: 10740, walrus: { aggregator: "https://aggregator.suicore.com" } });
    expect(relays.map(({ address, abi }) => [address, abi])).toEqual([
      ["0xf1dc0d5Dcf2A01924faC78185B9227CF3EC839A5", "v3"],
      ["0xAa3bB22c5Ef24fe3837134A25A4D801308E2516d", "v1"],
      ["0xDa8B168054F7eaaa71C2016829f0ED1161F947Ef", "v1"],
      ["0x9Ce828377ed2F94093eB9D6d606Fa8f47fA89A3d", "v1"],
    ]);
    // Start blocks are discovered and official signers read from the relays' roles.
    for (const relay of relays) {
      expect(relay.label).toMatch(/relay/);
      expect(relay).not.toHaveProperty("startBlock");
      expect(relay).not.toHaveProperty("signers");
    }
    expect(teeRegistries.map((r) => r.address)).toEqual([
      "0x703cB174AEadB35D611858369B4b1111dC9Abda6",
      "0x4e72238852f3c918f4E4e57AeC9280dDB0c80248",
    ]);
    expect(teeRegistries.every((r) => r.startBlock === undefined)).toBe(true);
    expect(live.gateways).toEqual([
      {
        paymentAddress: "0x9deEBB5D1b22e4a6e027977CeAd13893A7E4cC1a",
        sessionIdleSeconds: 100,
        sessionMaxSeconds: 900,
        name: "OpenGradient TEE gateway",
      },
    ]);
  });

  test("behavior: the built-in profile cannot be changed by a caller", () => {
    const live = BUILT_IN_PROFILES.opengradient;
    expect(() => {
      (live.payment as { rpcUrl?: string }).rpcUrl = "http://127.0.0.1:8545";
    }).toThrow(TypeError);
    expect(() => live.verification.relays.pop()).toThrow(TypeError);
    expect(live.payment.rpcUrl).toBeUndefined();
  });
});
