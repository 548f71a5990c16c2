// Node side of network profiles: which profile to load, where its contracts start, and whether its sources answer.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Address, createPublicClient, type Hex, http, BaseError as ViemBaseError } from "viem";
import { ProfileError } from "../errors";
import {
  BUILT_IN_PROFILES,
  type ChainRole,
  type NetworkProfile,
  type PaymentContractStartBlocks,
  PROFILE_ENV,
  type ProfileEnv,
  type ProfileRelay,
  type ProfileTeeRegistry,
  parseProfile,
  paymentContractOf,
  profileWithEnv,
  requireRpcUrls,
} from "../profile";

/** Where the devnet writes its profile (the `devnet` built-in). */
export const DEVNET_PROFILE_PATH = fileURLToPath(new URL("../../../devnet/profile.json", import.meta.url));

/** Names `SETTLESCAN_NETWORK` accepts besides a path; `devnet` is the default. */
export const BUILT_IN_PROFILE_NAMES = ["devnet", ...Object.keys(BUILT_IN_PROFILES)] as const;

/** File name of the start-block cache inside the cache directory. */
export const START_BLOCKS_CACHE_FILE = "start-blocks.json";

/** Milliseconds `checkSources` waits for each answer. */
const CHECK_TIMEOUT_MS = 5_000;

/** Milliseconds one RPC request of the start-block search may take (historical state reads can be slow). */
const DISCOVERY_REQUEST_TIMEOUT_MS = 30_000;

const CHAIN_NAMES: Record<ChainRole, string> = { payment: "payment chain", verification: "verification chain" };

/** Reads and parses a profile file; `source` names it in errors. */
function readProfileFile(path: string, source: string): NetworkProfile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new ProfileError(`Profile ${source} is not valid JSON (${(cause as Error).message}).`, { cause });
  }
  return parseProfile(json, source);
}

/**
 * The profile `SETTLESCAN_NETWORK` names — a path (containing "/" or ending in .json, relative to `cwd`) or a built-in
 * name (`devnet`, the default, or `opengradient`) — with the environment's overrides applied (`profileWithEnv`).
 * @example const profile = loadProfile(); // the devnet's, once `npm run devnet` has written it
 */
export function loadProfile({
  env = process.env,
  cwd = process.cwd(),
  devnetProfilePath = DEVNET_PROFILE_PATH,
}: {
  env?: ProfileEnv;
  cwd?: string;
  devnetProfilePath?: string;
} = {}): NetworkProfile {
  const name = env.SETTLESCAN_NETWORK || "devnet";
  let profile: NetworkProfile;
  if (name.includes("/") || name.includes("\\") || name.endsWith(".json")) {
    const path = resolve(cwd, name);
    if (!existsSync(path))
      throw new ProfileError(
        `No profile at ${path}: set SETTLESCAN_NETWORK to a profile file or a built-in name (${BUILT_IN_PROFILE_NAMES.join(", ")}).`,
      );
    profile = readProfileFile(path, name);
  } else if (name === "devnet") {
    if (!existsSync(devnetProfilePath))
      throw new ProfileError(
        `No devnet profile at ${devnetProfilePath}: start the devnet (npm run devnet) or set SETTLESCAN_NETWORK to a profile.`,
      );
    profile = readProfileFile(devnetProfilePath, "devnet/profile.json");
  } else if (Object.hasOwn(BUILT_IN_PROFILES, name)) {
    profile = BUILT_IN_PROFILES[name as keyof typeof BUILT_IN_PROFILES];
  } else {
    throw new ProfileError(
      `SETTLESCAN_NETWORK is "${name}", expected a profile path (a .json file) or a built-in name: ${BUILT_IN_PROFILE_NAMES.join(", ")}.`,
    );
  }
  return profileWithEnv(profile, env);
}

/** What the start-block search needs of a viem client. */
export type CodeReader = {
  getBlockNumber(): Promise<bigint>;
  getCode(args: { address: Address; blockNumber: bigint }): Promise<Hex | undefined>;
};

type StartBlockCache = Record<string, number>;

function readCache(path: string): StartBlockCache {
  if (!existsSync(path)) return {};
  try {
    const json: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (typeof json !== "object" || json === null || Array.isArray(json)) return {};
    // A cache only saves work: entries of another shape are searched for again and overwritten.
    return Object.fromEntries(
      Object.entries(json).filter(([, block]) => Number.isSafeInteger(block) && (block as number) >= 0),
    ) as StartBlockCache;
  } catch {
    return {};
  }
}

