import { createServer, type Socket } from "node:net";
import { asc } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queueMessages } from "../../src/db/schema.ts";
import { eventually } from "../support/network.ts";
import { createSite, openSiteDatabase, type Site, SLOW, startNodeProcess } from "./process.ts";

/** The rows of the site's queue, read straight from its database (no node running on it). */
async function queueRows(site: Site) {
  const database = await openSiteDatabase(site);
  try {
    return await database.db.select().from(queueMessages).orderBy(asc(queueMessages.id));
  } finally {
    await database.close();
  }
}

describe("queued work across restarts", () => {
  it(
    "a Follow that could not be delivered yet is kept through stops and delivered later",
    async () => {
      const dyeSite = await createSite();
      const knitSite = await createSite();
      const dyeActor = `${dyeSite.origin}/coops/coop`;
      let dye = await startNodeProcess(dyeSite);

      // 1. No queue worker: the Follow is queued, and nothing sends it.
      let knit = await startNodeProcess(knitSite, { WEFT_QUEUE_WORKER: "false" });
      const sent = await knit.api("POST", "/following", { actor: dyeActor });
      expect(sent.status).toBe(202);
      expect(sent.body.state).toBe("pending");
      expect((await knit.api("GET", "/node")).body.queue).toMatchObject({ queued: 1, ready: 1 });
      expect(await knit.stop()).toEqual({ code: 0, signal: null });

      let rows = await queueRows(knitSite);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        lockedBy: null,
        lockedUntil: null,
        attempts: 0,
        orderingKey: expect.stringContaining(dyeActor),
      });
      expect(rows[0]!.message).toMatchObject({
        type: "outbox",
        activityType: "https://www.w3.org/ns/activitystreams#Follow",
        inbox: `${dyeActor}/inbox`,
        attempt: 0,
      });
      expect((await dye.api("GET", "/followers")).body.items).toEqual([]);

      // 2. The worker runs, but the followed co-op is down: the delivery fails
      //    and is queued again with a delay; a stop keeps it, unlocked.
      expect(await dye.stop()).toEqual({ code: 0, signal: null });
      knit = await startNodeProcess(knitSite);
      await eventually(async () => {
        const { queue } = (await knit.api("GET", "/node")).body;
        return queue.queued === 1 && queue.delayed === 1;
      });
      expect(await knit.stop()).toEqual({ code: 0, signal: null });

      rows = await queueRows(knitSite);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        lockedBy: null,
        lockedUntil: null,
        orderingKey: expect.stringContaining(dyeActor),
      });
      expect(rows[0]!.message).toMatchObject({ type: "outbox", inbox: `${dyeActor}/inbox` });
      expect((rows[0]!.message as { attempt: number }).attempt).toBeGreaterThanOrEqual(1);

      // 3. The followed co-op's port accepts the delivery and never answers:
      //    a stop waits a moment for the handler, then hands the message back.
      const sockets: Socket[] = [];
      const hanging = createServer((socket) => {
        sockets.push(socket);
      });
      await new Promise<void>((resolve) => hanging.listen(dyeSite.port, "127.0.0.1", resolve));
      try {
        knit = await startNodeProcess(knitSite);
        await eventually(() => sockets.length > 0);
        // The handler never finishes; the stop must not wait for it forever.
        expect(await knit.stop("SIGTERM")).toEqual({ code: 0, signal: null });
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => hanging.close(() => resolve()));
      }
      const [claimed] = await queueRows(knitSite);
      expect(claimed).toMatchObject({ id: rows[0]!.id, lockedBy: null, lockedUntil: null, attempts: 1 });

      // 4. Both back: the Follow arrives, is accepted, and the queue drains.
      dye = await startNodeProcess(dyeSite);
      knit = await startNodeProcess(knitSite);
      const following = await eventually(async () => {
        const list = await knit.api("GET", "/following");
        return list.body.items.find((f: { state: string }) => f.state === "accepted");
      });
      expect(following.actor.iri).toBe(dyeActor);
      expect(following.id).toBe(sent.body.id);
      const followers = (await dye.api("GET", "/followers")).body.items;
      expect(followers).toHaveLength(1);
      expect(followers[0]).toMatchObject({ state: "accepted", actor: { iri: `${knitSite.origin}/coops/coop` } });
      await eventually(async () => (await knit.api("GET", "/node")).body.queue.queued === 0);
      await eventually(async () => (await dye.api("GET", "/node")).body.queue.queued === 0);

      expect(await knit.stop()).toEqual({ code: 0, signal: null });
      expect(await dye.stop()).toEqual({ code: 0, signal: null });
      // Delivered exactly once: nothing left over for the next start.
      expect(await queueRows(knitSite)).toEqual([]);
    },
    // Eight starts and stops of a node process: twice the usual limit (it
    // took more than 5 minutes at load 30 on two cores).
    2 * SLOW,
  );
});
