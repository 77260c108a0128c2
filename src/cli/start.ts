// weft start: runs the node, exactly as `npm start` does: `node` with the
// node's V8 flags (src/node-flags.ts) on src/main.ts, in a process of its own,
// since V8 takes those flags only when a process starts.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { NODE_FLAGS } from "../node-flags.ts";
import { expectArgs, parse } from "./args.ts";
import { USAGE } from "./help.ts";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

export async function startCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals } = parse(USAGE.start, args, {});
  expectArgs(USAGE.start, positionals, []);
  const node = spawn(process.execPath, [...NODE_FLAGS, MAIN], { env, stdio: "inherit" });
  // Ctrl-C reaches both processes from the terminal; a service manager's
  // SIGTERM reaches only this one. The node stops once on either.
  const forward = (signal: NodeJS.Signals) => node.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  const [code] = (await once(node, "exit")) as [number | null, NodeJS.Signals | null];
  // The node has printed why it stopped; its exit code is ours.
  process.exit(code ?? 1);
}
