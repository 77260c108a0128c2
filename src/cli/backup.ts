// weft backup --out FILE: saves a backup made by the running node (PGlite
// allows one process per folder, so the node makes it). weft restore FILE:
// brings one back into an empty data folder or database, before the node
// starts, in a process of its own (src/restore.ts opens the database).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { expectArgs, parse } from "./args.ts";
import { connect } from "./client.ts";
import { CliError, UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { print } from "./output.ts";

const RESTORE = fileURLToPath(new URL("../restore.ts", import.meta.url));

export async function backupCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.backup, args, { out: { type: "string" } });
  expectArgs(USAGE.backup, positionals, []);
  if (!values.out) throw new UsageError(`missing --out <file> (usage: ${USAGE.backup})`);
  const bytes = await connect(env).bytes((api) =>
    api.backup.$get(undefined, { headers: { accept: "application/gzip, application/problem+json" } }),
  );
  // It holds the co-op's private keys and API secret: readable by its owner only.
  await writeFile(values.out, bytes, { mode: 0o600, flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(
      error.code === "EEXIST"
        ? `${values.out} already exists; choose another name`
        : `cannot write ${values.out}: ${error.message}`,
    );
  });
  print(`Saved a backup of the node (${bytes.length} bytes) to ${values.out}`);
}

export async function restoreCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.restore, args, {
    "data-dir": { type: "string" },
    "database-url": { type: "string" },
  });
  const [file] = expectArgs(USAGE.restore, positionals, ["file"]);
  const target = { ...env };
  if (values["data-dir"]) target.WEFT_DATA_DIR = values["data-dir"];
  if (values["database-url"]) target.DATABASE_URL = values["database-url"];
  else if (values["data-dir"]) delete target.DATABASE_URL;
  const child = spawn(process.execPath, [RESTORE, file as string], {
    env: target,
    stdio: ["ignore", "inherit", "pipe"],
  });
  let reason = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    reason += chunk;
  });
  const [code, signal] = (await once(child, "exit")) as [number | null, NodeJS.Signals | null];
  // The restore printed its line when done; otherwise its stderr says why.
  if (code !== 0) throw new CliError(reason.trim().split("\n").at(-1) || `the restore stopped (${code ?? signal})`);
}
