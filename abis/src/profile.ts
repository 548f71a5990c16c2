// Network profiles (docs/protocol.md): one JSON names every chain, contract and service Settlescan reads.
// Pure and browser-safe; reading files, environments and RPCs lives in ./node/profile.ts.
import { type Address, getAddress } from "viem";
import { ProfileError } from "./errors";
import opengradientJson from "./profiles/opengradient.json" with { type: "json" };

/** Event and function set a settlement relay speaks: `v1` legacy events (no blob id), `v2`/`v3` with `walrusBlobId`. */
export type RelayAbiVersion = "v1" | "v2" | "v3";

/** The relay ABI versions a profile may name, oldest first. */
export const RELAY_ABI_VERSIONS = ["v1", "v2", "v3"] as const satisfies readonly RelayAbiVersion[];

/** A token whose payments the payment chain is indexed for. */
export type ProfileToken = { address: Address; symbol: string; decimals: number };

/** A known x402 facilitator account (the `tx.from` of its settlements). */
export type ProfileFacilitator = { address: Address; name: string };

/**
 * The chain payments settle on (Base). A chain's `startBlock` is the first block indexed for each of its contracts
 * that has none of its own; `endBlock` stops indexing there (reproducible indexes of a fixed chain).
 */
export type PaymentNetwork = {
  chainId: number;
  rpcUrl?: string;
  startBlock?: number;
  endBlock?: number;
  tokens: ProfileToken[];
  /** Permit2 (SignatureTransfer): its `UnorderedNonceInvalidation` events cancel payers' nonces. */
  permit2?: Address;
  /** x402's Permit2 proxies (`settle` targets) for the `exact` and `upto` schemes. */
  proxies?: { exact?: Address; upto?: Address };
  /**
   * First block indexed for Permit2 and each proxy; absent: the chain's `startBlock`, else the block its code
   * appeared at (discovered once, then remembered).
   */
  contractStartBlocks?: PaymentContractStartBlocks;
  /** Known facilitators, to name them (never required: any `tx.from` settling a payment is its facilitator). */
  facilitators?: ProfileFacilitator[];
};

/** The payment chain's contracts that a start block can be given for: Permit2 and the two proxies. */
export type PaymentContractStartBlocks = { permit2?: number; exactProxy?: number; uptoProxy?: number };

/** The profile field naming each payment contract of `contractStartBlocks`. */
export const PAYMENT_CONTRACTS = {
  permit2: "payment.permit2",
  exactProxy: "payment.proxies.exact",
  uptoProxy: "payment.proxies.upto",
} as const satisfies Record<keyof PaymentContractStartBlocks, string>;

/** The address of a payment contract of `contractStartBlocks`, when the profile names it. */
export function paymentContractOf(
  payment: Pick<PaymentNetwork, "permit2" | "proxies">,
  contract: keyof PaymentContractStartBlocks,
): Address | undefined {
  if (contract === "permit2") return payment.permit2;
  return contract === "exactProxy" ? payment.proxies?.exact : payment.proxies?.upto;
}

/**
 * A settlement relay on the verification chain.
 *
 * `signers` decides which settlements are official: a relay transaction whose `tx.from` is in `signers` is official,
 * any other is unofficial (the current relay lets anyone call `batchSettle`). When `signers` is omitted, the official
 * signers are the accounts holding the relay's `SETTLEMENT_RELAY_ROLE` at the settlement's block, read from its
 * `RoleGranted` / `RoleRevoked` events: the live network publishes no signer list. An empty list makes every
 * settlement unofficial.
 */
export type ProfileRelay = {
  address: Address;
  abi: RelayAbiVersion;
  /** First block indexed; absent: the chain's `startBlock`, else the block the relay's code appeared at. */
  startBlock?: number;
  endBlock?: number;
  signers?: Address[];
  label?: string;
};

/** A TEE registry on the verification chain (start and end blocks as for relays). */
export type ProfileTeeRegistry = { address: Address; startBlock?: number; endBlock?: number; label?: string };

/** The chain proofs settle on (OpenGradient's EVM chain), and the Walrus service holding the batches' blobs. */
export type VerificationNetwork = {
  chainId: number;
  rpcUrl?: string;
  startBlock?: number;
  endBlock?: number;
  relays: ProfileRelay[];
  teeRegistries: ProfileTeeRegistry[];
  /** Base URLs without a trailing slash: blobs are read at `GET {aggregator}/v1/blobs/{blobId}`. */
  walrus: { aggregator: string; publisher?: string };
};

