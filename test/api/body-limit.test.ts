// The 1 MB body limit counts the bytes actually read: a chunked body (no
// Content-Length) is held to it on the API and on the inboxes, with a 413
// problem, and a small chunked body still goes through.
import { describe, expect, it } from "vitest";
import { expectStatus, reply } from "../support/api.ts";
import { startNode } from "../support/network.ts";

/**
 * A POST whose body is streamed in 64 KiB chunks, so it goes out chunked,
 * without Content-Length: raw fetch, as hono/client sends its JSON whole.
 */
async function postStreamed(url: URL, text: string, headers: Record<string, string>): Promise<Response> {
  const bytes = new TextEncoder().encode(text);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 65_536) controller.enqueue(bytes.subarray(i, i + 65_536));
      controller.close();
    },
  });
  return await fetch(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

const listing = { kind: "offer", title: "Jersey", category: "textile/fabric/knit" };

describe("request body limit", () => {
  it("refuses a chunked body over 1 MB on the API and the inboxes, takes a small one", async () => {
    const node = await startNode();
    const api = new URL("/api/v1/listings", node.origin);
    const headers = { authorization: `Bearer ${await node.token()}`, "content-type": "application/json" };
    const huge = JSON.stringify({ ...listing, description: "x".repeat(1_200_000) });

    const tooLarge = await postStreamed(api, huge, headers);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get("content-type")).toBe("application/problem+json");
    expect(await tooLarge.json()).toMatchObject({ status: 413, detail: "Bodies are limited to 1000000 bytes" });
    const stored = await reply(node.client().listings.$get({ query: {} }));
    expectStatus(stored, 200);
    expect(stored.body.items).toEqual([]);

    const small = await postStreamed(api, JSON.stringify(listing), headers);
    expect(small.status).toBe(201);
    expect(await small.json()).toMatchObject({ title: "Jersey" });

    const activity = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      type: "Create",
      actor: "https://elsewhere.example/coops/coop",
      object: { type: "Note", content: "x".repeat(1_200_000) },
    });
    for (const inbox of [`/coops/${node.handle}/inbox`, "/inbox"]) {
      const response = await postStreamed(new URL(inbox, node.origin), activity, {
        "content-type": "application/activity+json",
      });
      expect(response.status, inbox).toBe(413);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
    }
  });
});
