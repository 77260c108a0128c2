// weft status: is the node up, and what state is it in.
import { expectArgs, parse } from "./args.ts";
import { connect } from "./client.ts";
import { USAGE } from "./help.ts";
import { fields, print, printJson } from "./output.ts";

interface NodeStatus {
  name: string;
  account: string;
  actor: string;
  followApproval: "auto" | "manual";
  software: { name: string; version: string };
  database: string;
  counts: { followers: number; pendingFollowers: number; following: number };
  queue: { queued: number; ready: number; delayed: number };
  backups: {
    dir: string;
    every: string;
    keep: number;
    last: { at: string; file: string } | null;
    failure: { at: string; message: string } | null;
  } | null;
}

/** The scheduled backups in one line; a failure first, since it needs someone to act. */
function backupLine(backups: NodeStatus["backups"]): string {
  if (!backups) return "not scheduled (set WEFT_BACKUP_DIR; weft backup --out <file> makes one now)";
  if (backups.failure) return `FAILED at ${backups.failure.at}: ${backups.failure.message}`;
  const last = backups.last ? `last ${backups.last.at} (${backups.last.file})` : "none yet";
  return `every ${backups.every} to ${backups.dir}, keeping ${backups.keep}; ${last}`;
}

export async function statusCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.status, args, { json: { type: "boolean" } });
  expectArgs(USAGE.status, positionals, []);
  const client = connect(env);
  const node = await client.get<NodeStatus>("/node");
  if (values.json) {
    printJson(node);
    return;
  }
  const { counts, queue } = node;
  print(
    fields([
      ["Name", node.name],
      ["Account", node.account],
      ["Actor", node.actor],
      ["API", client.baseUrl],
      ["Software", `${node.software.name} ${node.software.version}`],
      ["Database", node.database],
      ["Followers", `${counts.followers} (${counts.pendingFollowers} waiting for approval)`],
      ["Following", String(counts.following)],
      ["Approval", node.followApproval === "manual" ? "manual (weft followers approve)" : "automatic"],
      ["Queue", `${queue.queued} to deliver (${queue.ready} ready, ${queue.delayed} waiting to retry)`],
      ["Backups", backupLine(node.backups)],
    ]),
  );
}
