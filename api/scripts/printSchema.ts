// Regenerates api/schema.graphql from the code: `pnpm --filter @settlescan/api schema`.
import { writeFileSync } from "node:fs";
import { schemaSdl } from "../src/schema/sdl";

const path = new URL("../schema.graphql", import.meta.url);
writeFileSync(path, schemaSdl());
console.log(`Wrote ${path.pathname}`);
