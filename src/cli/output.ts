// Printing for people (aligned tables, "Label: value" lines) and for scripts
// (--json prints the API's JSON as it came).

export function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  print(JSON.stringify(value, null, 2));
}

/** Columns padded to their widest cell, without trailing spaces. */
export function table(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...all.map((row) => (row[column] ?? "").length)));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** `Label:  value` lines with the values aligned. */
export function fields(pairs: [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length)) + 1;
  return pairs.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`).join("\n");
}

/** A co-op's account, `coop@dyehouse.example`, from its actor URL `https://dyehouse.example/coops/coop`. */
export function account(actorUrl: string): string {
  try {
    const url = new URL(actorUrl);
    const name = url.pathname.split("/").filter(Boolean).at(-1);
    return name ? `${decodeURIComponent(name)}@${url.host}` : url.host;
  } catch {
    return actorUrl;
  }
}

/** Copy-pasteable in a shell. */
export function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The start every list command shares: the raw JSON with --json, or one
 * line when there is nothing to show. Returns true when it printed
 * everything, so the caller only draws its table otherwise.
 */
export function printedWithoutTable(
  list: { items: unknown[] },
  json: boolean | undefined,
  filtered: boolean,
  messages: { noMatch: string; empty: string },
): boolean {
  if (json) {
    printJson(list);
    return true;
  }
  if (list.items.length > 0) return false;
  print(filtered ? messages.noMatch : messages.empty);
  return true;
}
