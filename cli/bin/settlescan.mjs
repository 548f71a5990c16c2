#!/usr/bin/env node
// The `settlescan` command. It runs the TypeScript sources through tsx, so the workspace needs no build step.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
