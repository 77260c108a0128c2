// weft order …: orders this co-op placed with its partners (as buyer) and
// received from them (as seller). An order is written as a JSON file and sent
// to the admin API as it is; each action after that is one command, and the
// node refuses an action the order's state does not allow (exit code 1, with
// the actions that are allowed).
import { writeFile } from "node:fs/promises";
import type { BodyOf, QueryOf } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type Api, ApiRefusal, connect } from "./client.ts";
import { CliError, UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { fileFailure, readJsonFile } from "./json-file.ts";
import { actionDone, ORDER_STATES, type Order, orderDetails, orderTable, partner } from "./order-format.ts";
import { fields, print, printedWithoutTable, printJson } from "./output.ts";

type Env = NodeJS.ProcessEnv;

const ORDER = { noun: "an order", example: '{"lines": [{"listing": "https://…", "quantity": …}]}' };
const CHANGES = {
  noun: "changes",
  example: '{"changes": [{"id": "1", "quantity": {"amount": "150", "unit": "MTR"}}]}',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LINE = /^([A-Za-z0-9._-]{1,40})=((?:0|[1-9]\d*)(?:\.\d+)?)$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

const COMMANDS: Record<string, (args: string[], env: Env) => Promise<void>> = {
  create: createOrder,
  list: listOrders,
  show: showOrder,
  accept: (args, env) => simpleAction("accept", USAGE.orderAccept, args, env),
  reject: rejectOrder,
  "propose-changes": (args, env) => changesAction("propose-changes", USAGE.orderProposeChanges, args, env),
  "accept-changes": (args, env) => simpleAction("accept-changes", USAGE.orderAcceptChanges, args, env),
  change: (args, env) => changesAction("change", USAGE.orderChange, args, env),
  cancel: cancelOrder,
  ship: (args, env) => moveAction("ship", USAGE.orderShip, args, env),
  receive: (args, env) => moveAction("receive", USAGE.orderReceive, args, env),
  ubl: orderUbl,
};

export async function orderCommand(args: string[], env: Env): Promise<void> {
  const [name, ...rest] = args;
  if (name === undefined || name.startsWith("-")) throw new UsageError(`missing command (usage: ${USAGE.order})`);
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    const names = Object.keys(COMMANDS);
    throw new UsageError(`unknown command "order ${name}" (use ${names.slice(0, -1).join(", ")} or ${names.at(-1)})`);
  }
  await command(rest, env);
}

async function createOrder(args: string[], env: Env): Promise<void> {
  const { values, positionals } = parse(USAGE.orderCreate, args, {
    file: { type: "string" },
    json: { type: "boolean" },
  });
  expectArgs(USAGE.orderCreate, positionals, []);
  const body = await readJsonFile(USAGE.orderCreate, values.file, ORDER);
  const order = await connect(env).call((api) => api.orders.$post({ json: body as BodyOf<Api["orders"]["$post"]> }));
  if (values.json) {
    printJson(order);
    return;
  }
  print(`Sent order to ${partner(order)}.`);
  print(
    fields([
      ["ID", order.id],
      ["IRI", order.iri],
      ["State", order.state],
      ["Total", `${order.total} ${order.currency}`],
    ]),
  );
}

async function listOrders(args: string[], env: Env): Promise<void> {
  const { values, positionals } = parse(USAGE.orderList, args, {
    role: { type: "string" },
    state: { type: "string" },
    partner: { type: "string" },
    json: { type: "boolean" },
  });
  expectArgs(USAGE.orderList, positionals, []);
  if (values.role !== undefined && !["buyer", "seller"].includes(values.role)) {
    throw new UsageError(`--role must be buyer or seller (got "${values.role}")`);
  }
  if (values.state !== undefined && !(ORDER_STATES as readonly string[]).includes(values.state)) {
    throw new UsageError(`--state must be one of ${ORDER_STATES.join(", ")} (got "${values.state}")`);
  }
  if (values.partner !== undefined && !/^https?:\/\/[^/\s]+/i.test(values.partner)) {
    throw new UsageError(
      `--partner must be the co-op's actor URL, such as https://dyehouse.example/coops/coop (got "${values.partner}")`,
    );
  }
  const query = new URLSearchParams();
  for (const name of ["role", "state", "partner"] as const) {
    const value = values[name];
    if (value !== undefined) query.set(name, value);
  }
  const asked = Object.fromEntries(query) as QueryOf<Api["orders"]["$get"]>;
  const list = await connect(env).call((api) => api.orders.$get({ query: asked }));
  const done = printedWithoutTable(list, values.json, query.size > 0, {
    noMatch: "No orders of this co-op match.",
    empty: 'This co-op has no orders yet; place one with "weft order create --file order.json".',
  });
  if (done) return;
  print(orderTable(list.items));
}

async function showOrder(args: string[], env: Env): Promise<void> {
  const { values, positionals } = parse(USAGE.orderShow, args, { json: { type: "boolean" } });
  const id = orderId(USAGE.orderShow, positionals);
  const order = await connect(env).call((api) => api.orders[":id"].$get({ param: { id } }));
  if (values.json) printJson(order);
  else print(orderDetails(order));
}

async function simpleAction(action: OrderAction, usage: string, args: string[], env: Env): Promise<void> {
  const { values, positionals } = parse(usage, args, { json: { type: "boolean" } });
  await act(action, orderId(usage, positionals), {}, values.json, env);
}

async function rejectOrder(args: string[], env: Env): Promise<void> {
  const usage = USAGE.orderReject;
  const { values, positionals } = parse(usage, args, { reason: { type: "string" }, json: { type: "boolean" } });
  const id = orderId(usage, positionals);
  if (values.reason !== undefined && values.reason.trim() === "") {
    throw new UsageError(`--reason must not be empty; leave it out to give none (usage: ${usage})`);
  }
  await act("reject", id, values.reason === undefined ? {} : { reason: values.reason }, values.json, env);
}

async function cancelOrder(args: string[], env: Env): Promise<void> {
  const usage = USAGE.orderCancel;
  const { values, positionals } = parse(usage, args, { reason: { type: "string" }, json: { type: "boolean" } });
  const id = orderId(usage, positionals);
  if (values.reason === undefined || values.reason.trim() === "") {
    throw new UsageError(`missing --reason: say why the order is cancelled (usage: ${usage})`);
  }
  await act("cancel", id, { reason: values.reason }, values.json, env);
}

async function changesAction(action: OrderAction, usage: string, args: string[], env: Env): Promise<void> {
  const { values, positionals } = parse(usage, args, { file: { type: "string" }, json: { type: "boolean" } });
  const id = orderId(usage, positionals);
  const body = await readJsonFile(usage, values.file, CHANGES);
  await act(action, id, body, values.json, env);
}

async function moveAction(action: "ship" | "receive", usage: string, args: string[], env: Env): Promise<void> {
  const { values, positionals } = parse(usage, args, {
    line: { type: "string", multiple: true },
    date: { type: "string" },
    ...(action === "ship" ? { tracking: { type: "string" } } : {}),
    json: { type: "boolean" },
  } as const);
  const id = orderId(usage, positionals);
  const lines = lineOptions(usage, values.line);
  const body: Record<string, unknown> = { lines };
  if (values.date !== undefined) body.date = dateOption(values.date);
  const tracking = (values as { tracking?: string }).tracking;
  if (tracking !== undefined) body.tracking = tracking;
  await act(action, id, body, values.json, env);
}

/** `--line 1=120 --line 2=30` as `[{id: "1", quantity: "120"}, …]`. */
function lineOptions(usage: string, options: string[] | undefined): { id: string; quantity: string }[] {
  if (!options || options.length === 0) throw new UsageError(`missing --line <line>=<quantity> (usage: ${usage})`);
  const seen = new Set<string>();
  return options.map((option) => {
    const match = LINE.exec(option.trim());
    if (!match || /^0(\.0*)?$/.test(match[2]!)) {
      throw new UsageError(`--line must be a line id, "=" and a quantity above zero, such as 1=120 (got "${option}")`);
    }
    const [, id, quantity] = match as unknown as [string, string, string];
    if (seen.has(id)) throw new UsageError(`--line ${id} is given twice; give each line once with its whole quantity`);
    seen.add(id);
    return { id, quantity };
  });
}

function dateOption(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new UsageError(`--date must be a date such as 2027-02-01 (got "${value}")`);
  }
  return value;
}

