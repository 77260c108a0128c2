// JSON files named by --file (- for stdin), for commands that send a JSON
// object to the admin API as it is. Anything but one readable JSON object is
// a bad command line (exit code 2), and nothing is sent.
import { readFile } from "node:fs/promises";
import { text } from "node:stream/consumers";
import { UsageError } from "./errors.ts";

export interface JsonFileKind {
  /** What the file holds, for messages: "a listing". */
  noun: string;
  /** The start of such an object: `{"kind": "offer", "title": …}`. */
  example: string;
}

/** The JSON object in `path` (- for stdin); anything else is a bad command line. */
export async function readJsonFile(
  usage: string,
  path: string | undefined,
  kind: JsonFileKind,
): Promise<Record<string, unknown>> {
  if (path === undefined || path === "") throw new UsageError(`missing --file (usage: ${usage})`);
  const name = path === "-" ? "stdin" : path;
  let source: string;
  try {
    source = path === "-" ? await text(process.stdin) : await readFile(path, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${name}: ${fileFailure(error as NodeJS.ErrnoException)}`);
  }
  source = source.replace(/^\uFEFF/, "");
  if (source.trim() === "") throw new UsageError(`${name} is empty; it must hold ${kind.noun} as a JSON object`);
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new UsageError(`${name} is not valid JSON: ${(error as Error).message.replace(/\s+/g, " ")}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`${name} must hold one JSON object, such as ${kind.example}`);
  }
  return value as Record<string, unknown>;
}

/** Why a file could not be read or written, in a few words. */
export function fileFailure(error: NodeJS.ErrnoException, writing = false): string {
  if (error.code === "ENOENT") return writing ? "no such folder" : "no such file";
  if (error.code === "EISDIR") return "it is a folder";
  if (error.code === "EACCES" || error.code === "EPERM") return "permission denied";
  return error.message.replace(/\s+/g, " ");
}
