// Hubs & crawls: the two ways a co-op meets co-ops it does not follow yet.
// Everyone reads the hubs joined and the crawls with their progress; owners
// alone join or leave a hub and start a crawl (allowOnly("manage")). A node
// that runs a hub also shows its members here (hub-members.ts).

import type { Hono } from "hono";
import { html } from "hono/html";
import { CRAWL_BOUNDS, getCrawl, listCrawls, startCrawl } from "../actions/crawls.ts";
import { ActionError } from "../actions/errors.ts";
import { can } from "../actions/people.ts";
import { joinRelay, leaveRelay, listRelays, type RelayJson } from "../actions/relays.ts";
import { crawlBody, crawlForm, crawlTable, when } from "./crawl-view.ts";
import { csrfField, EMPTY_FORM, type FormState, formState, problemSummary, textField } from "./forms.ts";
import { ourHubSection, registerHubMembers } from "./hub-members.ts";
import { respondWithPage } from "./respond.ts";
import { allowOnly, formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

type Html = ReturnType<typeof html>;
type Refuse = (c: WorkspaceContext, reason: string) => Promise<Response>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const RELAY_STATE: Record<RelayJson["state"], string> = {
  pending: "Asked to join; waiting for the hub to accept",
  accepted: "Joined: listings are shared through it",
  rejected: "The hub turned us down",
};

/** "hub.example" for a hub's actor, the name a person recognises. */
function hubName(relay: RelayJson): string {
  return new URL(relay.actor).host;
}

interface Forms {
  join?: { form: FormState; problem: string };
  crawl?: { form: FormState; problem: string };
}

const page = respondWithPage;

function hubTable(relays: RelayJson[], manages: boolean): Html {
  if (relays.length === 0) return html`<p class="empty">This co-op has joined no hub yet.</p>`;
  return html`<table class="cards">
<thead><tr><th scope="col">Hub</th><th scope="col">State</th><th scope="col">Since</th>${manages ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : ""}</tr></thead>
<tbody>${relays.map(
    (r) => html`<tr>
<td data-label="Hub">${hubName(r)}<span class="meta">${r.actor}</span></td>
<td data-label="State">${RELAY_STATE[r.state]}</td>
<td data-label="Since">${r.createdAt.slice(0, 10)}</td>
${manages ? html`<td data-label="Leave"><a href="/app/hubs/${r.id}/leave">Leave<span class="sr-only"> the hub ${hubName(r)}</span></a></td>` : ""}
</tr>`,
  )}</tbody>
</table>`;
}

async function hubsPage(c: WorkspaceContext, forms: Forms = {}) {
  const weft = c.get("deps");
  const manages = can(c.get("person").role, "manage");
  const csrf = c.get("csrfToken");
  const [relays, crawls, ourHub] = await Promise.all([listRelays(weft), listCrawls(weft), ourHubSection(c)]);
  const join = forms.join ?? { form: EMPTY_FORM, problem: undefined };
  const body = html`<h1>Hubs &amp; crawls</h1>
<p class="lead">Two ways to meet co-ops you do not follow yet. A hub passes every member's public listings to all the other members; a crawl looks through your partners' partners. Only public listings travel either way.</p>
${ourHub}
<section class="panel" aria-labelledby="hubs">
<h2 id="hubs">Hubs we joined</h2>
${hubTable(relays, manages)}
${
  manages
    ? html`<div class="subsection">
<h3>Join a hub</h3>
<p>Once the hub accepts, your public listings go to its other members and theirs arrive here. A hub's state changes when it answers: reload this page to see it.</p>
${problemSummary(join.problem)}
<form method="post" action="/app/hubs/join" novalidate>
${csrfField(csrf)}
${textField({ name: "hub", label: "The hub's handle or web address", form: join.form, required: true, hint: "Such as relay@hub.example, or https://hub.example/coops/relay. The people running the hub can tell you." })}
<button type="submit">Ask to join</button>
</form>
</div>`
    : ""
}
</section>
<section class="panel" aria-labelledby="crawls">
<h2 id="crawls">Crawls</h2>
${crawlTable(crawls)}
${manages ? crawlForm(csrf, forms.crawl?.form ?? EMPTY_FORM, forms.crawl?.problem) : ""}
</section>
${manages ? "" : html`<p>Only an owner can join or leave a hub and start a crawl.</p>`}`;
  return page(c, "Hubs & crawls", body, forms.join || forms.crawl ? 400 : 200);
}

async function notFound(c: WorkspaceContext, what: string) {
  const body = html`<h1>Not found</h1><div class="problem" role="alert"><p>${what}</p></div><p><a href="/app/hubs">Back to hubs &amp; crawls</a></p>`;
  return page(c, "Not found", body, 404);
}

/** A hub given as a web address or a handle (with or without the leading @). */
function target(text: string): { actor: string } | { handle: string } {
  return /^https?:\/\//i.test(text) ? { actor: text } : { handle: text.replace(/^@/, "") };
}

export function registerHubs(app: Hono<WorkspaceEnv>, refuse: Refuse): void {
  app.use("/app/hubs/*", allowOnly("manage", refuse));
  app.get("/app/hubs", (c) => hubsPage(c));
  registerHubMembers(app);

  app.post("/app/hubs/join", async (c) => {
    const hub = ((await formFields(c)).hub ?? "").trim();
    const values = { hub };
    if (!hub) {
      const form = formState(values, [{ field: "hub", message: "Write the hub's handle or web address." }]);
      return hubsPage(c, { join: { form, problem: "No hub was joined." } });
    }
    try {
      const relay = await joinRelay(c.get("deps"), target(hub));
      setFlash(c, {
        message:
          relay.state === "accepted"
            ? `This co-op is a member of the hub at ${hubName(relay)}.`
            : `Asked to join the hub at ${hubName(relay)}. It shows as joined once the hub accepts.`,
      });
      return c.redirect("/app/hubs", 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const message = error.errors[0]?.message ?? error.message;
      const form = formState(values, [{ field: "hub", message }]);
      return hubsPage(c, { join: { form, problem: "No hub was joined." } });
    }
  });

  app.post("/app/hubs/crawls", async (c) => {
    const fields = await formFields(c);
    const values = {
      depth: fields.depth ?? "",
      maxActors: (fields.maxActors ?? "").trim(),
      ratePerSecond: (fields.ratePerSecond ?? "").trim(),
    };
    const number = (text: string, fallback: number) => (text === "" ? fallback : Number(text.replace(",", ".")));
    try {
      const crawl = await startCrawl(c.get("deps"), {
        depth: number(values.depth, CRAWL_BOUNDS.depth.default),
        maxActors: number(values.maxActors, CRAWL_BOUNDS.maxActors.default),
        ratePerSecond: number(values.ratePerSecond, CRAWL_BOUNDS.ratePerSecond.default),
      });
      setFlash(c, { message: "The crawl has started. This page shows how far it has got." });
      return c.redirect(`/app/hubs/crawls/${crawl.id}`, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const form = formState(values, error.errors);
      return hubsPage(c, { crawl: { form, problem: "The crawl was not started: correct the fields marked below." } });
    }
  });

  app.get("/app/hubs/crawls/:id", async (c) => {
    const id = c.req.param("id");
    const crawl = UUID.test(id)
      ? await getCrawl(c.get("deps"), id).catch((error: unknown) => {
          if (error instanceof ActionError && error.kind === "not_found") return undefined;
          throw error;
        })
      : undefined;
    if (!crawl) return notFound(c, "There is no such crawl on this node.");
    const title = `Crawl started ${when(crawl.startedAt)}`;
    return page(c, title, crawlBody(crawl), 200, crawl.state === "running" ? 3 : undefined);
  });

  const findRelay = async (c: WorkspaceContext) => {
    const id = c.req.param("id") ?? "";
    return UUID.test(id) ? (await listRelays(c.get("deps"))).find((r) => r.id === id) : undefined;
  };

  app.get("/app/hubs/:id/leave", async (c) => {
    const relay = await findRelay(c);
    if (!relay) return notFound(c, "This co-op is not in that hub (any more).");
    if (!can(c.get("person").role, "manage")) return refuse(c, "Only an owner of this workspace can leave a hub.");
    const body = html`<h1>Leave the hub at ${hubName(relay)}?</h1>
<p class="lead">Your public listings will stop going to its members, and theirs will stop arriving here. You can ask to join again later.</p>
<div class="inline"><form method="post" action="/app/hubs/${relay.id}/leave" class="inline">${csrfField(c.get("csrfToken"))}<button type="submit" class="danger">Leave the hub</button></form>
<a href="/app/hubs">Stay in it</a></div>`;
    return page(c, `Leave ${hubName(relay)}`, body);
  });

  app.post("/app/hubs/:id/leave", async (c) => {
    const relay = await findRelay(c);
    if (!relay) {
      setFlash(c, { message: "This co-op is not in that hub (any more); nothing was changed.", kind: "error" });
      return c.redirect("/app/hubs", 303);
    }
    await leaveRelay(c.get("deps"), relay.id);
    setFlash(c, { message: `This co-op has left the hub at ${hubName(relay)}.` });
    return c.redirect("/app/hubs", 303);
  });
}
