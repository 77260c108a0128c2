// Who may talk to us: the block and allow rules on other servers, and the
// one test every edge asks (the inbox, deliveries, following, the hub) —
// "may this address talk to us?". A rule names a host (covering its
// sub-domains and every port) or host:port (that port only: on one machine,
// as in the tests, several nodes share a host). A block always wins; with
// WEFT_FEDERATION=allowlist a server needs an allow rule as well.
import { asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import { type DomainRuleRow, domainRules } from "../db/schema.ts";

export type DomainRuleKind = DomainRuleRow["kind"];

/**
 * The rule's key for what a person typed: `coop.example`, `coop.example:8443`,
 * `https://coop.example/coops/knit` or `knit@coop.example` all name a
 * server. Null when it names none.
 */
export function normaliseDomain(text: string): string | null {
  let value = text.trim().toLowerCase();
  if (!value) return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(value)) {
    try {
      value = new URL(value).host;
    } catch {
      return null;
    }
  }
  value = value.replace(/^@?[^@/]+@/, "").replace(/\/.*$/, "");
  if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/.test(value)) {
    // An internationalised name: the URL parser turns it into its ASCII form.
    try {
      value = new URL(`http://${value}`).host;
    } catch {
      return null;
    }
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:[0-9]{1,5})?$/.test(value)) return null;
  }
  const host = value.replace(/:[0-9]+$/, "");
  if (host.startsWith(".") || host.endsWith(".") || host.includes("..") || !/[a-z0-9\]]/.test(host)) return null;
  return value;
}

/** The rule keys that could cover an address: host:port, host, then each parent domain. */
function keysFor(address: URL): string[] {
  const keys = [address.host, address.hostname];
  if (!address.hostname.startsWith("[")) {
    const labels = address.hostname.split(".");
    for (let i = 1; i < labels.length - 1; i++) keys.push(labels.slice(i).join("."));
  }
  return [...new Set(keys)];
}

export async function listDomainRules(db: Database): Promise<DomainRuleRow[]> {
  return await db.select().from(domainRules).orderBy(asc(domainRules.kind), asc(domainRules.domain));
}

/** Blocks or allows a domain; a later rule for the same domain replaces the earlier one. */
export async function setDomainRule(
  db: Database,
  rule: { domain: string; kind: DomainRuleKind; note: string | null },
): Promise<DomainRuleRow> {
  const [row] = await db
    .insert(domainRules)
    .values(rule)
    .onConflictDoUpdate({
      target: domainRules.domain,
      set: { kind: rule.kind, note: rule.note, createdAt: new Date() },
    })
    .returning();
  return row as DomainRuleRow;
}

export async function getDomainRule(db: Database, domain: string): Promise<DomainRuleRow | undefined> {
  const [row] = await db.select().from(domainRules).where(eq(domainRules.domain, domain));
  return row;
}

export async function removeDomainRule(db: Database, domain: string): Promise<void> {
  await db.delete(domainRules).where(eq(domainRules.domain, domain));
}

/**
 * Why an address may not talk to us, or null when it may. One primary-key
 * lookup, so the inbox can ask before it parses or checks anything.
 */
export async function refusalOf(
  db: Database,
  mode: Config["federation"],
  address: URL | string,
): Promise<"blocked" | "not allowed" | null> {
  let url: URL;
  try {
    url = typeof address === "string" ? new URL(address) : address;
  } catch {
    return null;
  }
  const rules = await db
    .select({ kind: domainRules.kind })
    .from(domainRules)
    .where(inArray(domainRules.domain, keysFor(url)));
  if (rules.some((r) => r.kind === "block")) return "blocked";
  if (mode === "allowlist" && !rules.some((r) => r.kind === "allow")) return "not allowed";
  return null;
}

/** Whether an address has an allow rule (the hub's `allowlist` admission). */
export async function isAllowedDomain(db: Database, address: URL): Promise<boolean> {
  return (await refusalOf(db, "allowlist", address)) === null;
}

/**
 * A condition for listing queries: the author's server is not blocked (the
 * same matching as keysFor, in SQL: host:port, host, or a parent domain).
 */
export function notFromBlockedDomain(authorIri: SQL | SQL.Aliased | { getSQL(): SQL }): SQL {
  const host = sql`substring(${authorIri} from '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/?#]+)')`;
  const hostname = sql`regexp_replace(${host}, ':[0-9]+$', '')`;
  return sql`not exists (select 1 from ${domainRules} where ${domainRules.kind} = 'block' and (${domainRules.domain} = lower(${host}) or ${domainRules.domain} = lower(${hostname}) or lower(${hostname}) like '%.' || ${domainRules.domain}))`;
}
