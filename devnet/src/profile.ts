import { writeFileSync } from "node:fs";
import { type NetworkProfile, OPG_DECIMALS, parseProfile, USDC_DECIMALS } from "@settlescan/abis";
import type { Deployment } from "./deployment";

/** Where the devnet writes its network profile: SETTLESCAN_NETWORK's `devnet` built-in (git-ignored). */
export const DEVNET_PROFILE_PATH = new URL("../profile.json", import.meta.url).pathname;

/** How long the devnet gateway's payment sessions idle, and last at most, before they settle (docs/protocol.md). */
export const DEVNET_SESSION_SECONDS = { idle: 100, max: 900 } as const;

/**
 * The network profile (docs/protocol.md) of a deployed devnet: on "base" USDC and OPG, Permit2 and x402's two proxies,
 * and the facilitators' names; on "og" the v3 relay (official signers:
 * both proof facilitators and the exact-link facilitator), the legacy v1 relay (FACILITATOR), the TEE registry and
 * the blob service; the gateway's payee. Validated with `parseProfile`.
 * @example writeProfile(devnetProfileOf(devnet.deployment))
 */
export function devnetProfileOf(deployment: Deployment): NetworkProfile {
  const { chains, contracts, walrus, accounts } = deployment;
  const profile = {
    name: "devnet",
    payment: {
      chainId: chains.base.chainId,
      rpcUrl: chains.base.rpcUrl,
      startBlock: chains.base.startBlock,
      tokens: [
        { address: contracts.usdc.address, symbol: "USDC", decimals: USDC_DECIMALS },
        { address: contracts.opg.address, symbol: "OPG", decimals: OPG_DECIMALS },
      ],
      permit2: contracts.permit2.address,
      proxies: { exact: contracts.exactProxy.address, upto: contracts.uptoProxy.address },
      contractStartBlocks: {
        permit2: contracts.permit2.startBlock,
        exactProxy: contracts.exactProxy.startBlock,
        uptoProxy: contracts.uptoProxy.startBlock,
      },
      facilitators: [
        { address: accounts.facilitator, name: "devnet facilitator" },
        { address: accounts.facilitator2, name: "devnet facilitator 2" },
      ],
    },
    verification: {
      chainId: chains.og.chainId,
      rpcUrl: chains.og.rpcUrl,
      startBlock: chains.og.startBlock,
      relays: [
        {
          address: contracts.relay.address,
          abi: "v3",
          startBlock: contracts.relay.startBlock,
          signers: [accounts.facilitator, accounts.facilitator2, accounts.exactFacilitator],
          label: "SettlementRelayV3",
        },
        {
          address: contracts.legacyRelay.address,
          abi: "v1",
          startBlock: contracts.legacyRelay.startBlock,
          signers: [accounts.facilitator],
          label: "SettlementRelayV1 (legacy)",
        },
      ],
      teeRegistries: [{ address: contracts.teeRegistry.address, startBlock: contracts.teeRegistry.startBlock }],
      walrus: { aggregator: walrus.aggregatorUrl, publisher: walrus.publisherUrl },
    },
    gateways: [
      {
        paymentAddress: accounts.payee,
        sessionIdleSeconds: DEVNET_SESSION_SECONDS.idle,
        sessionMaxSeconds: DEVNET_SESSION_SECONDS.max,
        name: "devnet gateway",
      },
    ],
  };
  return parseProfile(profile, "devnet");
}

/** Writes a profile as JSON (the devnet's to `devnet/profile.json`). */
export function writeProfile(profile: NetworkProfile, path = DEVNET_PROFILE_PATH) {
  writeFileSync(path, `${JSON.stringify(profile, null, 2)}\n`);
}
