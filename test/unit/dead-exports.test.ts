// An export nobody imports is dead code that looks alive: every function,
// constant and class that domain/, federation/ and http/ export must be used
// by another file (of src/, test/ or bench/); what only its own file uses is
// not exported.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "../..");
const CHECKED = ["src/domain", "src/federation", "src/http"];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

describe("exports", () => {
  it("are used outside their own file", () => {
    const files = ["src", "test", "bench"].flatMap((d) => tsFiles(join(ROOT, d)));
    const text = new Map(files.map((f) => [f, readFileSync(f, "utf8")]));
    const dead: string[] = [];
    for (const file of files.filter((f) => CHECKED.some((d) => f.startsWith(join(ROOT, d))))) {
      const source = text.get(file) as string;
      for (const [, name] of source.matchAll(/^export (?:async )?(?:function|const|class) (\w+)/gm)) {
        const word = new RegExp(`\\b${name}\\b`);
        const used = files.some((other) => other !== file && word.test(text.get(other) as string));
        if (!used) dead.push(`${relative(ROOT, file)}: ${name}`);
      }
    }
    expect(dead).toEqual([]);
  });
});
