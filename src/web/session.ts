// Who is signed in, and proof that a form came from our own page.
// - The session cookie holds a random token; the database holds its hash.
// - Every form of a signed-in person carries the session's CSRF secret.
// - Sign-in and set-up forms (no session yet) carry an HMAC of a random value
//   kept in a short-lived cookie, so a forged form from elsewhere lacks it.
// - On top, Hono's csrf() refuses form posts whose Origin is not ours.
import { createHmac, randomBytes } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { ActionContext } from "../actions/context.ts";
import { type Actor, can, type PersonRow } from "../actions/people.ts";
import { currentSession, type SessionRow } from "../actions/sessions.ts";
import { sameSecret } from "../domain/passwords.ts";

export interface WorkspaceDeps extends ActionContext {
  /** The node's secret (src/secret.ts), keying the sign-in form tokens. */
  secret: string;
}

export interface WorkspaceEnv {
  Variables: {
    deps: WorkspaceDeps;
    person: PersonRow;
    session: SessionRow;
    actor: Actor;
    /** The token this request's forms carry. */
    csrfToken: string;
  };
}

export type WorkspaceContext = Context<WorkspaceEnv>;

/** Answers a refused form with the page that explains it. */
export type Refuse = (c: WorkspaceContext) => Promise<Response>;

export const SESSION_COOKIE = "weft_session";
const PRE_COOKIE = "weft_form";
const FLASH_COOKIE = "weft_flash";

function cookieOptions(c: WorkspaceContext, maxAge?: number) {
  return {
    path: "/",
    httpOnly: true,
    sameSite: "Lax" as const,
    secure: c.get("deps").services.config.origin.startsWith("https:"),
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

export function setSessionCookie(c: WorkspaceContext, token: string): void {
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c));
}

export function clearSessionCookie(c: WorkspaceContext): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

/** A message shown once, on the next page (after a redirect). */
export interface Flash {
  message: string;
  kind?: "ok" | "error";
  /** A secret to show once (a set-up link), with its label. */
  secret?: { label: string; value: string };
}

export function setFlash(c: WorkspaceContext, flash: Flash): void {
  setCookie(c, FLASH_COOKIE, encodeURIComponent(JSON.stringify(flash)), cookieOptions(c, 120));
}

export function takeFlash(c: WorkspaceContext): Flash | undefined {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return undefined;
  deleteCookie(c, FLASH_COOKIE, cookieOptions(c));
  try {
    const flash = JSON.parse(decodeURIComponent(raw)) as Flash;
    return typeof flash.message === "string" ? flash : undefined;
  } catch {
    return undefined;
  }
}

/** The token for sign-in and set-up forms, bound to a cookie made here when missing. */
export function preSessionToken(c: WorkspaceContext): string {
  let value = getCookie(c, PRE_COOKIE);
  if (!value || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    value = randomBytes(32).toString("base64url");
    setCookie(c, PRE_COOKIE, value, cookieOptions(c, 3600));
  }
  return formTokenFor(c, value);
}

function formTokenFor(c: WorkspaceContext, value: string): string {
  return createHmac("sha256", c.get("deps").secret).update(`form:${value}`).digest("base64url");
}

function validPreSessionToken(c: WorkspaceContext, token: string): boolean {
  const value = getCookie(c, PRE_COOKIE);
  return Boolean(value) && sameSecret(token, formTokenFor(c, value as string));
}

/** The request's form fields as strings (files and repeats ignored). */
export async function formFields(c: WorkspaceContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody().catch(() => ({}));
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/** Every form post passes Hono's origin check, or gets the explaining 403 page. */
export function originCheck(refuse: Refuse): MiddlewareHandler<WorkspaceEnv> {
  const check = csrf({ origin: (origin, c) => origin === (c as WorkspaceContext).get("deps").services.config.origin });
  return async (c, next) => {
    let passed = false;
    try {
      await check(c, async () => {
        passed = true;
      });
    } catch {
      return refuse(c);
    }
    if (passed) await next();
  };
}

/** For /login and /setup: a form post must carry the cookie-bound token. */
export function preSessionForms(refuse: Refuse): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    if (c.req.method === "POST") {
      const { _csrf } = await formFields(c);
      if (!_csrf || !validPreSessionToken(c, _csrf)) return refuse(c);
    }
    await next();
  };
}

/**
 * For /app/*: no live session sends the person to /login (then back); a
 * form post must carry the session's CSRF secret.
 */
export function requireSession(refuse: Refuse): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    const token = getCookie(c, SESSION_COOKIE);
    const found = token ? await currentSession(c.get("deps"), token) : undefined;
    if (!found) {
      if (token) clearSessionCookie(c);
      const url = new URL(c.req.url);
      const next = c.req.method === "GET" ? `${url.pathname}${url.search}` : "/app";
      return c.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    }
    if (c.req.method === "POST") {
      const { _csrf } = await formFields(c);
      if (!_csrf || !sameSecret(_csrf, found.session.csrfSecret)) return refuse(c);
    }
    c.set("person", found.person);
    c.set("session", found.session);
    c.set("actor", { role: found.person.role, personId: found.person.id });
    c.set("csrfToken", found.session.csrfSecret);
    await next();
  };
}

/** Only a path on this node (no `//elsewhere`), for ?next= after sign-in. */
export function safeNext(next: string | undefined): string {
  return next && /^\/app(\/|$|\?)/.test(next) ? next : "/app";
}

/** The client's address, for the sign-in rate limit. */
export function clientAddress(c: WorkspaceContext): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? "unknown";
}

const ROLE_REFUSALS = {
  act: "Your role in this workspace is viewer: you can read everything but not change it. Ask an owner of this workspace to make you a member. Nothing was changed.",
  manage:
    "Only an owner of this workspace can do this (people, API tokens, the profile, hubs and crawls). Ask an owner. Nothing was changed.",
} as const;

/**
 * Guards the form posts of a section: a person whose role does not allow
 * `what` gets the 403 page saying why, whatever the form. Pages also hide
 * the buttons; this is what holds when a form is forged.
 */
export function allowOnly(
  what: "act" | "manage",
  refuse: (c: WorkspaceContext, reason: string) => Promise<Response>,
): MiddlewareHandler<WorkspaceEnv> {
  return async (c, next) => {
    if (c.req.method === "POST" && !can(c.get("person").role, what)) return refuse(c, ROLE_REFUSALS[what]);
    await next();
  };
}