/** A TEE gateway's payee, and how long its upto sessions run before one payment settles them. */
export type ProfileGateway = {
  paymentAddress: Address;
  /** A session settles after this much idle time. */
  sessionIdleSeconds: number;
  /** No session lasts longer than this (at least `sessionIdleSeconds`). */
  sessionMaxSeconds: number;
  name?: string;
};

/** Every chain, contract and service Settlescan reads (docs/protocol.md; fields are added, never renamed). */
export type NetworkProfile = {
  name: string;
  payment: PaymentNetwork;
  verification: VerificationNetwork;
  gateways: ProfileGateway[];
};

/** A profile whose two chains both have an RPC URL (see `requireRpcUrls`). */
export type NetworkProfileWithRpcUrls = NetworkProfile & {
  payment: PaymentNetwork & { rpcUrl: string };
  verification: VerificationNetwork & { rpcUrl: string };
};

/** The two chains of a profile. */
export type ChainRole = "payment" | "verification";

/** The environment variables that override single profile fields (`profileWithEnv`). */
export const PROFILE_ENV = {
  payment: { rpcUrl: "BASE_RPC_URL", startBlock: "BASE_START_BLOCK", endBlock: "BASE_END_BLOCK" },
  verification: { rpcUrl: "OG_RPC_URL", startBlock: "OG_START_BLOCK", endBlock: "OG_END_BLOCK" },
  walrus: { aggregator: "WALRUS_AGGREGATOR_URL", publisher: "WALRUS_PUBLISHER_URL" },
  usdcAddress: "USDC_ADDRESS",
} as const;

/** Variables the per-contract deployment file era read, which profiles replace (set them in a profile instead). */
const OBSOLETE_ENV = [
  "SETTLESCAN_DEPLOYMENT",
  "BASE_CHAIN_ID",
  "OG_CHAIN_ID",
  "USDC_START_BLOCK",
  "TEE_REGISTRY_ADDRESS",
  "TEE_REGISTRY_START_BLOCK",
  "SETTLEMENT_RELAY_ADDRESS",
  "SETTLEMENT_RELAY_START_BLOCK",
] as const;

/** An environment as `process.env` has it; empty values count as unset. */
export type ProfileEnv = Record<string, string | undefined>;

// ---------------------------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------------------------

type Fields = Record<string, unknown>;

const MAX_SHOWN_CHARS = 80;

