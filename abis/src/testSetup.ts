import { fastKeccakReady } from "./keccak";

// Every test hashes with the WebAssembly Keccak, as the indexer does once it is loaded.
await fastKeccakReady;
