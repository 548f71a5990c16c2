import type { Connection } from "../pagination";

export const typeDefs = /* GraphQL */ `
  "Relay page information: whether more rows follow, and the cursors to continue from."
  type PageInfo {
    hasNextPage: Boolean!
    "True when the page was asked for with \`after\` (rows come before it)."
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }

  enum OrderDirection {
    ASC
    DESC
  }
`;

/** Resolvers shared by every `XxxConnection` type: `totalCount` runs its query only when selected. */
export const connectionResolvers = {
  totalCount: (connection: Connection<unknown>) => connection.totalCount(),
};

export const resolvers = {};
