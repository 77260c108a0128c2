// Partners: the co-ops we follow (and whether they answered) and the co-ops
// that follow us (requests to approve or reject, accepted ones to remove),
// a form to follow a co-op by handle or address, and a confirmation page
// before unfollowing or removing, so nothing is undone by one stray click
// and nothing needs JavaScript. Every change goes through actions/follows.ts.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import {
  approveFollower,
  type FollowerJson,
  type FollowingJson,
  follow,
  listFollowers,
  listFollowing,
  rejectFollower,
  removeFollower,
  unfollow,
} from "../actions/follows.ts";
import { can } from "../actions/people.ts";
import { buttonForm, csrfField, EMPTY_FORM, type FormState, formState, problemSummary, textField } from "./forms.ts";
import { workspacePage } from "./layout.ts";
import { registerPartnerPage } from "./partner.ts";
import { FOLLOWER_STATES, FOLLOWING_STATES, partnerName, REFUSAL_STATUS } from "./partner-words.ts";
import { allowOnly, formFields, setFlash, takeFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { coopName } from "./sign-in.ts";

type Html = ReturnType<typeof html>;
type Refusal = (c: WorkspaceContext, reason: string) => Promise<Response>;

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** What a person types: a handle (coop@host, with or without a leading @) or the address of its page. */
export function followTarget(typed: string): { handle: string } | { actor: string } {
  const value = typed.trim();
  return /^https?:\/\//i.test(value) ? { actor: value } : { handle: value.replace(/^@/, "") };
}

const FOLLOW_HINT = "Its handle, such as coop@dyehouse.example, or the address of its page on its own node.";

function followForm(csrf: string, form: FormState, problem?: string): Html {
  return html`<section class="panel" aria-labelledby="follow-heading">
<h2 id="follow-heading">Follow a co-op</h2>
<p>Following a co-op brings its listings here and lets you order from it. It may accept at once or answer later.</p>
${problemSummary(problem)}
<form method="post" action="/app/partners/follow" novalidate>
${csrfField(csrf)}
${textField({ name: "handle", label: "Co-op to follow", hint: FOLLOW_HINT, form, required: true, autocomplete: "off" })}
<button type="submit">Follow</button>
</form>
</section>`;
}

function coopCell(id: string, actor: FollowingJson["actor"]): Html {
  return html`<a href="/app/partners/${id}">${partnerName(actor)}</a>${actor.handle ? html`<span class="meta">${actor.handle}</span>` : ""}`;
}

function followingTable(rows: FollowingJson[], mayAct: boolean): Html {
  if (rows.length === 0) return html`<p class="empty">We follow no co-op yet.</p>`;
  return html`<table class="cards">
<thead><tr><th scope="col">Co-op</th><th scope="col">State</th><th scope="col">Since</th>${mayAct ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : ""}</tr></thead>
<tbody>${rows.map(
    (f) => html`<tr>
<td data-label="Co-op">${coopCell(f.id, f.actor)}</td>
<td data-label="State"><span class="state state-${f.state}">${FOLLOWING_STATES[f.state]}</span></td>
<td data-label="Since">${day(f.createdAt)}</td>
${mayAct ? html`<td data-label="Change"><a class="button secondary" href="/app/partners/following/${f.id}/unfollow">${f.state === "rejected" ? "Forget" : "Unfollow"}<span class="sr-only"> ${partnerName(f.actor)}</span></a></td>` : ""}
</tr>`,
  )}</tbody>
</table>`;
}

function followersTable(rows: FollowerJson[], mayAct: boolean, csrf: string): Html {
  if (rows.length === 0) return html`<p class="empty">No co-op follows us yet.</p>`;
  const actions = (f: FollowerJson) =>
    f.state === "pending"
      ? html`<div class="inline">${buttonForm({ action: `/app/partners/followers/${f.id}/approve`, csrf, label: "Approve", detail: partnerName(f.actor) })}
${buttonForm({ action: `/app/partners/followers/${f.id}/reject`, csrf, label: "Reject", detail: partnerName(f.actor), style: "danger" })}</div>`
      : html`<a class="button secondary" href="/app/partners/followers/${f.id}/remove">Remove<span class="sr-only"> ${partnerName(f.actor)}</span></a>`;
  return html`<table class="cards">
<thead><tr><th scope="col">Co-op</th><th scope="col">State</th><th scope="col">Since</th>${mayAct ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : ""}</tr></thead>
<tbody>${rows.map(
    (f) => html`<tr>
<td data-label="Co-op">${coopCell(f.id, f.actor)}</td>
<td data-label="State"><span class="state state-${f.state}">${FOLLOWER_STATES[f.state]}</span></td>
<td data-label="Since">${day(f.createdAt)}</td>
${mayAct ? html`<td data-label="Answer">${actions(f)}</td>` : ""}
</tr>`,
  )}</tbody>
</table>`;
}

async function partnersPage(c: WorkspaceContext, form: FormState = EMPTY_FORM, problem?: string, status = 200) {
  const weft = c.get("deps");
  const csrf = c.get("csrfToken");
  const mayAct = can(c.get("person").role, "act");
  const [following, followers] = await Promise.all([listFollowing(weft), listFollowers(weft)]);
  const waiting = followers.filter((f) => f.state === "pending");
  const accepted = followers.filter((f) => f.state === "accepted");
  const body = html`<h1>Partners</h1>
<p class="lead">${mayAct ? "The co-ops we follow and the co-ops that follow us." : "The co-ops we follow and the co-ops that follow us. You can read this page; a member or owner follows co-ops and answers requests."}</p>
${mayAct ? followForm(csrf, form, problem) : ""}
${
  waiting.length > 0
    ? html`<section class="panel" aria-labelledby="requests-heading">
<h2 id="requests-heading">Requests waiting for your answer <span class="count">${waiting.length}</span></h2>
<p>These co-ops ask to follow us: once approved they see our listings for followers and can order from us.</p>
${followersTable(waiting, mayAct, csrf)}
</section>`
    : ""
}
<section class="panel" aria-labelledby="following-heading">
<h2 id="following-heading">Co-ops we follow <span class="count">${following.length}</span></h2>
${followingTable(following, mayAct)}
</section>
<section class="panel" aria-labelledby="followers-heading">
<h2 id="followers-heading">Co-ops following us <span class="count">${accepted.length}</span></h2>
${followersTable(accepted, mayAct, csrf)}
</section>`;
  return c.html(
    workspacePage({
      title: "Partners",
      coop: await coopName(c),
      person: c.get("person"),
      csrf,
      path: c.req.path,
      flash: takeFlash(c),
      body,
    }),
    status as 200,
  );
}

/** The no-JavaScript confirmation before a change that cannot be taken back with one click. */
async function confirmPage(
  c: WorkspaceContext,
  o: { title: string; question: string; explain: string; action: string; label: string },
) {
  const body = html`<h1>${o.title}</h1>
<div class="panel">
<p><strong>${o.question}</strong></p>
<p>${o.explain}</p>
<div class="inline">${buttonForm({ action: o.action, csrf: c.get("csrfToken"), label: o.label, style: "danger" })}
<a href="/app/partners">No, go back</a></div>
</div>`;
  return c.html(
    workspacePage({
      title: o.title,
      coop: await coopName(c),
      person: c.get("person"),
      csrf: c.get("csrfToken"),
      path: c.req.path,
      body,
    }),
  );
}

/** Only a path inside the workspace, for "go back to where the form was". */
function backTo(value: string | undefined): string {
  return value && /^\/app(\/|\?|$)/.test(value) && !value.startsWith("//") ? value : "/app/partners";
}

export function registerPartners(app: Hono<WorkspaceEnv>, refuse: Refusal): void {
  app.use("/app/partners", allowOnly("act", refuse));
  app.use("/app/partners/*", allowOnly("act", refuse));
  // The confirmation pages hold a button a viewer could not use: refuse them up front.
  app.on("GET", ["/app/partners/following/:id/unfollow", "/app/partners/followers/:id/remove"], async (c, next) => {
    if (!can(c.get("person").role, "act")) {
      return refuse(
        c,
        "Your role in this workspace is viewer: you can read everything but not change it. Nothing was changed.",
      );
    }
    await next();
  });

  /** Runs a change and goes back with a flash saying what happened, or why not. */
  const attempt = async (c: WorkspaceContext, back: string, work: () => Promise<string>) => {
    try {
      setFlash(c, { message: await work() });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "forbidden") return refuse(c, error.message);
      setFlash(c, { message: `${error.message}. Nothing was changed.`, kind: "error" });
    }
    return c.redirect(back, 303);
  };
  const find = async <T extends { id: string }>(list: Promise<T[]>, id: string) =>
    (await list).find((r) => r.id === id);

  app.get("/app/partners", (c) => partnersPage(c));

  // From the partners page a refusal shows next to the field; from a search
  // result (a hidden `back`) it comes back as a flash on that page.
  app.post("/app/partners/follow", async (c) => {
    const fields = await formFields(c);
    const typed = fields.handle ?? fields.actor ?? "";
    const fromElsewhere = fields.back !== undefined;
    const back = backTo(fields.back);
    if (typed.trim() === "") {
      const message = "Type the handle of the co-op to follow, such as coop@dyehouse.example.";
      return partnersPage(
        c,
        formState({ handle: typed }, [{ field: "handle", message }]),
        "Nothing to follow yet.",
        400,
      );
    }
    try {
      const sent = await follow(c.get("deps"), followTarget(typed));
      const name = partnerName(sent.actor);
      setFlash(c, {
        message:
          sent.state === "accepted"
            ? `You now follow ${name}.`
            : `Follow request sent to ${name}. It shows as "waiting for their answer" until ${name} accepts.`,
      });
      return c.redirect(back, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "forbidden") return refuse(c, error.message);
      if (fromElsewhere) {
        setFlash(c, { message: `Could not follow: ${error.message}. Nothing was changed.`, kind: "error" });
        return c.redirect(back, 303);
      }
      const fieldErrors = error.errors.map((e) => ({ field: "handle", message: e.message }));
      if (fieldErrors.length === 0) fieldErrors.push({ field: "handle", message: error.message });
      return partnersPage(
        c,
        formState({ handle: typed }, fieldErrors),
        "This co-op could not be followed. Nothing was changed.",
        REFUSAL_STATUS[error.kind],
      );
    }
  });

  app.get("/app/partners/following/:id/unfollow", async (c) => {
    const f = await find(listFollowing(c.get("deps")), c.req.param("id"));
    if (!f) return c.notFound();
    const name = partnerName(f.actor);
    return confirmPage(c, {
      title: f.state === "rejected" ? `Forget ${name}?` : `Unfollow ${name}?`,
      question: f.state === "rejected" ? `Forget our refused request to ${name}?` : `Stop following ${name}?`,
      explain:
        f.state === "rejected"
          ? "It goes off the list; you can ask to follow again later."
          : `${name} is told, and its new listings stop coming here. Orders already placed stay as they are. You can follow again later.`,
      action: `/app/partners/following/${f.id}/unfollow`,
      label: f.state === "rejected" ? "Yes, forget it" : "Yes, unfollow",
    });
  });
  app.post("/app/partners/following/:id/unfollow", (c) =>
    attempt(c, "/app/partners", async () => {
      const f = await find(listFollowing(c.get("deps")), c.req.param("id"));
      await unfollow(c.get("deps"), c.req.param("id"));
      return `You no longer follow ${f ? partnerName(f.actor) : "that co-op"}.`;
    }),
  );

  app.post("/app/partners/followers/:id/approve", (c) =>
    attempt(c, "/app/partners", async () => {
      const f = await approveFollower(c.get("deps"), c.req.param("id"));
      return `${partnerName(f.actor)} now follows us.`;
    }),
  );
  app.post("/app/partners/followers/:id/reject", (c) =>
    attempt(c, "/app/partners", async () => {
      const f = await find(listFollowers(c.get("deps")), c.req.param("id"));
      await rejectFollower(c.get("deps"), c.req.param("id"));
      return `The request from ${f ? partnerName(f.actor) : "that co-op"} was refused; it has been told.`;
    }),
  );
  app.get("/app/partners/followers/:id/remove", async (c) => {
    const f = await find(listFollowers(c.get("deps")), c.req.param("id"));
    if (!f) return c.notFound();
    const name = partnerName(f.actor);
    return confirmPage(c, {
      title: `Remove ${name}?`,
      question: `Stop ${name} from following us?`,
      explain: `${name} is told, and stops receiving our listings for followers. Orders already placed stay as they are.`,
      action: `/app/partners/followers/${f.id}/remove`,
      label: "Yes, remove",
    });
  });
  app.post("/app/partners/followers/:id/remove", (c) =>
    attempt(c, "/app/partners", async () => {
      const f = await find(listFollowers(c.get("deps")), c.req.param("id"));
      await removeFollower(c.get("deps"), c.req.param("id"));
      return `${f ? partnerName(f.actor) : "That co-op"} no longer follows us.`;
    }),
  );

  registerPartnerPage(app);
}
