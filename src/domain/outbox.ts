// What this node sent, kept for the actor's outbox collection.
import { and, count, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { type Audience, type OutboxActivityRow, outboxActivities } from "../db/schema.ts";
import { isPublic, PUBLIC_IRI } from "./audience.ts";

const AUDIENCE_KEYS = ["to", "cc", "bto", "bcc", "audience"];

/**
 * Compacted JSON-LD writes the public collection as "as:Public"; readers
 * that compare strings expect the full IRI, as sent activities carry it.
 */
function withFullPublicIri(activity: Record<string, unknown>): Record<string, unknown> {
  const fix = (v: unknown) => (typeof v === "string" && isPublic(v) ? PUBLIC_IRI : v);
  const walk = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(o).map(([k, v]) => {
        if (AUDIENCE_KEYS.includes(k)) return [k, Array.isArray(v) ? v.map(fix) : fix(v)];
        if (v && typeof v === "object" && !Array.isArray(v) && k === "object")
          return [k, walk(v as Record<string, unknown>)];
        return [k, v];
      }),
    );
  return walk(activity);
}

export async function recordSentActivity(
  db: Database,
  entry: { iri: string; type: string; audience: Audience; recipients?: string[]; activity: Record<string, unknown> },
): Promise<void> {
  // Set here, not by now(): JS dates carry milliseconds, and the outbox cursor
  // compares them with what it read back.
  await db
    .insert(outboxActivities)
    .values({ ...entry, activity: withFullPublicIri(entry.activity), publishedAt: new Date() })
    .onConflictDoNothing();
}

/**
 * A page of the outbox as `viewer` may see it: public activities for
 * everyone, followers-only ones for accepted followers, direct ones for
 * their recipients. Keyset cursor: `<published ISO>|<id>` of the last item.
 */
export async function visibleOutboxPage(
  db: Database,
  viewer: { iri: string; follower: boolean } | null,
  cursor: string | null,
  limit: number,
): Promise<{ items: OutboxActivityRow[]; next: string | null }> {
  let after: SQL | undefined;
  if (cursor) {
    const [published, id] = cursor.split("|");
    const date = new Date(published ?? "");
    if (id && !Number.isNaN(date.getTime())) {
      after = or(
        lt(outboxActivities.publishedAt, date),
        and(eq(outboxActivities.publishedAt, date), lt(outboxActivities.id, id)),
      );
    }
  }
  const rows = await db
    .select()
    .from(outboxActivities)
    .where(
      and(
        or(
          eq(outboxActivities.audience, "public"),
          viewer?.follower ? eq(outboxActivities.audience, "followers") : undefined,
          viewer ? sql`${viewer.iri} = ANY(${outboxActivities.recipients})` : undefined,
        ),
        after,
      ),
    )
    .orderBy(desc(outboxActivities.publishedAt), desc(outboxActivities.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last ? `${last.publishedAt.toISOString()}|${last.id}` : null };
}

export async function countPublicOutbox(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outboxActivities).where(eq(outboxActivities.audience, "public"));
  return Number(row?.n ?? 0);
}
