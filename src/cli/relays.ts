// weft relay add / list / remove: the relays (regional hubs) this co-op
// joined. A relay passes its members' public listings to every other member.
// weft relay members / approve / reject: the members of this node's own hub.
import type { Relay } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type ApiClient, connect } from "./client.ts";
import { CliError, UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { account, print, printJson, table } from "./output.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const ACTIONS: Record<string, (args: string[], env: NodeJS.ProcessEnv) => Promise<void>> = {
  add: addRelay,
  list: listRelays,
  remove: removeRelay,
  members: listMembers,
  approve: answerMember("approve"),
  reject: answerMember("reject"),
};

export async function relayCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [action, ...rest] = args;
  if (action === undefined || action.startsWith("-")) throw new UsageError(`missing command (usage: ${USAGE.relay})`);
  const command = Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
  if (!command)
    throw new UsageError(`unknown command "relay ${action}" (use add, list, remove, members, approve or reject)`);
  await command(rest, env);
}

async function addRelay(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.relayAdd, args, { json: { type: "boolean" } });
  const [target] = expectArgs(USAGE.relayAdd, positionals, ["relay@host-or-actor-URL"]) as [string];
  const isUrl = /^https?:\/\//i.test(target);
  const handle = target.replace(/^(acct:)?@?/, "");
  if (!isUrl && !/^[^@\s/]+@[^@\s/]+$/.test(handle)) {
    throw new UsageError(`"${target}" is neither a relay@host handle nor an actor URL (usage: ${USAGE.relayAdd})`);
  }
  const body = isUrl ? { actor: target } : { handle };
  const relay = await connect(env).call((api) => api.relays.$post({ json: body }));
  if (values.json) {
    printJson(relay);
    return;
  }
  print(`Asked to join relay ${account(relay.actor)}; pending until it accepts (see "weft relay list").`);
}

async function listRelays(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.relayList, args, { json: { type: "boolean" } });
  expectArgs(USAGE.relayList, positionals, []);
  const list = await connect(env).call((api) => api.relays.$get());
  if (values.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('This co-op has joined no relay; join one with "weft relay add relay@hub.example".');
    return;
  }
  const rows = list.items.map((r) => [r.id, r.state, account(r.actor), r.createdAt.slice(0, 10), r.actor]);
  print(table(["ID", "STATE", "RELAY", "SINCE", "ACTOR"], rows));
}

async function removeRelay(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals } = parse(USAGE.relayRemove, args, {});
  const [target] = expectArgs(USAGE.relayRemove, positionals, ["id-or-actor-URL"]) as [string];
  const client = connect(env);
  const relay = await findRelay(client, target);
  const id = encodeURIComponent(relay?.id ?? target);
  await client.call((api) => api.relays[":id"].$delete({ param: { id } }));
  print(`Left relay ${relay ? account(relay.actor) : target}; it no longer passes listings to this co-op.`);
}

/** The relay by id, actor URL or relay@host; an id not in the list is left for the node to refuse. */
async function findRelay(client: ApiClient, target: string): Promise<Relay | undefined> {
  const { items } = await client.call((api) => api.relays.$get());
  const handle = target.replace(/^(acct:)?@?/, "").toLowerCase();
  const found = items.find((r) => r.id === target || r.actor === target || account(r.actor).toLowerCase() === handle);
  if (found || UUID.test(target)) return found;
  throw new CliError(`this co-op has not joined ${target} (see "weft relay list")`);
}

async function listMembers(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.relayMembers, args, { json: { type: "boolean" } });
  expectArgs(USAGE.relayMembers, positionals, []);
  const list = await connect(env).call((api) => api.relay.members.$get());
  if (values.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print("This node's hub has no members (or the node runs no hub: WEFT_RELAY=on starts one).");
    return;
  }
  const rows = list.items.map((m) => [m.state, account(m.actor), m.createdAt.slice(0, 10), m.actor]);
  print(table(["STATE", "MEMBER", "SINCE", "ACTOR"], rows));
}

function answerMember(answer: "approve" | "reject") {
  const usage = answer === "approve" ? USAGE.relayApprove : USAGE.relayReject;
  return async (args: string[], env: NodeJS.ProcessEnv): Promise<void> => {
    const { positionals } = parse(usage, args, {});
    const [actor] = expectArgs(usage, positionals, ["member-actor-URL"]) as [string];
    if (!/^https?:\/\//i.test(actor)) throw new UsageError(`"${actor}" is not an actor URL (usage: ${usage})`);
    const client = connect(env);
    if (answer === "approve") await client.call((api) => api.relay.members.approve.$post({ json: { actor } }));
    else await client.call((api) => api.relay.members.reject.$post({ json: { actor } }));
    print(
      answer === "approve"
        ? `${account(actor)} is now a member of this hub.`
        : `${account(actor)} was turned away from this hub.`,
    );
  };
}
