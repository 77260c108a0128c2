// weft follow / unfollow / following / followers: who this co-op follows and
// who follows it. Commands that take an id also take the co-op's handle or
// actor URL, looked up in the list, since ids are long to copy.

import type { Follower, Following } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type ApiClient, connect } from "./client.ts";
import { CliError, UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { print, printJson, table } from "./output.ts";

/** A co-op this co-op follows, or one that follows it. */
type Relationship = Following | Follower;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function label(r: Relationship): string {
  return r.actor.handle ?? r.actor.iri;
}

function printList(items: Relationship[], empty: string): void {
  if (items.length === 0) {
    print(empty);
    return;
  }
  const rows = items.map((r) => [r.id, r.state, label(r), r.createdAt.slice(0, 10), r.actor.name ?? ""]);
  print(table(["ID", "STATE", "CO-OP", "SINCE", "NAME"], rows));
}

async function findId(client: ApiClient, path: "/following" | "/followers", idOrHandle: string): Promise<string> {
  if (UUID.test(idOrHandle)) return idOrHandle;
  const handle = idOrHandle.replace(/^(acct:)?@?/, "").toLowerCase();
  const { items }: { items: Relationship[] } =
    path === "/following"
      ? await client.call((api) => api.following.$get())
      : await client.call((api) => api.followers.$get({ query: {} }));
  const found = items.find((r) => r.actor.iri === idOrHandle || r.actor.handle?.toLowerCase() === handle);
  if (found) return found.id;
  throw new CliError(
    path === "/following"
      ? `this co-op does not follow ${idOrHandle} (see "weft following")`
      : `${idOrHandle} does not follow this co-op (see "weft followers")`,
  );
}

export async function followCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.follow, args, { json: { type: "boolean" } });
  const [target] = expectArgs(USAGE.follow, positionals, ["handle-or-actor-URL"]) as [string];
  const body = /^https?:\/\//i.test(target) ? { actor: target } : { handle: target };
  const sent = await connect(env).call((api) => api.following.$post({ json: body }));
  if (values.json) {
    printJson(sent);
    return;
  }
  print(`Asked to follow ${label(sent)}; pending until it accepts (see "weft following").`);
}

export async function unfollowCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { positionals } = parse(USAGE.unfollow, args, {});
  const [target] = expectArgs(USAGE.unfollow, positionals, ["id-or-handle"]) as [string];
  const client = connect(env);
  const id = encodeURIComponent(await findId(client, "/following", target));
  await client.call((api) => api.following[":id"].$delete({ param: { id } }));
  print(`Unfollowed ${target}.`);
}

export async function followingCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.following, args, { json: { type: "boolean" } });
  expectArgs(USAGE.following, positionals, []);
  const list = await connect(env).call((api) => api.following.$get());
  if (values.json) {
    printJson(list);
    return;
  }
  printList(list.items, 'This co-op follows no one yet; follow a co-op with "weft follow coop@host".');
}

const FOLLOWER_ACTIONS = { approve: USAGE.approve, reject: USAGE.reject, remove: USAGE.remove } as const;

export async function followersCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const action = args.find((a) => !a.startsWith("-"));
  if (action === undefined) return await listFollowers(args, env);
  if (!Object.hasOwn(FOLLOWER_ACTIONS, action)) {
    throw new UsageError(`unknown command "followers ${action}" (use approve, reject or remove)`);
  }
  const usage = FOLLOWER_ACTIONS[action as keyof typeof FOLLOWER_ACTIONS];
  const { values, positionals } = parse(usage, args, action === "approve" ? { json: { type: "boolean" } } : {});
  const [, target] = expectArgs(usage, positionals, [action, "id-or-handle"]) as [string, string];
  const client = connect(env);
  const id = encodeURIComponent(await findId(client, "/followers", target));
  if (action === "approve") {
    const approved = await client.call((api) => api.followers[":id"].approve.$post({ param: { id } }));
    if (values.json) {
      printJson(approved);
      return;
    }
    print(`Approved ${label(approved)}; it now receives this co-op's activities.`);
  } else if (action === "reject") {
    await client.call((api) => api.followers[":id"].reject.$post({ param: { id } }));
    print(`Rejected ${target}.`);
  } else {
    await client.call((api) => api.followers[":id"].$delete({ param: { id } }));
    print(`Removed follower ${target}.`);
  }
}

async function listFollowers(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parse(USAGE.followers, args, { pending: { type: "boolean" }, json: { type: "boolean" } });
  const query = values.pending ? { state: "pending" as const } : {};
  const list = await connect(env).call((api) => api.followers.$get({ query }));
  if (values.json) {
    printJson(list);
    return;
  }
  printList(list.items, values.pending ? "No co-op is waiting for approval." : "No co-op follows this co-op yet.");
}
