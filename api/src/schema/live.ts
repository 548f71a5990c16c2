import { and, inArray } from "drizzle-orm";
import { Repeater } from "graphql-yoga";
import type { Context } from "../context";
import { type ReceiptRow, run } from "../db";
import type { FeedEvent, ReceiptEventKind } from "../live";
import { createLoaders } from "../loaders";
import { type ReceiptFilter, receiptWhere } from "./receipt";

export const typeDefs = /* GraphQL */ `
  "What happened to a receipt."
  enum ReceiptEventKind {
    "A receipt appeared: a settlement cited it."
    CREATED
    "A receipt's state or payment changed (its payment arrived, another claim on it, a repeat settlement, a reorg)."
    CHANGED
    "A reorg took the settlement citing the receipt off its chain: it is no longer indexed (it may come back)."
    REMOVED
  }

  "A change to one receipt, as the indexer wrote it."
  type ReceiptEvent {
    "What happened."
    kind: ReceiptEventKind!
    "The receipt's id (also when it was REMOVED)."
    receiptId: ID!
    "The receipt as indexed now; null when REMOVED."
    receipt: Receipt
  }

  "Live updates, over Server-Sent Events."
  type Subscription {
    """
    New and changed receipts matching the filter, as the indexer writes them, and receipts a reorg removed (those are
    not filtered: their rows are gone). Over SSE: POST (or GET) /graphql with \`Accept: text/event-stream\`.
    """
    receiptEvents(
      "Only events of receipts matching every condition given (removals always pass); every receipt's when omitted."
      where: ReceiptFilter
    ): ReceiptEvent!
  }
`;

type ReceiptEvent = { kind: ReceiptEventKind; receiptId: string; receipt: ReceiptRow | null };

export const resolvers = {
  Subscription: {
    receiptEvents: {
      subscribe: (_: unknown, { where }: { where?: ReceiptFilter | null }, ctx: Context) => {
        if (!ctx.feed) throw new Error("This server has no live feed.");
        // Checked now, so a bad filter fails the subscription instead of every event.
        receiptWhere(ctx, where);
        const feed = ctx.feed;
        return new Repeater<ReceiptEvent>(async (push, stop) => {
          const stopListening = feed.listen(async (events: FeedEvent[]) => {
            for (const { id } of events.filter((e) => e.kind === "REMOVED"))
              await push({ kind: "REMOVED", receiptId: id, receipt: null });
            const kinds = new Map(events.filter((e) => e.kind !== "REMOVED").map((e) => [e.id, e.kind]));
            if (kinds.size === 0) return;
            const rows = await run(
              ctx.counter,
              ctx.db
                .select()
                .from(ctx.tables.receipt)
                .where(and(inArray(ctx.tables.receipt.id, [...kinds.keys()]), receiptWhere(ctx, where))),
            ).catch(() => []);
            for (const receipt of rows) await push({ kind: kinds.get(receipt.id)!, receiptId: receipt.id, receipt });
          });
          await stop;
          stopListening();
        });
      },
      // Each event is resolved with fresh loaders: a subscription lives long, and cached rows would go stale.
      resolve: (event: ReceiptEvent, _: unknown, ctx: Context) => {
        ctx.loaders = createLoaders({ db: ctx.db, tables: ctx.tables, counter: ctx.counter });
        return event;
      },
    },
  },
};
