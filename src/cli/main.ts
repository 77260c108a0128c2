// The `weft` command: picks the command, runs it, and turns its failure into
// one line on stderr and an exit code (see errors.ts).
import "../node-version.ts";
import { ConfigError } from "../config.ts";
import { backupCommand, restoreCommand } from "./backup.ts";
import { crawlCommand } from "./crawl.ts";
import { allowCommand, blockCommand, disallowCommand, domainsCommand, unblockCommand } from "./domains.ts";
import { CliError, UsageError } from "./errors.ts";
import { followCommand, followersCommand, followingCommand, unfollowCommand } from "./follows.ts";
import { HELP } from "./help.ts";
import { keysCommand } from "./keys.ts";
import { listingCommand } from "./listings.ts";
import { matchesCommand } from "./matches.ts";
import { orderCommand } from "./orders.ts";
import { print } from "./output.ts";
import { relayCommand } from "./relays.ts";
import { coopsCommand, searchCommand } from "./search.ts";
import { startCommand } from "./start.ts";
import { statusCommand } from "./status.ts";
import { timelineCommand } from "./timeline.ts";
import { tokenCommand } from "./token.ts";
import { userCommand } from "./users.ts";

type Command = (args: string[], env: NodeJS.ProcessEnv) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  start: startCommand,
  token: tokenCommand,
  follow: followCommand,
  unfollow: unfollowCommand,
  following: followingCommand,
  followers: followersCommand,
  status: statusCommand,
  listing: listingCommand,
  order: orderCommand,
  timeline: timelineCommand,
  search: searchCommand,
  coops: coopsCommand,
  relay: relayCommand,
  crawl: crawlCommand,
  matches: matchesCommand,
  user: userCommand,
  backup: backupCommand,
  restore: restoreCommand,
  block: blockCommand,
  unblock: unblockCommand,
  allow: allowCommand,
  disallow: disallowCommand,
  domains: domainsCommand,
  keys: keysCommand,
};

function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf("--");
  const options = end === -1 ? argv : argv.slice(0, end);
  return options.includes("--help") || options.includes("-h");
}

/** Runs one command line; resolves to the exit code. */
export async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || wantsHelp(argv)) {
    print(HELP);
    return 0;
  }
  try {
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new UsageError(`unknown ${name.startsWith("-") ? "option" : "command"} "${name}" (see "weft help")`);
    }
    await command(args, env);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof CliError || error instanceof ConfigError) {
      process.stderr.write(`weft: ${error.message}\n`);
      return error instanceof UsageError ? 2 : 1;
    }
    throw error;
  }
}

if (import.meta.main) process.exitCode = await run(process.argv.slice(2));
