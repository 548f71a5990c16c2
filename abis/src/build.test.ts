import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { camelCase, compileContracts } from "../scripts/build";

test("behavior: generated ABI and bytecode files match the Solidity sources", { timeout: 120_000 }, () => {
  const generated = compileContracts();
  expect(Object.keys(generated).sort()).toMatchInlineSnapshot(`
    [
      "src/bytecode.ts",
      "src/calldataSettlementRelayAbi.ts",
      "src/devnetTeeRegistryAbi.ts",
      "src/devnetTeeVerifierAbi.ts",
      "src/multicall3Abi.ts",
      "src/opgAbi.ts",
      "src/settlementRelayV1Abi.ts",
      "src/settlementRelayV2Abi.ts",
      "src/settlementRelayV3Abi.ts",
      "src/teeInferenceVerifierAbi.ts",
      "src/teeRegistryAbi.ts",
      "src/usdcAbi.ts",
      "src/x402ExactPermit2ProxyAbi.ts",
      "src/x402UptoPermit2ProxyAbi.ts",
    ]
  `);
  for (const [path, text] of Object.entries(generated)) {
    const file = join(import.meta.dirname, "..", path);
    const checkedIn = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    expect(checkedIn === text, `abis/${path} is stale: run \`pnpm --filter @settlescan/abis build\`.`).toBe(true);
  }
});

test("behavior: generated names lowercase a leading acronym", () => {
  expect(
    ["TEERegistry", "TEEInferenceVerifier", "SettlementRelayV1", "DevnetTeeVerifier", "Usdc", "ERC20", "X"].map(
      camelCase,
    ),
  ).toEqual(["teeRegistry", "teeInferenceVerifier", "settlementRelayV1", "devnetTeeVerifier", "usdc", "erc20", "x"]);
});
