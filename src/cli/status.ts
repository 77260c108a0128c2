// weft status: is the node up, and what state is it in.
import { expectArgs, parse } from "./args.ts";
import { connect } from "./client.ts";
import { USAGE } from "./help.ts";
import { fields, print, printJson } from "./output.ts";

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
    ]),
  );
}
