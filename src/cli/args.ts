// node:util parseArgs, with its errors turned into one short line that ends
// with the command's usage, and a check of the positional arguments.
import { type ParseArgsOptionsConfig, parseArgs } from "node:util";
import { UsageError } from "./errors.ts";

export function parse<O extends ParseArgsOptionsConfig>(usage: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${describe(error as Error & { code?: string })} (usage: ${usage})`);
  }
}

function describe(error: Error & { code?: string }): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? "";
  if (error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option "${option}"`;
  if (error.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (/does not take an argument/.test(error.message)) return `${option} takes no value`;
    // `--near -35.2,149.1`: a value starting with "-" looks like an option.
    if (/is ambiguous/.test(error.message)) return `${option}'s value starts with "-"; write it as ${option}=<value>`;
    return `${option} needs a value`;
  }
  return error.message;
}

/** Exactly the named positional arguments, in order. */
export function expectArgs(usage: string, positionals: string[], names: string[]): string[] {
  if (positionals.length < names.length) {
    throw new UsageError(`missing <${names[positionals.length]}> (usage: ${usage})`);
  }
  if (positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${positionals[names.length]}" (usage: ${usage})`);
  }
  return positionals;
}

export const MAX_LIMIT = 100;

/** The value of a --limit option: a page of 1 to 100. */
export function limitOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) {
    throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT} (got "${value}")`);
  }
  return String(n);
}

/**
 * The page at `cursor`; with `all`, every page from there to the end, as
 * one page (a repeated cursor ends the walk, so a confused server cannot
 * keep us looping).
 */
export async function readPages<T>(
  fetchPage: (cursor: string | undefined, limit?: string) => Promise<{ items: T[]; next: string | null }>,
  cursor: string | undefined,
  all: boolean | undefined,
): Promise<{ items: T[]; next: string | null }> {
  let page = await fetchPage(cursor, all ? String(MAX_LIMIT) : undefined);
  if (!all) return page;
  const items = [...page.items];
  const seen = new Set<string>();
  while (page.next && !seen.has(page.next)) {
    seen.add(page.next);
    page = await fetchPage(page.next, String(MAX_LIMIT));
    items.push(...page.items);
  }
  return { items, next: null };
}