function writeCache(path: string, found: StartBlockCache) {
  mkdirSync(dirname(path), { recursive: true });
  const merged = { ...readCache(path), ...found };
  const sorted = Object.fromEntries(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(sorted, null, 2)}\n`);
  renameSync(temporary, path);
}

/** The cache file `discoverStartBlocks` uses by default: `$SETTLESCAN_CACHE_DIR` or `.settlescan/` in `cwd`. */
export function defaultStartBlocksCachePath({ env = process.env, cwd = process.cwd() } = {}): string {
  return join(env.SETTLESCAN_CACHE_DIR || join(cwd, ".settlescan"), START_BLOCKS_CACHE_FILE);
}

const hasCode = (code: Hex | undefined) => code !== undefined && code !== "0x";

/** Why a request failed, as short as the network stack says it: `connect ECONNREFUSED`, else the innermost cause. */
function reasonOf(error: unknown): string {
  let innermost = error;
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    const { code, syscall } = e as { code?: unknown; syscall?: unknown };
    if (typeof code === "string") return typeof syscall === "string" ? `${syscall} ${code}` : code;
    innermost = e;
  }
  const message =
    innermost instanceof ViemBaseError
      ? innermost.shortMessage
      : innermost instanceof Error
        ? innermost.message
        : String(innermost);
  return message.replace(/\.$/, "");
}

/** A contract whose start block may need finding: its address, and what messages call it. */
type Unplaced = { address: Address; what: string };

/** Where the contracts that need it are named, for the message when the chain has no RPC to search. */
const WHERE_STARTS: Record<ChainRole, string> = {
  verification: "its relays and TEE registries start: set OG_RPC_URL, or give each a startBlock",
  payment: "its Permit2 and x402 proxies start: set BASE_RPC_URL, or give each a block in payment.contractStartBlocks",
};

/**
 * The first block holding each contract's code on `role`'s chain, by binary search on `eth_getCode` over [0, latest]
 * (an archive RPC is needed), keyed `${chainId}:${address}`.
 */
async function searchStartBlocks(
  profile: NetworkProfile,
  role: ChainRole,
  contracts: Unplaced[],
  clientOf: (rpcUrl: string, role: ChainRole) => CodeReader,
): Promise<StartBlockCache> {
  const chain = profile[role];
  const name = CHAIN_NAMES[role];
  const variable = PROFILE_ENV[role].rpcUrl;
  if (chain.rpcUrl === undefined)
    throw new ProfileError(
      `The ${profile.name} profile has no RPC URL for the ${name} (${chain.chainId}) to find where ${WHERE_STARTS[role]}.`,
    );
  const client = clientOf(chain.rpcUrl, role);
  const latest = await client.getBlockNumber().catch((cause) => {
    throw new ProfileError(
      `The ${name} RPC ${chain.rpcUrl} did not answer eth_blockNumber (${reasonOf(cause)}): set ${variable} to a reachable RPC.`,
      { cause },
    );
  });
  const found: StartBlockCache = {};
  await Promise.all(
    contracts.map(async ({ address, what }) => {
      const codeAt = (blockNumber: bigint) =>
        client.getCode({ address, blockNumber }).then(hasCode, (cause) => {
          throw new ProfileError(
            `Could not read the code of ${what} ${address} at block ${blockNumber} on the ${name} (${reasonOf(cause)}): finding where it starts needs an archive RPC, else give it a startBlock in the profile or set ${PROFILE_ENV[role].startBlock}.`,
            { cause },
          );
        });
      if (!(await codeAt(latest)))
        throw new ProfileError(
          `The ${what} ${address} of the ${profile.name} profile has no code on the ${name} (${chain.chainId}) at its latest block ${latest}: check its address.`,
        );
      // Invariant: the code is there at `high` and the first block holding it is in [low, high].
      let low = 0n;
      let high = latest;
      while (low < high) {
        const middle = (low + high) / 2n;
        if (await codeAt(middle)) high = middle;
        else low = middle + 1n;
      }
      found[`${chain.chainId}:${address}`] = Number(low);
    }),
  );
  return found;
}

const PAYMENT_CONTRACT_NAMES: Record<keyof PaymentContractStartBlocks, string> = {
  permit2: "Permit2",
  exactProxy: "x402 exact proxy",
  uptoProxy: "x402 upto proxy",
};

/**
 * `profile` with a start block on every relay and TEE registry, and on Permit2 and each x402 proxy it names
 * (`payment.contractStartBlocks`): its own, else its chain's `startBlock`, else the first block holding its code —
 * found by binary search on `eth_getCode` over [0, latest] (an archive RPC is needed) and remembered in `cachePath`
 * under `${chainId}:${address}`, so the next start makes no search.
 * @example const profile = await discoverStartBlocks(loadProfile());
 */
export async function discoverStartBlocks(
  profile: NetworkProfile,
  {
    cachePath = defaultStartBlocksCachePath(),
    clientOf = (rpcUrl: string) =>
      createPublicClient({ transport: http(rpcUrl, { retryCount: 3, timeout: DISCOVERY_REQUEST_TIMEOUT_MS }) }),
  }: { cachePath?: string; clientOf?: (rpcUrl: string, role: ChainRole) => CodeReader } = {},
): Promise<NetworkProfile> {
  const { payment, verification } = profile;
  const cache = readCache(cachePath);
  const cached = (role: ChainRole, address: Address) => cache[`${profile[role].chainId}:${address}`];

  const verificationContracts = [
    ...verification.relays.map((contract) => ({ contract, what: "relay" })),
    ...verification.teeRegistries.map((contract) => ({ contract, what: "TEE registry" })),
  ];
  const unplacedVerification = verificationContracts
    .filter(
      ({ contract }) =>
        (contract.startBlock ?? verification.startBlock ?? cached("verification", contract.address)) === undefined,
    )
    .map(({ contract, what }) => ({ address: contract.address, what }));
  const paymentContracts = (Object.keys(PAYMENT_CONTRACT_NAMES) as (keyof PaymentContractStartBlocks)[]).flatMap(
    (key) => {
      const address = paymentContractOf(payment, key);
      return address ? [{ key, address, what: PAYMENT_CONTRACT_NAMES[key] }] : [];
    },
  );
  const unplacedPayment = paymentContracts.filter(
    ({ key, address }) =>
      (payment.contractStartBlocks?.[key] ?? payment.startBlock ?? cached("payment", address)) === undefined,
  );

  const found: StartBlockCache = {
    ...(unplacedVerification.length > 0
      ? await searchStartBlocks(profile, "verification", unplacedVerification, clientOf)
      : {}),
    ...(unplacedPayment.length > 0 ? await searchStartBlocks(profile, "payment", unplacedPayment, clientOf) : {}),
  };
  if (Object.keys(found).length > 0) writeCache(cachePath, found);

  const known = { ...cache, ...found };
  const withStart = <C extends ProfileRelay | ProfileTeeRegistry>(contract: C): C => ({
    ...contract,
    startBlock: contract.startBlock ?? verification.startBlock ?? known[`${verification.chainId}:${contract.address}`],
  });
  const contractStartBlocks = Object.fromEntries(
    paymentContracts.map(({ key, address }) => [
      key,
      payment.contractStartBlocks?.[key] ?? payment.startBlock ?? known[`${payment.chainId}:${address}`],
    ]),
  ) as PaymentContractStartBlocks;
  return {
    ...profile,
    payment: paymentContracts.length > 0 ? { ...payment, contractStartBlocks } : payment,
    verification: {
      ...verification,
      relays: verification.relays.map(withStart),
      teeRegistries: verification.teeRegistries.map(withStart),
    },
  };
}

/** `reasonOf`, or the timeout when the request was aborted for taking too long. */
const failureOf = (error: unknown, timeoutMs: number) =>
  error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")
    ? `no answer within ${timeoutMs} ms`
    : reasonOf(error);

/** One line per failure, or undefined when the RPC answers with the profile's chain id. */
async function checkRpc(profile: NetworkProfile, role: ChainRole, url: string, timeoutMs: number) {
  const name = `The ${CHAIN_NAMES[role]} RPC ${url}`;
  const variable = PROFILE_ENV[role].rpcUrl;
  const expected = profile[role].chainId;
  let answer: { result?: unknown; error?: { message?: unknown } };
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    if (!response.ok)
      return `${name} answered eth_chainId with HTTP ${response.status}: set ${variable} to a JSON-RPC endpoint.`;
    answer = JSON.parse(text);
  } catch (error) {
    if (error instanceof SyntaxError)
      return `${name} answered eth_chainId with no JSON: set ${variable} to a JSON-RPC endpoint.`;
    return `${name} is unreachable (${failureOf(error, timeoutMs)}): set ${variable} to a reachable RPC.`;
  }
  if (typeof answer?.result !== "string" || !/^0x[0-9a-fA-F]+$/.test(answer.result))
    return `${name} answered eth_chainId with ${JSON.stringify(answer?.error?.message ?? answer?.result ?? answer)}: set ${variable} to a JSON-RPC endpoint.`;
  const chainId = Number(answer.result);
  if (chainId !== expected)
    return `${name} is chain ${chainId}, but the ${profile.name} profile's ${CHAIN_NAMES[role]} is ${expected}: set ${variable} to an RPC of chain ${expected}.`;
  return undefined;
}