/** A bad value as a message quotes it: JSON, shortened; `missing` when absent. */
function show(value: unknown): string {
  if (value === undefined) return "missing";
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 1)}…` : text;
}

const HEX_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** The checksummed address, if `value` is one in a single case or with a valid EIP-55 checksum. */
function addressOrUndefined(value: unknown): Address | undefined {
  if (typeof value !== "string" || !HEX_ADDRESS.test(value)) return undefined;
  const checksummed = getAddress(value);
  const digits = value.slice(2);
  const oneCase = digits === digits.toLowerCase() || digits === digits.toUpperCase();
  return oneCase || checksummed === value ? checksummed : undefined;
}

/** Reads one JSON document, failing with a sentence naming `source`, the JSON path, the value and what was expected. */
class ProfileReader {
  constructor(readonly source: string) {}

  fail(path: string, value: unknown, expected: string): never {
    throw new ProfileError(`Profile ${this.source}: ${path} is ${show(value)}, expected ${expected}.`, {
      details: path,
    });
  }

  /** The object at `path`; a key spelled like a known one (`startblock`) is refused rather than ignored. */
  object(path: string, value: unknown, known: readonly string[]): Fields {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path, value, "an object");
    const normalized = (key: string) => key.toLowerCase().replace(/[-_\s]/g, "");
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      const meant = known.find((k) => normalized(k) === normalized(key));
      if (meant)
        throw new ProfileError(
          `Profile ${this.source}: ${join(path, key)} is not a profile field, expected ${meant}.`,
          {
            details: join(path, key),
          },
        );
    }
    return value as Fields;
  }

  list<T>(path: string, value: unknown, item: (path: string, value: unknown) => T): T[] {
    if (!Array.isArray(value)) this.fail(path, value, "a list");
    return value.map((v, i) => item(`${path}[${i}]`, v));
  }

  optionalList<T>(path: string, value: unknown, item: (path: string, value: unknown) => T): T[] | undefined {
    return value === undefined || value === null ? undefined : this.list(path, value, item);
  }

  chainId(path: string, value: unknown): number {
    if (!Number.isSafeInteger(value) || (value as number) <= 0) this.fail(path, value, "a positive integer chain id");
    return value as number;
  }

  block(path: string, value: unknown): number | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Number.isSafeInteger(value) || (value as number) < 0)
      this.fail(path, value, "a non-negative integer block number, or no field");
    return value as number;
  }

  integer(path: string, value: unknown, min: number, max: number, what: string): number {
    if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max)
      this.fail(path, value, what);
    return value as number;
  }

  text(path: string, value: unknown): string {
    if (typeof value !== "string" || value.trim() === "") this.fail(path, value, "a non-empty string");
    return value;
  }

  optionalText(path: string, value: unknown): string | undefined {
    return value === undefined || value === null ? undefined : this.text(path, value);
  }

  address(path: string, value: unknown): Address {
    if (typeof value !== "string" || !HEX_ADDRESS.test(value))
      this.fail(path, value, "an address (0x and 40 hex digits)");
    const address = addressOrUndefined(value);
    if (!address) this.fail(path, value, "an address in one case or with a valid EIP-55 checksum");
    return address;
  }

  optionalAddress(path: string, value: unknown): Address | undefined {
    return value === undefined || value === null ? undefined : this.address(path, value);
  }

  /** An http(s) URL; `base` URLs (services whose paths are appended) lose their trailing slashes. */
  url(path: string, value: unknown, { base = false } = {}): string {
    if (!isHttpUrl(value)) this.fail(path, value, "an http(s) URL");
    return base ? value.replace(/\/+$/, "") : value;
  }

  optionalUrl(path: string, value: unknown, options?: { base?: boolean }): string | undefined {
    return value === undefined || value === null ? undefined : this.url(path, value, options);
  }

  oneOf<T extends string>(path: string, value: unknown, choices: readonly T[]): T {
    if (!choices.includes(value as T)) this.fail(path, value, `one of ${choices.join(", ")}`);
    return value as T;
  }

  /** Refuses an `endBlock` before the `startBlock` it ends. */
  range(path: string, range: { startBlock?: number; endBlock?: number }) {
    if (range.startBlock !== undefined && range.endBlock !== undefined && range.endBlock < range.startBlock)
      this.fail(
        join(path, "endBlock"),
        range.endBlock,
        `a block at or after ${join(path, "startBlock")} (${range.startBlock})`,
      );
  }

  /** Refuses the second item of a list with the same key (an address, compared in any case). */
  unique<T>(path: string, items: T[], keyOf: (item: T) => string, field: string) {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const key = keyOf(item).toLowerCase();
      const first = seen.get(key);
      if (first !== undefined)
        this.fail(`${path}[${i}].${field}`, keyOf(item), `a value not already listed at ${path}[${first}].${field}`);
      seen.set(key, i);
    });
  }
}

const join = (path: string, key: string) => (path === "the profile" ? key : `${path}.${key}`);

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

/** `fields` without its undefined values, so parsed profiles hold only the fields they have. */
function defined<T extends Fields>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Validates a profile read from JSON and returns it with checksummed addresses. Every error is one `ProfileError`
 * sentence naming `source`, the JSON path, the bad value and what was expected.
 * @example parseProfile(JSON.parse(readFileSync(path, "utf8")), path)
 */
export function parseProfile(json: unknown, source: string): NetworkProfile {
  const r = new ProfileReader(source);
  const root = r.object("the profile", json, ["name", "payment", "verification", "gateways"]);

  const p = r.object("payment", root.payment, [
    "chainId",
    "rpcUrl",
    "startBlock",
    "endBlock",
    "tokens",
    "permit2",
    "proxies",
    "contractStartBlocks",
    "facilitators",
  ]);
  const tokens = r.list("payment.tokens", p.tokens, (path, value) => {
    const t = r.object(path, value, ["address", "symbol", "decimals"]);
    return {
      address: r.address(`${path}.address`, t.address),
      symbol: r.text(`${path}.symbol`, t.symbol),
      decimals: r.integer(`${path}.decimals`, t.decimals, 0, 255, "an integer from 0 to 255"),
    };
  });
  r.unique("payment.tokens", tokens, (t) => t.address, "address");
  const permit2 = r.optionalAddress("payment.permit2", p.permit2);
  const proxies =
    p.proxies === undefined || p.proxies === null
      ? undefined
      : (() => {
          const x = r.object("payment.proxies", p.proxies, ["exact", "upto"]);
          return defined({
            exact: r.optionalAddress("payment.proxies.exact", x.exact),
            upto: r.optionalAddress("payment.proxies.upto", x.upto),
          });
        })();
  const contractStartBlocks =
    p.contractStartBlocks === undefined || p.contractStartBlocks === null
      ? undefined
      : (() => {
          const names = Object.keys(PAYMENT_CONTRACTS) as (keyof PaymentContractStartBlocks)[];
          const x = r.object("payment.contractStartBlocks", p.contractStartBlocks, names);
          const blocks: PaymentContractStartBlocks = defined(
            Object.fromEntries(names.map((name) => [name, r.block(`payment.contractStartBlocks.${name}`, x[name])])),
          );
          for (const name of names)
            if (blocks[name] !== undefined && !paymentContractOf({ permit2, proxies }, name))
              r.fail(
                `payment.contractStartBlocks.${name}`,
                blocks[name],
                `no start block while ${PAYMENT_CONTRACTS[name]} is not set`,
              );
          return blocks;
        })();
  const facilitators = r.optionalList("payment.facilitators", p.facilitators, (path, value) => {
    const f = r.object(path, value, ["address", "name"]);
    return { address: r.address(`${path}.address`, f.address), name: r.text(`${path}.name`, f.name) };
  });
  if (facilitators) r.unique("payment.facilitators", facilitators, (f) => f.address, "address");
  const payment: PaymentNetwork = defined({
    chainId: r.chainId("payment.chainId", p.chainId),
    rpcUrl: r.optionalUrl("payment.rpcUrl", p.rpcUrl),
    startBlock: r.block("payment.startBlock", p.startBlock),
    endBlock: r.block("payment.endBlock", p.endBlock),
    tokens,
    permit2,
    proxies,
    contractStartBlocks,
    facilitators,
  });
  r.range("payment", payment);

  const v = r.object("verification", root.verification, [
    "chainId",
    "rpcUrl",
    "startBlock",
    "endBlock",
    "relays",
    "teeRegistries",
    "walrus",
  ]);
  const relays = r.list("verification.relays", v.relays, (path, value) => {
    const x = r.object(path, value, ["address", "abi", "startBlock", "endBlock", "signers", "label"]);
    const relay: ProfileRelay = defined({
      address: r.address(`${path}.address`, x.address),
      abi: r.oneOf(`${path}.abi`, x.abi, RELAY_ABI_VERSIONS),
      startBlock: r.block(`${path}.startBlock`, x.startBlock),
      endBlock: r.block(`${path}.endBlock`, x.endBlock),
      signers: r.optionalList(`${path}.signers`, x.signers, (p, s) => r.address(p, s)),
      label: r.optionalText(`${path}.label`, x.label),
    });
    r.range(path, relay);
    return relay;
  });
  r.unique("verification.relays", relays, (x) => x.address, "address");
  const teeRegistries = r.list("verification.teeRegistries", v.teeRegistries, (path, value) => {
    const x = r.object(path, value, ["address", "startBlock", "endBlock", "label"]);
    const registry: ProfileTeeRegistry = defined({
      address: r.address(`${path}.address`, x.address),
      startBlock: r.block(`${path}.startBlock`, x.startBlock),
      endBlock: r.block(`${path}.endBlock`, x.endBlock),
      label: r.optionalText(`${path}.label`, x.label),
    });
    r.range(path, registry);
    return registry;
  });
  r.unique("verification.teeRegistries", teeRegistries, (x) => x.address, "address");
  const w = r.object("verification.walrus", v.walrus, ["aggregator", "publisher"]);
  const verification: VerificationNetwork = defined({
    chainId: r.chainId("verification.chainId", v.chainId),
    rpcUrl: r.optionalUrl("verification.rpcUrl", v.rpcUrl),
    startBlock: r.block("verification.startBlock", v.startBlock),
    endBlock: r.block("verification.endBlock", v.endBlock),
    relays,
    teeRegistries,
    walrus: defined({
      aggregator: r.url("verification.walrus.aggregator", w.aggregator, { base: true }),
      publisher: r.optionalUrl("verification.walrus.publisher", w.publisher, { base: true }),
    }),
  });
  r.range("verification", verification);

  const gateways = r.list("gateways", root.gateways, (path, value) => {
    const g = r.object(path, value, ["paymentAddress", "sessionIdleSeconds", "sessionMaxSeconds", "name"]);
    const seconds = "a positive integer number of seconds";
    const gateway: ProfileGateway = defined({
      paymentAddress: r.address(`${path}.paymentAddress`, g.paymentAddress),
      sessionIdleSeconds: r.integer(`${path}.sessionIdleSeconds`, g.sessionIdleSeconds, 1, 2 ** 31, seconds),
      sessionMaxSeconds: r.integer(`${path}.sessionMaxSeconds`, g.sessionMaxSeconds, 1, 2 ** 31, seconds),
      name: r.optionalText(`${path}.name`, g.name),
    });
    if (gateway.sessionMaxSeconds < gateway.sessionIdleSeconds)
      r.fail(
        `${path}.sessionMaxSeconds`,
        gateway.sessionMaxSeconds,
        `at least ${path}.sessionIdleSeconds (${gateway.sessionIdleSeconds})`,
      );
    return gateway;
  });
  r.unique("gateways", gateways, (g) => g.paymentAddress, "paymentAddress");

  return { name: r.text("name", root.name), payment, verification, gateways };
}

// ---------------------------------------------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------------------------------------------

/** The environment's value of `name`, or undefined when unset or empty. */
const envValue = (env: ProfileEnv, name: string) =>
  env[name] === undefined || env[name] === "" ? undefined : env[name];

function envFail(name: string, value: string, expected: string): never {
  throw new ProfileError(`The environment's ${name} is ${show(value)}, expected ${expected}.`, { details: name });
}

