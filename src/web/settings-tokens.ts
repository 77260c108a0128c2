// Settings › API tokens: an owner makes a token for a script or another
// program (shown once), sees every token handed out with its last use, and
// revokes one. The node records each token's id, never the token itself.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { can } from "../actions/people.ts";
import { type ApiTokenView, createApiToken, listApiTokens, revokeApiToken, TOKEN_DAYS } from "../actions/tokens.ts";
import {
  buttonForm,
  csrfField,
  EMPTY_FORM,
  type FormState,
  formState,
  problemSummary,
  selectField,
  textField,
} from "./forms.ts";
import { allowOnly, formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { settingsPage } from "./settings-frame.ts";

type Refuse = (c: WorkspaceContext, reason: string) => Promise<Response>;

const PATH = "/app/settings/tokens";

const SCOPE_OPTIONS = [
  { value: "read", label: "Read" },
  { value: "write", label: "Write" },
  { value: "admin", label: "Admin" },
];

const SCOPE_HINT =
  "Read: see listings, orders, partners and matches. Write: also publish listings, place and answer orders, follow co-ops, edit the profile. Admin: everything, including people.";

const DAY_OPTIONS = TOKEN_DAYS.map((d) => ({
  value: String(d),
  label: d === 1 ? "1 day" : d === 365 ? "1 year" : `${d} days`,
}));

function day(date: Date | null): string {
  return date ? date.toISOString().slice(0, 10) : "never";
}

function minute(date: Date | null, none: string): string {
  return date ? `${date.toISOString().slice(0, 16).replace("T", " ")} UTC` : none;
}

const STATE = { active: "Active", expired: "Expired", revoked: "Revoked" } as const;
const SCOPE_WORD = { read: "Read", write: "Write", admin: "Admin" } as const;

function tokenTable(tokens: ApiTokenView[], csrf: string) {
  if (tokens.length === 0) return html`<p class="empty">No token has been created yet.</p>`;
  return html`<table class="cards">
<thead><tr><th scope="col">Name</th><th scope="col">May</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col">State</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${tokens.map(
    (t) => html`<tr>
<td data-label="Name">${t.name}</td>
<td data-label="May">${t.scopes.map((s) => SCOPE_WORD[s]).join(", ")}</td>
<td data-label="Created">${minute(t.createdAt, "")}</td>
<td data-label="Last used">${minute(t.lastUsedAt, "never")}</td>
<td data-label="Expires">${day(t.expiresAt)}</td>
<td data-label="State">${STATE[t.state]}</td>
<td>${t.state === "active" ? buttonForm({ action: `${PATH}/${t.id}/revoke`, csrf, label: "Revoke", detail: `the token ${t.name}`, style: "danger" }) : ""}</td>
</tr>`,
  )}</tbody>
</table>`;
}

async function tokensPage(c: WorkspaceContext, form: FormState = EMPTY_FORM, problem?: string) {
  const origin = c.get("deps").services.config.origin;
  const manages = can(c.get("person").role, "manage");
  const tokens = manages ? await listApiTokens(c.get("deps"), c.get("actor")) : [];
  const body = html`<h1>API tokens</h1>
<p class="lead">A token lets a script or another program (a stock spreadsheet, your accounts software, a shell script) use this node's API without anyone signing in. The program sends it with every request, in the header <code>Authorization: Bearer</code> followed by the token.</p>
<section class="panel" aria-labelledby="how">
<h2 id="how">What to know first</h2>
<ul>
<li>A token is shown once, right after you create it. Copy it then into the program that needs it; the node keeps no copy, only its name and dates.</li>
<li>A token stays valid until it expires (1 day to 1 year after you create it, as you choose) or until an owner revokes it below. Give each program its own token, the smallest scope it needs and the shortest time that works, so you can revoke one without stopping the others.</li>
<li>To end every token at once, change the node's secret (<code>WEFT_SECRET</code>, or delete the <code>api-secret</code> file in the node's data folder) and restart the node.</li>
<li>The <code>weft</code> command on the node's own machine makes its own tokens, valid for a few minutes; you need one here only for other tools. <code>weft token create</code>, <code>weft token list</code> and <code>weft token revoke</code> do the same from a terminal.</li>
</ul>
<p>For example, a script reads the co-op's profile with:</p>
<pre class="code"><code>curl -H "Authorization: Bearer $TOKEN" ${origin}/api/v1/node</code></pre>
<p>The API and its reference are at <a href="/api/v1/docs">/api/v1/docs</a>.</p>
</section>
${
  manages
    ? html`<section class="panel" aria-labelledby="issued">
<h2 id="issued">Tokens handed out</h2>
${tokenTable(tokens, c.get("csrfToken"))}
</section>
<section class="panel" aria-labelledby="create">
<h2 id="create">Create a token</h2>
${problemSummary(problem)}
<form method="post" action="${PATH}" novalidate>
${csrfField(c.get("csrfToken"))}
${textField({ name: "name", label: "Name", form, required: true, hint: "Which program uses it, such as inventory-sync. It travels inside the token and shows in the node's logs." })}
${selectField({ name: "scope", label: "What it may do", options: SCOPE_OPTIONS, selected: "read", form, hint: SCOPE_HINT })}
${selectField({ name: "days", label: "Valid for", options: DAY_OPTIONS, selected: "30", form, hint: "After this the node refuses it; create a new one then." })}
<button type="submit">Create the token</button>
</form>
</section>`
    : html`<p>Only an owner can see, create and revoke API tokens.</p>`
}`;
  return settingsPage(c, "API tokens", body, problem ? 400 : 200);
}

export function registerTokenSettings(app: Hono<WorkspaceEnv>, refuse: Refuse): void {
  app.use(PATH, allowOnly("manage", refuse));
  app.use(`${PATH}/*`, allowOnly("manage", refuse));
  app.get(PATH, (c) => tokensPage(c));
  app.post(PATH, async (c) => {
    const fields = await formFields(c);
    const values = { name: fields.name ?? "", scope: fields.scope ?? "", days: fields.days ?? "" };
    try {
      const made = await createApiToken(c.get("deps"), c.get("actor"), c.get("deps").secret, values);
      setFlash(c, {
        message: `Token "${made.name}" created with the ${made.scopes.join(", ")} scope, valid until ${day(made.expiresAt)}. Copy it now: it is shown only once.`,
        secret: { label: "Token:", value: made.token },
      });
      return c.redirect(PATH, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "forbidden") return refuse(c, error.message);
      return tokensPage(c, formState(values, error.errors), error.message);
    }
  });

  app.post(`${PATH}/:id/revoke`, async (c) => {
    try {
      const token = await revokeApiToken(c.get("deps"), c.get("actor"), c.req.param("id"));
      setFlash(c, { message: `Token "${token.name}" was revoked; the node refuses it from now on.` });
      return c.redirect(PATH, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return refuse(c, error.message);
    }
  });
}
