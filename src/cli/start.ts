// weft start: runs the node, exactly as `npm start` does.
import { expectArgs, parse } from "./args.ts";
import { USAGE } from "./help.ts";

export async function startCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals } = parse(USAGE.start, args, {});
  expectArgs(USAGE.start, positionals, []);
  // Imported here: the node's modules take a while to load, and the other
  // commands do not need them.
  const { main } = await import("../main.ts");
  await main(env);
}
