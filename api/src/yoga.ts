import { maxAliasesPlugin } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthPlugin } from "@escape.tech/graphql-armor-max-depth";
import { maxTokensPlugin } from "@escape.tech/graphql-armor-max-tokens";
import { createYoga as createGraphQLYoga, isAsyncIterable, type Plugin } from "graphql-yoga";
import { type Context, createContext } from "./context";
import type { Db, Tables } from "./db";
import { documentCache } from "./documentCache";
import { BadInputError } from "./errors";
import { DEFAULT_LIMITS, type Limits } from "./limits";
import { createReceiptFeed } from "./live";
import { apiMetrics } from "./metrics";
import { createApiSchema } from "./schema";

export type YogaOptions = {
  /** A read-only drizzle database over the indexer's tables (Ponder's `db` from "ponder:api", or node-postgres). */
  db: Db;
  /** The indexer's tables; inside Ponder pass `ponder:schema`, whose tables carry the indexer's database schema. */
  tables: Tables;
  limits?: Partial<Limits>;
  /** Hide internal errors' messages ("Unexpected error."); defaults to NODE_ENV === "production". */
  maskedErrors?: boolean;
  /** The path yoga answers on. */
  graphqlEndpoint?: string;
};

/** Requests with this header get `extensions.sqlQueries`: how many SQL statements the operation ran. */
export const SQL_COUNT_HEADER = "x-sql-count";

/**
 * graphql-armor builds its errors with its own copy of graphql, which yoga would not recognize (and so mask); each
 * rejection is re-raised as a BadInputError with a code instead.
 */
function rejectAs(code: "DEPTH_LIMIT" | "TOKEN_LIMIT" | "ALIAS_LIMIT") {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: { reportError: (error: never) => void } | null, error: Error) => {
        const ours = new BadInputError(error.message.replace(/^Syntax Error: /, ""), { code });
        if (context) context.reportError(ours as never);
        else throw ours;
      },
    ],
  };
}

/**
 * graphql-armor's token limit parses with graphql's parser from its own copy of graphql, so a syntax error is a
 * GraphQLError yoga does not recognize: it would answer 500 "Unexpected error.". Re-raised as bad input with a code.
 */
const syntaxErrorPlugin: Plugin = {
  onParse: ({ parseFn, setParseFn }) => {
    setParseFn((source, options) => {
      try {
        return parseFn(source, options);
      } catch (error) {
        if (error instanceof BadInputError || !(error instanceof Error) || error.name !== "GraphQLError") throw error;
        throw new BadInputError(error.message, { code: "SYNTAX_ERROR" });
      }
    });
  },
};

/**
 * yoga's GET parser calls `JSON.parse` on `variables` and `extensions` and lets a SyntaxError through, which it then
 * answers as a 500; a malformed query string is the client's fault (400).
 */
const requestParseErrorPlugin: Plugin = {
  onRequestParse: ({ requestParser, setRequestParser }) => {
    if (!requestParser) return;
    setRequestParser((async (request: Request) => {
      try {
        return await requestParser(request);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        throw new BadInputError(`The request's parameters are not valid JSON: ${error.message}`, {
          code: "BAD_REQUEST",
          status: 400,
        });
      }
    }) as typeof requestParser);
  },
};

const sqlCountPlugin: Plugin<Context & { request: Request }> = {
  onExecute: ({ args }) => {
    const ctx = args.contextValue as Context & { request: Request };
    // Only a request that asks gets a hook: the others allocate nothing here.
    if (!ctx.request?.headers.get(SQL_COUNT_HEADER)) return;
    return {
      onExecuteDone: ({ result, setResult }) => {
        if (isAsyncIterable(result)) return;
        setResult({ ...result, extensions: { ...result.extensions, sqlQueries: ctx.counter.count } });
      },
    };
  },
};

/**
 * The Settlescan GraphQL server: schema, per-request context with DataLoaders, limits and error masking.
 * @example
 * const yoga = createYoga({ db, tables: schema });
 * app.on(["GET", "POST"], "/graphql", (c) => yoga.handle(c.req.raw));
 */
export function createYoga({
  db,
  tables,
  limits: overrides = {},
  maskedErrors = process.env.NODE_ENV === "production",
  graphqlEndpoint = "/graphql",
}: YogaOptions) {
  const limits: Limits = { ...DEFAULT_LIMITS, ...overrides };
  const feed = createReceiptFeed({ db, tables });
  return createGraphQLYoga({
    schema: createApiSchema(),
    graphqlEndpoint,
    context: () => createContext({ db, tables, limits, feed }),
    maskedErrors,
    landingPage: false,
    // CORS is the host's (the Hono app's) concern.
    cors: false,
    logging: false,
    parserAndValidationCache: {
      documentCache: documentCache({
        counters: { hits: apiMetrics.documentCacheHits, misses: apiMetrics.documentCacheMisses },
      }),
      errorCache: documentCache(),
    },
    plugins: [
      maxTokensPlugin({ n: limits.maxTokens, ...rejectAs("TOKEN_LIMIT") }),
      // After the token limit, so it wraps that plugin's parser.
      syntaxErrorPlugin,
      maxDepthPlugin({
        n: limits.maxDepth,
        ignoreIntrospection: true,
        flattenFragments: true,
        ...rejectAs("DEPTH_LIMIT"),
      }),
      maxAliasesPlugin({ n: limits.maxAliases, allowList: [], ...rejectAs("ALIAS_LIMIT") }),
      requestParseErrorPlugin,
      sqlCountPlugin,
    ],
  });
}
