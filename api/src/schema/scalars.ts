import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function secondsOf(value: unknown): bigint {
  if (typeof value !== "string" || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value)))
    throw new GraphQLError(
      `DateTime ${JSON.stringify(value)} is not an ISO 8601 date-time with a time zone, e.g. "2026-01-01T00:00:00Z".`,
    );
  return BigInt(Math.floor(Date.parse(value) / 1000));
}

/** Chain time: block timestamps (seconds) out as ISO 8601 UTC, ISO 8601 with a zone in. */
export const DateTime = new GraphQLScalarType<bigint, string>({
  name: "DateTime",
  description: "An instant, ISO 8601 with a time zone (e.g. `2026-01-01T00:00:00Z`); chain time has whole seconds.",
  serialize: (value) => new Date(Number(value) * 1000).toISOString(),
  parseValue: secondsOf,
  parseLiteral: (ast) => secondsOf(ast.kind === Kind.STRING ? ast.value : undefined),
});

const UINT = /^[0-9]{1,78}$/;

function uintOf(value: unknown): bigint {
  if (typeof value === "string" && UINT.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new GraphQLError(`BigInt ${JSON.stringify(value)} is not a whole number as a decimal string, e.g. "1500000".`);
}

/** A uint256 (token amounts in base units), as a decimal string so no client loses precision. */
export const BigIntScalar = new GraphQLScalarType<bigint, string>({
  name: "BigInt",
  description: 'A non-negative integer up to 2^256, as a decimal string (e.g. "1500000" is 1.5 USDC).',
  serialize: (value) => String(value),
  parseValue: uintOf,
  parseLiteral: (ast) => uintOf(ast.kind === Kind.STRING || ast.kind === Kind.INT ? ast.value : undefined),
});

export const typeDefs = /* GraphQL */ `
  scalar DateTime
  scalar BigInt
`;

export const resolvers = { DateTime, BigInt: BigIntScalar };
