// weft user add / list: the people who use the workspace in the browser.
// `user add` prints a one-time set-up link; the person opens it and chooses
// a password, so nobody's password passes through a terminal or a log.

import type { AnswerOf } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type Api, connect, refusedOptions } from "./client.ts";
import { UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { print, printJson, table } from "./output.ts";

const ROLES = ["owner", "member", "viewer"] as const;

function isRole(value: string): value is (typeof ROLES)[number] {
  return (ROLES as readonly string[]).includes(value);
}

export async function userCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action.startsWith("-")) throw new UsageError(`missing command (usage: ${USAGE.user})`);
  if (action === "add") return await addUser(rest, env);
  if (action === "list") return await listUsers(rest, env);
  throw new UsageError(`unknown command "user ${action}" (use add or list)`);
}

async function addUser(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.userAdd, args, { role: { type: "string" }, json: { type: "boolean" } });
  const [email] = expectArgs(USAGE.userAdd, positionals, ["email"]) as [string];
  if (values.role === undefined) throw new UsageError(`missing --role (usage: ${USAGE.userAdd})`);
  const role = values.role;
  if (!isRole(role)) {
    throw new UsageError(`--role must be owner, member or viewer (got "${values.role}")`);
  }
  let invitation: AnswerOf<Api["people"]["$post"]>;
  try {
    invitation = await connect(env).call((api) => api.people.$post({ json: { email, role } }));
  } catch (error) {
    throw refusedOptions(error, "invitation", { email: "the email", role: "--role" });
  }
  if (values.json) {
    printJson(invitation);
    return;
  }
  print(`Invited ${invitation.email} as ${invitation.role}. Send them this one-time link to choose a password:`);
  print();
  print(`  ${invitation.setupUrl}`);
  print();
  print(`It works once, until ${new Date(invitation.expiresAt).toUTCString()}.`);
}

async function listUsers(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.userList, args, { json: { type: "boolean" } });
  expectArgs(USAGE.userList, positionals, []);
  const list = await connect(env).call((api) => api.people.$get());
  if (values.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print(`Nobody has an account yet; invite the first owner with "weft user add EMAIL --role owner".`);
    return;
  }
  print(
    table(
      ["EMAIL", "NAME", "ROLE", "SINCE"],
      list.items.map((p) => [p.email, p.name, p.role, p.createdAt.slice(0, 10)]),
    ),
  );
}
