import type { NetworkProfile, NetworkProfileWithRpcUrls, ProfileRelay } from "@settlescan/abis";
import { requireRpcUrls } from "@settlescan/abis";
import { checkSources, discoverStartBlocks, loadProfile } from "@settlescan/abis/node";
import { type Address, getAddress } from "viem";

let loaded: NetworkProfile | undefined;

/**
 * The network profile the indexer follows (`SETTLESCAN_NETWORK`, the devnet's by default, with the environment's
 * overrides). Read once per process: handlers look relays and tokens up in it.
 */
export function profileOf(): NetworkProfile {
  loaded ??= loadProfile();
  return loaded;
}

/** Ponder's exit code for a temporary failure (EX_TEMPFAIL): supervisors (`npm start`, compose) restart on it. */
const TEMPORARY_FAILURE_EXIT = 75;
/** Source checks tried before giving up: a flaky RPC answers within a few tries, an outage does not. */
const SOURCE_CHECK_ATTEMPTS = 5;

/**
 * The profile ready to index: both RPC URLs present, every source answering (one line per failing source, naming
 * the variable to set), and every relay and registry given a start block (found once, then remembered). Sources
 * that keep failing end the process with the temporary-failure code, so a supervisor retries later.
 */
export async function indexedProfileOf(): Promise<NetworkProfileWithRpcUrls> {
  const profile = profileOf();
  requireRpcUrls(profile);
  for (let attempt = 1; process.env.SETTLESCAN_SKIP_SOURCE_CHECK !== "true"; attempt++) {
    try {
      await checkSources(profile);
      break;
    } catch (error) {
      if (attempt < SOURCE_CHECK_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
        continue;
      }
      console.error(`[settlescan] ${(error as Error).message}`);
      process.exit(TEMPORARY_FAILURE_EXIT);
    }
  }
  return requireRpcUrls(await discoverStartBlocks(profile));
}

const relays = new Map<string, ProfileRelay>();

/** The profile's relay at `address` (events come only from profile relays, so it is always there). */
export function relayAt(address: Address): ProfileRelay {
  const key = address.toLowerCase();
  let relay = relays.get(key);
  if (!relay) {
    relay = profileOf().verification.relays.find((r) => r.address.toLowerCase() === key);
    if (!relay) throw new Error(`Relay ${address} is not in the ${profileOf().name} profile.`);
    relays.set(key, relay);
  }
  return relay;
}

/** True when the profile lists `signer` for the relay; null when the relay lists none (its role holders decide). */
export function listedSignerOf(relay: ProfileRelay, signer: Address): boolean | null {
  if (!relay.signers) return null;
  const from = getAddress(signer);
  return relay.signers.some((s) => s === from);
}
