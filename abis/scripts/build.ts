// Compiles abis/contracts/*.sol with solc-js (offline) and writes the generated ABI and bytecode modules.
// Run with `pnpm --filter @settlescan/abis build`; src/build.test.ts fails when the checked-in files drift.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import solc from "solc";
import { BaseError } from "../src/errors";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const CONTRACTS_DIR = join(ROOT, "contracts");

/** solc settings; `appendCBOR: false` keeps the bytecode independent of comments and file paths. */
const SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  metadata: { appendCBOR: false },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
} as const;

/** Which bytecode constants `src/bytecode.ts` exports, per contract. */
const BYTECODE_EXPORTS = {
  Usdc: ["bytecode", "deployedBytecode"],
  CalldataSettlementRelay: ["bytecode"],
  DevnetTeeRegistry: ["bytecode"],
  Multicall3: ["deployedBytecode"],
  SettlementRelayV1: ["bytecode"],
  SettlementRelayV2: ["bytecode"],
  SettlementRelayV3: ["bytecode"],
  TEERegistry: ["bytecode"],
  TEEInferenceVerifier: ["bytecode"],
  // Runtime code only: the devnet installs it at the TEE precompile's address with `anvil_setCode`.
  DevnetTeeVerifier: ["deployedBytecode"],
  // Runtime code only: the devnet installs it at OPG's Base address.
  Opg: ["deployedBytecode"],
  // Deployed anywhere, then their runtime code is copied to x402's canonical proxy addresses.
  X402ExactPermit2Proxy: ["bytecode"],
  X402UptoPermit2Proxy: ["bytecode"],
} as const satisfies Record<string, readonly ("bytecode" | "deployedBytecode")[]>;

type Artifact = { abi: unknown[]; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } };
type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, Artifact>>;
};

/** The Solidity sources do not compile, or do not define the contracts the generated files need. */
export class CompileError extends BaseError {
  override name = "CompileError";
}

/**
 * Lowercases a contract name's leading word, acronyms included.
 * @example camelCase("TEERegistry") // "teeRegistry"; camelCase("SettlementRelayV1") // "settlementRelayV1"
 */
export function camelCase(name: string): string {
  // A run of capitals not followed by a lowercase letter is an acronym ("TEE" in "TEERegistry", "ERC" in "ERC20").
  const lead = /^[A-Z]+(?![a-z])/.exec(name)?.[0] ?? name.slice(0, 1);
  return lead.toLowerCase() + name.slice(lead.length);
}

/**
 * Compiles every contract and returns the generated files' contents, keyed by path relative to `abis/`.
 * @example for (const [path, text] of Object.entries(compileContracts())) writeFileSync(join(ROOT, path), text);
 */
export function compileContracts(): Record<string, string> {
  const files = readdirSync(CONTRACTS_DIR)
    .filter((file) => file.endsWith(".sol"))
    .sort();
  const sources = Object.fromEntries(
    files.map((file) => [`contracts/${file}`, { content: readFileSync(join(CONTRACTS_DIR, file), "utf8") }]),
  );
  const output: SolcOutput = JSON.parse(
    solc.compile(JSON.stringify({ language: "Solidity", sources, settings: SETTINGS })),
  );
  const problems = (output.errors ?? []).filter((error) => error.severity !== "info");
  if (problems.length > 0) {
    throw new CompileError(`solc ${solc.version()} reported:\n${problems.map((e) => e.formattedMessage).join("\n")}`);
  }

  // One generated ABI per file, for the deployable contract named like the file (but for the case of its first
  // letter: x402's contracts are named `x402…`, and their ABIs' `internalType`s carry that name). Files of shared code
  // (abstract contracts, interfaces, whose bytecode is empty) and helpers beside the named contract get none.
  const artifacts = new Map<string, Artifact>();
  for (const file of files) {
    const name = file.slice(0, -".sol".length);
    const artifact = Object.entries(output.contracts?.[`contracts/${file}`] ?? {}).find(
      ([contract]) => contract === name || contract === name[0]?.toLowerCase() + name.slice(1),
    )?.[1];
    if (artifact && artifact.evm.bytecode.object !== "") artifacts.set(name, artifact);
  }

  const generated: Record<string, string> = {};
  for (const [name, artifact] of artifacts) {
    const abiName = `${camelCase(name)}Abi`;
    generated[`src/${abiName}.ts`] =
      `${header(`contracts/${name}.sol`)}export const ${abiName} = ${JSON.stringify(artifact.abi, null, 2)} as const;\n`;
  }

  const constants = Object.entries(BYTECODE_EXPORTS).flatMap(([name, kinds]) => {
    const artifact = artifacts.get(name);
    if (!artifact)
      throw new CompileError(`Contract "${name}" was not found as a deployable contract in ${CONTRACTS_DIR}.`);
    return kinds.map((kind) => {
      const constName = `${camelCase(name)}${kind[0]?.toUpperCase()}${kind.slice(1)}`;
      return `export const ${constName}: \`0x\${string}\` = "0x${artifact.evm[kind].object}";\n`;
    });
  });
  generated["src/bytecode.ts"] = `${header(
    Object.keys(BYTECODE_EXPORTS)
      .map((n) => `contracts/${n}.sol`)
      .join(", "),
  )}${constants.join("")}`;
  return generated;
}

function header(source: string): string {
  return `// Generated by abis/scripts/build.ts from ${source} — do not edit.\n// solc ${solc.version()}, optimizer on (200 runs), evmVersion cancun.\n\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [path, text] of Object.entries(compileContracts())) {
    writeFileSync(join(ROOT, path), text);
    console.log(`wrote ${path}`);
  }
}
