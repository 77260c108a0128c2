// weft crawl: discover co-ops through the followers and following of this
// co-op's partners. The node crawls in the background; the command polls the
// job and draws its progress on stderr (a bar on a terminal, a line at most
// every second otherwise), then prints one summary line on stdout.

import type { Crawl } from "./answers.ts";
import { expectArgs, parse } from "./args.ts";
import { type ApiClient, connect, refusedOptions } from "./client.ts";
import { CliError, UsageError } from "./errors.ts";
import { USAGE } from "./help.ts";
import { fields, print, printJson } from "./output.ts";

const POLL_MS = 300;
const LINE_EVERY_MS = 1000;
const BAR_WIDTH = 24;
const SPINNER = "|/-\\";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function crawlCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (args[0] === "show") return await showCrawl(args.slice(1), env);
  const { values, positionals } = parse(USAGE.crawl, args, {
    depth: { type: "string" },
    "max-actors": { type: "string" },
    rate: { type: "string" },
    "no-wait": { type: "boolean" },
    json: { type: "boolean" },
  });
  if (positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}" (usage: ${USAGE.crawl}, or ${USAGE.crawlShow})`);
  }
  const body: Record<string, number> = {};
  const depth = wholeOption("--depth", values.depth);
  const maxActors = wholeOption("--max-actors", values["max-actors"]);
  const rate = rateOption(values.rate);
  if (depth !== undefined) body.depth = depth;
  if (maxActors !== undefined) body.maxActors = maxActors;
  if (rate !== undefined) body.ratePerSecond = rate;

  const client = connect(env);
  let job: Crawl;
  try {
    job = await client.call((api) => api.crawls.$post({ json: body }));
  } catch (error) {
    throw refusedOptions(error, "crawl", { depth: "--depth", maxActors: "--max-actors", ratePerSecond: "--rate" });
  }
  if (values["no-wait"]) {
    if (values.json) printJson(job);
    else print(`Started crawl ${job.id}; see its progress with "weft crawl show ${job.id}".`);
    return;
  }
  job = await watch(client, job);
  if (values.json) printJson(job);
  if (job.state === "failed")
    throw new CliError(`the crawl failed (${counts(job)}): ${job.error ?? "no reason given"}`);
  if (job.state === "interrupted")
    throw new CliError(`the crawl was interrupted by a stop of the node (${counts(job)})`);
  if (!values.json) print(summary(job));
}

/** Polls the crawl until it ends, showing its progress on stderr. */
async function watch(client: ApiClient, started: Crawl): Promise<Crawl> {
  const progress = new Progress(process.stderr);
  // Ctrl-C stops the watching, not the crawl.
  const interrupt = () => {
    progress.clear();
    process.stderr.write(`weft: stopped watching; crawl ${started.id} goes on (see "weft crawl show ${started.id}")\n`);
    process.exit(130);
  };
  process.once("SIGINT", interrupt);
  try {
    let job = started;
    while (job.state === "running") {
      progress.show(job);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const id = job.id;
      job = await client.call((api) => api.crawls[":id"].$get({ param: { id } }));
    }
    progress.clear();
    return job;
  } catch (error) {
    progress.clear();
    throw error;
  } finally {
    process.off("SIGINT", interrupt);
  }
}

class Progress {
  readonly #stream: NodeJS.WriteStream;
  readonly #tty: boolean;
  #drawn = false;
  #frames = 0;
  #lastLine = "";
  #lastAt = 0;

  constructor(stream: NodeJS.WriteStream) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
  }

  show(job: Crawl): void {
    if (this.#tty) {
      // The bar counts co-ops discovered against the most the crawl may find.
      const done = Math.min(job.discovered / Math.max(job.maxActors, 1), 1);
      const filled = Math.round(done * BAR_WIDTH);
      const bar = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}]`;
      // The spinner shows the crawl is alive while the counts stand still.
      const spin = SPINNER[this.#frames++ % SPINNER.length];
      const line = `Crawling ${spin} ${bar} ${job.discovered}/${job.maxActors} co-ops · ${counts(job)}`;
      const width = (this.#stream.columns ?? 80) - 1;
      this.#stream.write(`\r${line.length > width ? line.slice(0, width) : line}\x1b[K`);
      this.#drawn = true;
      return;
    }
    // A log or a pipe: a new line only when something changed, at most every second.
    const line = `crawl ${job.id.slice(0, 8)}: ${counts(job)}`;
    const now = Date.now();
    if (line === this.#lastLine || now - this.#lastAt < LINE_EVERY_MS) return;
    this.#stream.write(`${line}\n`);
    this.#lastLine = line;
    this.#lastAt = now;
  }

  clear(): void {
    if (this.#drawn) this.#stream.write("\r\x1b[K");
    this.#drawn = false;
  }
}

function counts(job: Crawl): string {
  return `visited ${job.visited}, discovered ${job.discovered}, skipped ${job.skipped}, listings ${job.listings}`;
}

function summary(job: Crawl): string {
  return `Crawl done: ${job.visited} visited, ${job.discovered} discovered, ${job.skipped} skipped (not discoverable), ${job.listings} ${job.listings === 1 ? "listing" : "listings"} stored.`;
}

async function showCrawl(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parse(USAGE.crawlShow, args, { json: { type: "boolean" } });
  const [id] = expectArgs(USAGE.crawlShow, positionals, ["id"]) as [string];
  if (!UUID.test(id)) throw new UsageError(`"${id}" is not a crawl id (usage: ${USAGE.crawlShow})`);
  const job = await connect(env).call((api) => api.crawls[":id"].$get({ param: { id } }));
  if (values.json) {
    printJson(job);
    return;
  }
  const pairs: [string, string][] = [
    ["ID", job.id],
    ["State", job.state],
    ["Depth", String(job.depth)],
    ["Max co-ops", String(job.maxActors)],
    ["Visited", String(job.visited)],
    ["Discovered", String(job.discovered)],
    ["Skipped", `${job.skipped} (not discoverable)`],
    ["Listings", `${job.listings} stored`],
    ["Started", job.startedAt],
    ["Finished", job.finishedAt ?? ""],
    ["Error", job.error ?? ""],
  ];
  print(fields(pairs.filter(([, value]) => value !== "")));
}

function wholeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${name} must be a whole number from 1 up (got "${value}")`);
  }
  return Number(value);
}

function rateOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) {
    throw new UsageError(`--rate must be a number of fetches per second above zero, such as 10 (got "${value}")`);
  }
  return Number(value);
}
