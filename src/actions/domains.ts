// Use cases for who may talk to us: block a server (its activities are
// refused, nothing is delivered to it, its listings leave search, the
// timeline and matches), allow one (in allow-list mode, WEFT_FEDERATION=
// allowlist, only allowed servers follow, order or are followed), undo
// either, and list the rules.
import {
  type DomainRuleKind,
  getDomainRule,
  normaliseDomain,
  removeDomainRule,
  setDomainRule,
  listDomainRules as storedRules,
} from "../domain/domain-rules.ts";
import type { DomainRuleRow } from "../domain/records.ts";
import type { ActionContext } from "./context.ts";
import { ActionError } from "./errors.ts";

export interface DomainRuleJson {
  domain: string;
  kind: DomainRuleKind;
  note: string | null;
  createdAt: string;
}

export interface DomainRuleInput {
  /** `coop.example` (and its sub-domains, any port), `coop.example:8443`, a URL or a handle. */
  domain: string;
  note?: string | null;
}

export interface DomainRulesJson {
  /** `open` or `allowlist` (WEFT_FEDERATION). */
  mode: ActionContext["services"]["config"]["federation"];
  items: DomainRuleJson[];
}

const NOTE_MAX = 500;

function ruleJson(row: DomainRuleRow): DomainRuleJson {
  return { domain: row.domain, kind: row.kind, note: row.note, createdAt: row.createdAt.toISOString() };
}

function domainOf(weft: ActionContext, text: string): string {
  const domain = normaliseDomain(text);
  if (!domain) {
    const message = "write a server's name, such as coop.example or coop.example:8443";
    throw new ActionError("invalid", `Not a server name: ${text.trim() || "(empty)"}`, [{ field: "domain", message }]);
  }
  const own = new URL(weft.services.config.origin);
  if (domain === own.host || domain === own.hostname) {
    const message = "this is this node's own address";
    throw new ActionError("invalid", `${domain} is this node's own address`, [{ field: "domain", message }]);
  }
  return domain;
}

async function setRule(weft: ActionContext, input: DomainRuleInput, kind: DomainRuleKind): Promise<DomainRuleJson> {
  const domain = domainOf(weft, input.domain);
  const note = input.note?.trim() || null;
  if (note && note.length > NOTE_MAX) {
    throw new ActionError("invalid", "The note is too long", [
      { field: "note", message: `at most ${NOTE_MAX} characters` },
    ]);
  }
  return ruleJson(await setDomainRule(weft.services.db, { domain, kind, note }));
}

async function removeRule(weft: ActionContext, text: string, kind: DomainRuleKind): Promise<void> {
  const domain = domainOf(weft, text);
  const rule = await getDomainRule(weft.services.db, domain);
  if (rule?.kind !== kind) {
    const what = kind === "block" ? "blocked" : "allowed";
    throw new ActionError("not_found", `${domain} is not ${what} on this node`, [
      { field: "domain", message: `not ${what}` },
    ]);
  }
  await removeDomainRule(weft.services.db, domain);
}

/** Blocks a server (replacing an allow rule for it, if any). */
export function blockDomain(weft: ActionContext, input: DomainRuleInput): Promise<DomainRuleJson> {
  return setRule(weft, input, "block");
}

export function unblockDomain(weft: ActionContext, domain: string): Promise<void> {
  return removeRule(weft, domain, "block");
}

/** Allows a server (replacing a block rule for it, if any). */
export function allowDomain(weft: ActionContext, input: DomainRuleInput): Promise<DomainRuleJson> {
  return setRule(weft, input, "allow");
}

export function disallowDomain(weft: ActionContext, domain: string): Promise<void> {
  return removeRule(weft, domain, "allow");
}

/** The rules, blocks first, and the mode they are read in. */
export async function listDomainRules(weft: ActionContext): Promise<DomainRulesJson> {
  return { mode: weft.services.config.federation, items: (await storedRules(weft.services.db)).map(ruleJson) };
}
