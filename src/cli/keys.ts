// weft keys rotate: new key pairs for the co-op actor, through the running
// node (POST /api/v1/node/keys/rotate). The old keys stay published for
// WEFT_KEY_GRACE so what they signed keeps verifying; see spec/actor.md.
import { expectArgs, parse } from "./args.ts";
import { connect } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { print, printJson } from "./output.ts";

export async function keysCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = args;
  if (action !== "rotate") {
    const problem =
      action === undefined || action.startsWith("-") ? "missing command" : `unknown command "keys ${action}"`;
    throw new UsageError(`${problem} (usage: ${USAGE.keysRotate})`);
  }
  const { values, positionals } = parse(USAGE.keysRotate, rest, { json: { type: "boolean" } });
  expectArgs(USAGE.keysRotate, positionals, []);
  const rotation = await connect(env).call((api) => api.node.keys.rotate.$post());
  if (values.json) {
    printJson(rotation);
    return;
  }
  const { followers, others } = rotation.announcedTo;
  print("New keys sign from now on.");
  print(`The old keys stay published, and still verify, until ${new Date(rotation.retiringUntil).toUTCString()}.`);
  print(
    `An Update of the co-op went to ${followers} follower${followers === 1 ? "" : "s"} and ${others} other co-op${others === 1 ? "" : "s"} we follow or trade with.`,
  );
}
