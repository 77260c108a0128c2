// Finding a remote co-op's actor from a handle (coop@host[:port]) or an
// actor URL.
//
// Fedify resolves acct: handles with WebFinger over https only. A co-op
// trying Weft on one machine runs nodes on http://localhost:PORT, so handles
// on localhost and 127.0.0.1 are resolved with our own WebFinger request
// over http; everything else goes through Fedify over https.
import { type Actor, isActor } from "@fedify/vocab";
import { isLoopbackHost } from "../config.ts";
import type { WeftContext } from "./context.ts";

export class LookupError extends Error {
  readonly reason: "invalid" | "not_found" | "not_an_actor" | "refused" | "unreachable";
  constructor(reason: LookupError["reason"], message: string) {
    super(message);
    this.name = "LookupError";
    this.reason = reason;
  }
}

const HANDLE_PATTERN = /^@?([^@\s/]+)@([a-z0-9.-]+|\[[0-9a-f:]+\])(?::(\d{1,5}))?$/i;

function parseHandle(handle: string): { user: string; host: string } | null {
  const match = HANDLE_PATTERN.exec(handle.replace(/^acct:/, "").trim());
  if (!match) return null;
  const [, user, hostname, port] = match as unknown as [string, string, string, string | undefined];
  return { user, host: port ? `${hostname.toLowerCase()}:${port}` : hostname.toLowerCase() };
}

const HTTP_HANDLE_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

async function lookupLoopbackWebFinger(ctx: WeftContext, user: string, host: string): Promise<URL> {
  if (!ctx.data.config.allowPrivateAddresses) {
    throw new LookupError("refused", `${host} is a private address, which this node does not contact`);
  }
  const resource = `acct:${user}@${host}`;
  const url = new URL(`http://${host}/.well-known/webfinger`);
  url.searchParams.set("resource", resource);
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/jrd+json, application/json" },
      redirect: "manual",
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new LookupError("unreachable", `Could not reach ${host}: ${(error as Error).message}`);
  }
  if (response.status === 404) throw new LookupError("not_found", `No co-op ${resource} on ${host}`);
  if (!response.ok) throw new LookupError("unreachable", `${host} answered WebFinger with ${response.status}`);
  const jrd = (await response.json().catch(() => null)) as {
    links?: { rel?: string; type?: string; href?: string }[];
  } | null;
  const self = jrd?.links?.find(
    (l) => l.rel === "self" && typeof l.href === "string" && /activity\+json|ld\+json/.test(l.type ?? ""),
  );
  if (!self?.href) throw new LookupError("not_found", `${resource} has no ActivityPub actor`);
  return new URL(self.href);
}

async function fetchActor(ctx: WeftContext, target: string | URL, label: string): Promise<Actor> {
  let object: unknown;
  try {
    object = await ctx.lookupObject(target);
  } catch (error) {
    throw new LookupError("unreachable", `Could not fetch ${label}: ${(error as Error).message}`);
  }
  if (object === null) throw new LookupError("not_found", `${label} was not found`);
  if (!isActor(object)) throw new LookupError("not_an_actor", `${label} is not an actor`);
  return object;
}

export async function lookupActorByHandle(ctx: WeftContext, handle: string): Promise<Actor> {
  const parsed = parseHandle(handle);
  if (!parsed) throw new LookupError("invalid", `"${handle}" is not a handle like coop@example.org`);
  const hostname = parsed.host.replace(/:\d+$/, "");
  if (HTTP_HANDLE_HOSTS.has(hostname)) {
    const actorUrl = await lookupLoopbackWebFinger(ctx, parsed.user, parsed.host);
    return await fetchActor(ctx, actorUrl, `${parsed.user}@${parsed.host}`);
  }
  if (isLoopbackHost(hostname) && !ctx.data.config.allowPrivateAddresses) {
    throw new LookupError("refused", `${hostname} is a private address, which this node does not contact`);
  }
  return await fetchActor(ctx, `acct:${parsed.user}@${parsed.host}`, `${parsed.user}@${parsed.host}`);
}

export async function lookupActorByUrl(ctx: WeftContext, url: string): Promise<Actor> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LookupError("invalid", `"${url}" is not a URL`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new LookupError("invalid", `"${url}" is not an http(s) URL`);
  }
  if (isLoopbackHost(parsed.hostname) && !ctx.data.config.allowPrivateAddresses) {
    throw new LookupError("refused", `${parsed.hostname} is a private address, which this node does not contact`);
  }
  return await fetchActor(ctx, parsed, parsed.href);
}
