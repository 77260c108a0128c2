// The use cases behind Settings (profile, API tokens) and Hubs & crawls,
// called directly as the pages call them: bad input is refused naming each
// field and stores nothing; a token made here is one the API accepts.
import { describe, expect, it } from "vitest";
import { listCrawls, startCrawl } from "../../src/actions/crawls.ts";
import { ActionError } from "../../src/actions/errors.ts";
import { editProfile, getProfile } from "../../src/actions/profile.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../../src/actions/tokens.ts";
import { verifyToken } from "../../src/auth/tokens.ts";
import { startNode } from "../support/network.ts";

async function refusal(promise: Promise<unknown>): Promise<ActionError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ActionError);
  return error as ActionError;
}

const OWNER = { role: "owner", personId: null } as const;

describe("settings and discovery use cases", () => {
  it("makes an API token for an owner only, with its name, one scope and an expiry the API honours", async () => {
    const node = await startNode();
    const { actions, deps } = node.node;
    const member = await refusal(
      createApiToken(actions, { role: "member", personId: null }, deps.secret, {
        name: "x",
        scope: "read",
        days: "7",
      }),
    );
    expect(member.kind).toBe("forbidden");

    const bad = await refusal(createApiToken(actions, OWNER, deps.secret, { name: " ", scope: "root", days: "3" }));
    expect(bad.kind).toBe("invalid");
    expect(bad.errors.map((e) => e.field)).toEqual(["name", "scope", "days"]);
    expect(await listApiTokens(actions, OWNER)).toEqual([]);

    const made = await createApiToken(actions, OWNER, deps.secret, { name: " sync ", scope: "write", days: "30" });
    expect(made).toMatchObject({ name: "sync", scopes: ["write"] });
    const claims = await verifyToken(deps.secret, node.origin, made.token);
    expect(claims?.subject).toBe("sync");
    expect([...(claims?.scopes ?? [])]).toEqual(["write"]);
    const [, payload] = made.token.split(".");
    const { exp, iat } = JSON.parse(Buffer.from(payload!, "base64url").toString());
    expect(exp - iat).toBe(30 * 86400);
    expect((await node.api("GET", "/node", undefined, { token: made.token })).status).toBe(200);

    // Listed for owners only, revoked by id; an unknown id is not found.
    expect(await listApiTokens(actions, OWNER)).toEqual([
      expect.objectContaining({ id: made.id, name: "sync", scopes: ["write"], state: "active" }),
    ]);
    expect((await refusal(listApiTokens(actions, { role: "member", personId: null }))).kind).toBe("forbidden");
    expect((await refusal(revokeApiToken(actions, OWNER, crypto.randomUUID()))).kind).toBe("not_found");
    expect((await refusal(revokeApiToken(actions, OWNER, "x"))).kind).toBe("not_found");
    expect(await revokeApiToken(actions, OWNER, made.id)).toMatchObject({ state: "revoked" });
    expect((await node.api("GET", "/node", undefined, { token: made.token })).status).toBe(401);
  });

  it("refuses a crawl out of bounds, naming each field, and starts none", async () => {
    const node = await startNode();
    const { actions } = node.node;
    const error = await refusal(startCrawl(actions, { depth: 5, maxActors: 1.5, ratePerSecond: Number.NaN }));
    expect(error.errors).toEqual([
      { field: "depth", message: "must be at most 4" },
      { field: "maxActors", message: "must be a whole number" },
      { field: "ratePerSecond", message: "must be a number" },
    ]);
    expect(await listCrawls(actions)).toEqual([]);
  });

  it("refuses a profile with a bad region or website, naming each field, and changes nothing", async () => {
    const node = await startNode();
    const { actions } = node.node;
    const before = await getProfile(actions);
    const error = await refusal(
      editProfile(actions, { name: "New name", region: "Carolina", website: "ftp://files.example" }),
    );
    expect(error.errors.map((e) => e.field)).toEqual(["region", "website"]);
    expect((await getProfile(actions)).name).toBe(before.name);
  });
});