function envUrl(env: ProfileEnv, name: string): string | undefined {
  const value = envValue(env, name);
  if (value !== undefined && !isHttpUrl(value)) envFail(name, value, "an http(s) URL");
  return value;
}

function envBlock(env: ProfileEnv, name: string): number | undefined {
  const value = envValue(env, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
    envFail(name, value, "a non-negative integer block number");
  return Number(value);
}

/**
 * A copy of `profile` with the environment's overrides: `BASE_RPC_URL` / `OG_RPC_URL`, `WALRUS_AGGREGATOR_URL` /
 * `WALRUS_PUBLISHER_URL`, `BASE_START_BLOCK` / `OG_START_BLOCK` (the chain's start, for its contracts without their
 * own), `BASE_END_BLOCK` / `OG_END_BLOCK` (stop indexing there), and `USDC_ADDRESS` (the USDC token's address).
 * Empty values count as unset. Variables of the deployment-file era that profiles replace are refused.
 * @example const profile = profileWithEnv(BUILT_IN_PROFILES.opengradient, process.env);
 */
export function profileWithEnv(profile: NetworkProfile, env: ProfileEnv): NetworkProfile {
  const obsolete = OBSOLETE_ENV.filter((name) => envValue(env, name) !== undefined);
  if (obsolete.length > 0)
    throw new ProfileError(
      `The environment sets ${listOf(obsolete, "and")}, which network profiles replace: name chains and contracts in a profile file and set SETTLESCAN_NETWORK to its path.`,
      { details: obsolete.join(", ") },
    );

  const chain = <C extends PaymentNetwork | VerificationNetwork>(role: ChainRole, network: C): C => {
    const names = PROFILE_ENV[role];
    return defined({
      ...network,
      rpcUrl: envUrl(env, names.rpcUrl) ?? network.rpcUrl,
      startBlock: envBlock(env, names.startBlock) ?? network.startBlock,
      endBlock: envBlock(env, names.endBlock) ?? network.endBlock,
    }) as C;
  };
  const payment = chain("payment", profile.payment);
  const usdc = envValue(env, PROFILE_ENV.usdcAddress);
  if (usdc !== undefined) {
    const address =
      addressOrUndefined(usdc) ??
      envFail(
        PROFILE_ENV.usdcAddress,
        usdc,
        "an address (0x and 40 hex digits, in one case or with a valid EIP-55 checksum)",
      );
    const index = profile.payment.tokens.findIndex((t) => t.symbol === "USDC");
    if (index < 0)
      throw new ProfileError(
        `The environment's ${PROFILE_ENV.usdcAddress} replaces the USDC token's address, but the ${profile.name} profile has no USDC token.`,
      );
    payment.tokens = payment.tokens.map((t, i) => (i === index ? { ...t, address } : t));
  }
  const verification = chain("verification", profile.verification);
  verification.walrus = {
    ...verification.walrus,
    aggregator: envUrl(env, PROFILE_ENV.walrus.aggregator) ?? verification.walrus.aggregator,
    ...defined({ publisher: envUrl(env, PROFILE_ENV.walrus.publisher) ?? verification.walrus.publisher }),
  };
  // Parsing again checks what only the combination can break (an end block before a start block, a duplicate token).
  return parseProfile({ ...profile, payment, verification }, `${profile.name} with the environment's overrides`);
}

/** "A", "A and B", "A, B and C". */
function listOf(items: readonly string[], conjunction: "and" | "or"): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

const CHAIN_NAMES: Record<ChainRole, string> = { payment: "payment chain", verification: "verification chain" };

/**
 * `profile`, once both chains have an RPC URL; otherwise a `ProfileError` naming each missing variable.
 * @example const { payment, verification } = requireRpcUrls(loadProfile());
 */
export function requireRpcUrls(profile: NetworkProfile): NetworkProfileWithRpcUrls {
  const missing = (["payment", "verification"] as const).filter((role) => profile[role].rpcUrl === undefined);
  if (missing.length > 0)
    throw new ProfileError(
      `The ${profile.name} profile has no RPC URL for ${listOf(
        missing.map((role) => `the ${CHAIN_NAMES[role]} (${profile[role].chainId})`),
        "or",
      )}: set ${listOf(
        missing.map((role) => PROFILE_ENV[role].rpcUrl),
        "and",
      )}.`,
      { details: missing.map((role) => PROFILE_ENV[role].rpcUrl).join(", ") },
    );
  return profile as NetworkProfileWithRpcUrls;
}

// ---------------------------------------------------------------------------------------------------------------
// Lookups
// ---------------------------------------------------------------------------------------------------------------

/** The profile's token at `address` (any case), or undefined when the profile does not accept it. */
export function acceptedTokenOf(profile: NetworkProfile, address: string): ProfileToken | undefined {
  const lower = address.toLowerCase();
  return profile.payment.tokens.find((t) => t.address.toLowerCase() === lower);
}

/** The profile's facilitator at `address` (any case), or undefined when the profile does not list it. */
export function facilitatorOf(profile: NetworkProfile, address: string): ProfileFacilitator | undefined {
  const lower = address.toLowerCase();
  return profile.payment.facilitators?.find((f) => f.address.toLowerCase() === lower);
}

/** The scheme of the profile's x402 Permit2 proxy at `address` (any case), or undefined when it is not one. */
export function proxySchemeOf(profile: NetworkProfile, address: string): "exact" | "upto" | undefined {
  const lower = address.toLowerCase();
  const { exact, upto } = profile.payment.proxies ?? {};
  return exact?.toLowerCase() === lower ? "exact" : upto?.toLowerCase() === lower ? "upto" : undefined;
}

/** The profile's relay at `address` (any case), or undefined when it is not one of the profile's relays. */
export function relayOf(profile: NetworkProfile, address: string): ProfileRelay | undefined {
  const lower = address.toLowerCase();
  return profile.verification.relays.find((x) => x.address.toLowerCase() === lower);
}

// ---------------------------------------------------------------------------------------------------------------
// Built-in profiles
// ---------------------------------------------------------------------------------------------------------------

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Profiles shipped with Settlescan: `opengradient`, the live networks (docs/protocol.md). RPC URLs come from the
 * environment; relay and registry start blocks are discovered. (The `devnet` built-in is the file the devnet
 * writes, which `loadProfile` of `@settlescan/abis/node` reads.)
 */
export const BUILT_IN_PROFILES = {
  opengradient: deepFreeze(parseProfile(opengradientJson, "opengradient (built-in)")),
} as const satisfies Record<string, NetworkProfile>;
