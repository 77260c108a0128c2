// weft status: is the node up, and what state is it in.

import type { AnswerOf } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type Api, connect } from "./client.ts";

type NodeAnswer = AnswerOf<Api["node"]["$get"]>;

import { USAGE } from "./help.ts";
import { fields, print, printJson } from "./output.ts";

/** The scheduled backups in one line; a failure first, since it needs someone to act. */
function backupLine(backups: NodeAnswer["backups"]): string {
  if (!backups) return "not scheduled (set WEFT_BACKUP_DIR; weft backup --out <file> makes one now)";
  if (backups.failure) return `FAILED at ${backups.failure.at}: ${backups.failure.message}`;
  const last = backups.last ? `last ${backups.last.at} (${backups.last.file})` : "none yet";
  return `every ${backups.every} to ${backups.dir}, keeping ${backups.keep}; ${last}`;
}

export async function statusCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.status, args, { json: { type: "boolean" } });
  expectArgs(USAGE.status, positionals, []);
  const client = connect(env);
  const node = await client.call((api) => api.node.$get());
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