async function act(
  action: OrderAction,
  id: string,
  body: Record<string, unknown>,
  json: boolean | undefined,
  env: Env,
) {
  let order: Order;
  try {
    order = await connect(env).call((api) => postAction(api, action)({ param: { id }, json: body }));
  } catch (error) {
    throw refusal(action, error);
  }
  if (json) printJson(order);
  else print(actionDone(order, action));
}

type OrderAction = Order["allowedActions"][number];

/**
 * POST /orders/{id}/<action>: every action answers the order; the body is
 * the one the action takes, checked by the node.
 */
function postAction(api: Api, action: OrderAction) {
  return api.orders[":id"][action].$post as (args: {
    param: { id: string };
    json: Record<string, unknown>;
  }) => ReturnType<Api["orders"][":id"]["accept"]["$post"]>;
}

/** A 409 in the CLI's words: what the order's state allows instead. */
function refusal(action: string, error: unknown): unknown {
  if (!(error instanceof ApiRefusal) || error.status !== 409) return error;
  const { state, allowedActions, detail } = error.problem ?? {};
  if (typeof state !== "string" || !Array.isArray(allowedActions)) return error;
  if (typeof detail === "string" && !/ while it is /.test(detail)) {
    // The state allows the action, but not what it says (such as shipping more than ordered).
    return new CliError(detail.replace(/^Cannot/, "cannot"));
  }
  const allowed = allowedActions.length > 0 ? `allowed: ${allowedActions.join(", ")}` : "no action is allowed now";
  return new CliError(`cannot ${action} this order while it is ${state} (${allowed})`);
}

async function orderUbl(args: string[], env: Env): Promise<void> {
  const usage = USAGE.orderUbl;
  const { values, positionals } = parse(usage, args, { out: { type: "string" } });
  const id = orderId(usage, positionals);
  if (values.out === "") throw new UsageError(`--out needs a file name (usage: ${usage})`);
  const xml = await connect(env).text((api) =>
    api.orders[":id"].ubl.$get({ param: { id } }, { headers: { accept: "application/xml, application/problem+json" } }),
  );
  if (values.out === undefined) {
    process.stdout.write(xml.endsWith("\n") ? xml : `${xml}\n`);
    return;
  }
  try {
    await writeFile(values.out, xml);
  } catch (error) {
    throw new CliError(`cannot write ${values.out}: ${fileFailure(error as NodeJS.ErrnoException, true)}`);
  }
  print(`Wrote order ${id} as a UBL 2.1 Order to ${values.out}.`);
}

function orderId(usage: string, positionals: string[]): string {
  const [id] = expectArgs(usage, positionals, ["id"]) as [string];
  if (!UUID.test(id)) throw new UsageError(`"${id}" is not an order id (see "weft order list")`);
  return id;
}
