import { Hono } from "hono";

// Ponder requires an API file; the floor serves only Ponder's own /status, /metrics, /health and /ready.
export default new Hono();