/** One line when the aggregator gives no HTTP answer at all (any status counts as reachable). */
async function checkAggregator(url: string, timeoutMs: number) {
  try {
    const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return undefined;
  } catch (error) {
    return `The Walrus aggregator ${url} is unreachable (${failureOf(error, timeoutMs)}): set ${PROFILE_ENV.walrus.aggregator}.`;
  }
}

/**
 * Checks that every source of `profile` answers: `eth_chainId` on both RPCs (reachable, and the profile's chain),
 * and the Walrus aggregator (any HTTP answer). Throws one `ProfileError` with a line per failing source, each naming
 * the URL and the variable to set.
 * @example await checkSources(loadProfile());
 */
export async function checkSources(
  profile: NetworkProfile,
  { timeoutMs = CHECK_TIMEOUT_MS }: { timeoutMs?: number } = {},
): Promise<void> {
  const withRpc = requireRpcUrls(profile);
  const failures = (
    await Promise.all([
      checkRpc(profile, "payment", withRpc.payment.rpcUrl, timeoutMs),
      checkRpc(profile, "verification", withRpc.verification.rpcUrl, timeoutMs),
      checkAggregator(profile.verification.walrus.aggregator, timeoutMs),
    ])
  ).filter((line) => line !== undefined);
  if (failures.length > 0)
    throw new ProfileError(failures.join("\n"), { details: `${failures.length} failing sources` });
}
