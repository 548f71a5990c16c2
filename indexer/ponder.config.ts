import {
  permit2SignatureTransferAbi,
  settlementRelayV1Abi,
  settlementRelayV3Abi,
  teeRegistryAbi,
  usdcAbi,
  x402UptoPermit2ProxyAbi,
} from "@settlescan/abis";
import { createConfig } from "ponder";
import { zeroAddress } from "viem";
import { indexedProfileOf } from "./src/lib/networks";

// Every chain, contract and service comes from the network profile (SETTLESCAN_NETWORK): the devnet's by default.
const { payment, verification } = await indexedProfileOf();

// Ponder rate-limits each RPC URL on its own, starting near 20 requests/s and raising it slowly. A local node
// answers far more, so each URL is listed RPC_FAN_OUT times: that many buckets start at once, and the node, not
// the limiter, sets the pace. Lower it (RPC_FAN_OUT=1) for a metered provider.
const RPC_FAN_OUT = Number(process.env.RPC_FAN_OUT ?? 25);
const rpcOf = (url: string) => Array.from({ length: RPC_FAN_OUT }, () => url);

const firstBlockOf = (contracts: { startBlock?: number }[], fallback = 0) =>
  Math.min(...contracts.map((c) => c.startBlock ?? fallback));
// v2 and v3 relays emit the same events (v3 only dropped the access control): one Ponder contract reads both.
const blobRelays = verification.relays.filter((r) => r.abi !== "v1");
const legacyRelays = verification.relays.filter((r) => r.abi === "v1");
// x402 `exact` payments in EIP-3009 tokens (USDC); Permit2 payments are read from the proxies.
const eip3009Tokens = payment.tokens.filter((t) => t.symbol === "USDC");
// Both proxies emit the same argument-less events (told apart by address): one Ponder contract reads both.
const proxies = [
  { address: payment.proxies?.exact, startBlock: payment.contractStartBlocks?.exactProxy },
  { address: payment.proxies?.upto, startBlock: payment.contractStartBlocks?.uptoProxy },
].filter((p): p is { address: `0x${string}`; startBlock: number | undefined } => p.address !== undefined);
const permit2ProxyEventsAbi = x402UptoPermit2ProxyAbi.filter(
  (item): item is Extract<(typeof x402UptoPermit2ProxyAbi)[number], { type: "event" }> => item.type === "event",
);
const permit2Events = permit2SignatureTransferAbi.filter(
  (item): item is Extract<(typeof permit2SignatureTransferAbi)[number], { type: "event" }> => item.type === "event",
);
// Ponder needs an address: a profile without Permit2 or proxies reads one block of the zero address instead.
const nowhere = { address: zeroAddress, startBlock: payment.startBlock ?? 0, endBlock: payment.startBlock ?? 0 };

export default createConfig({
  ordering: process.env.PONDER_ORDERING === "omnichain" ? "omnichain" : "multichain",
  database: process.env.DATABASE_URL
    ? { kind: "postgres", connectionString: process.env.DATABASE_URL }
    : { kind: "pglite", directory: process.env.PGLITE_DIRECTORY ?? ".ponder/pglite" },
  chains: {
    base: { id: payment.chainId, rpc: rpcOf(payment.rpcUrl), pollingInterval: 500 },
    og: { id: verification.chainId, rpc: rpcOf(verification.rpcUrl), pollingInterval: 500 },
  },
  contracts: {
    Usdc: {
      chain: "base",
      abi: usdcAbi,
      address: eip3009Tokens.map((t) => t.address),
      startBlock: payment.startBlock ?? 0,
      endBlock: payment.endBlock,
    },
    // Permit2 payments: each proxy event's settle call is decoded and checked against its token Transfer (src/Permit2.ts).
    Permit2Proxy: {
      chain: "base",
      abi: permit2ProxyEventsAbi,
      ...(proxies.length > 0
        ? {
            address: proxies.map((p) => p.address),
            startBlock: firstBlockOf(proxies, payment.startBlock ?? 0),
            endBlock: payment.endBlock,
          }
        : nowhere),
    },
    // Payers cancelling Permit2 nonces (UnorderedNonceInvalidation).
    Permit2: {
      chain: "base",
      abi: permit2Events,
      ...(payment.permit2
        ? {
            address: payment.permit2,
            startBlock: payment.contractStartBlocks?.permit2 ?? payment.startBlock ?? 0,
            endBlock: payment.endBlock,
          }
        : nowhere),
    },
    TeeRegistry: {
      chain: "og",
      abi: teeRegistryAbi,
      address: verification.teeRegistries.map((r) => r.address),
      startBlock: firstBlockOf(verification.teeRegistries),
      endBlock: verification.endBlock,
    },
    Relay: {
      chain: "og",
      abi: settlementRelayV3Abi,
      address: blobRelays.map((r) => r.address),
      startBlock: firstBlockOf(blobRelays),
      endBlock: verification.endBlock,
    },
    // Ponder needs an address: a profile without legacy relays reads one block of the zero address instead.
    RelayV1:
      legacyRelays.length > 0
        ? {
            chain: "og",
            abi: settlementRelayV1Abi,
            address: legacyRelays.map((r) => r.address),
            startBlock: firstBlockOf(legacyRelays),
            endBlock: verification.endBlock,
          }
        : {
            chain: "og",
            abi: settlementRelayV1Abi,
            address: zeroAddress,
            startBlock: firstBlockOf(blobRelays),
            endBlock: firstBlockOf(blobRelays),
          },
  },
});
