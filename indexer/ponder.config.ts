import { calldataSettlementRelayAbi, devnetTeeRegistryAbi, usdcAbi } from "@settlescan/abis";
import { createConfig } from "ponder";
import { networksOf } from "./src/lib/networks";

const { payment, verification } = networksOf();

// Ponder rate-limits each RPC URL on its own, starting near 20 requests/s and raising it slowly. A local node
// answers far more, so each URL is listed RPC_FAN_OUT times: that many buckets start at once, and the node, not
// the limiter, sets the pace. Lower it (RPC_FAN_OUT=1) for a metered provider.
const RPC_FAN_OUT = Number(process.env.RPC_FAN_OUT ?? 25);
const rpcOf = (url: string) => Array.from({ length: RPC_FAN_OUT }, () => url);
// Chain-time clock: one block handler call every CLOCK_INTERVAL blocks records each chain's indexed head.
const CLOCK_INTERVAL = Number(process.env.CLOCK_INTERVAL ?? 1);

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
      address: payment.usdc,
      startBlock: payment.usdcStartBlock,
      endBlock: payment.endBlock,
    },
    TeeRegistry: {
      chain: "og",
      abi: devnetTeeRegistryAbi,
      address: verification.teeRegistry,
      startBlock: verification.teeRegistryStartBlock,
      endBlock: verification.endBlock,
    },
    SettlementRelay: {
      chain: "og",
      abi: calldataSettlementRelayAbi,
      address: verification.settlementRelay,
      startBlock: verification.settlementRelayStartBlock,
      endBlock: verification.endBlock,
    },
  },
  blocks: {
    BaseClock: {
      chain: "base",
      startBlock: payment.usdcStartBlock,
      endBlock: payment.endBlock,
      interval: CLOCK_INTERVAL,
    },
    OgClock: {
      chain: "og",
      startBlock: verification.teeRegistryStartBlock,
      endBlock: verification.endBlock,
      interval: CLOCK_INTERVAL,
    },
  },
});
