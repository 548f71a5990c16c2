import type { CodegenConfig } from "@graphql-codegen/cli";

// Typed documents from the API's checked-in SDL: `pnpm --filter @settlescan/web codegen` after a schema change.
// The output (src/graphql/generated/) is checked in, so type checks and builds need no API; a test fails on drift.
const config: CodegenConfig = {
  schema: process.env.SETTLESCAN_SCHEMA ?? "../api/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/graphql/generated/**"],
  ignoreNoDocuments: false,
  generates: {
    "src/graphql/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // Plain strings on the wire: no GraphQL AST or parser in the browser bundle.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        skipTypename: true,
        scalars: { DateTime: "string", BigInt: "string" },
      },
    },
  },
};

export default config;
