// Node-only entry of @settlescan/abis ("@settlescan/abis/node"): what reads files, environments and RPCs.
export {
  BUILT_IN_PROFILE_NAMES,
  type CodeReader,
  checkSources,
  DEVNET_PROFILE_PATH,
  defaultStartBlocksCachePath,
  discoverStartBlocks,
  loadProfile,
  START_BLOCKS_CACHE_FILE,
} from "./profile";
