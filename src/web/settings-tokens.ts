// Settings › API tokens: an owner makes a token for a script or another
// program, shown once. Tokens are signed, not stored (src/auth/tokens.ts),
// so the page says plainly that one stays valid until it expires.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { can } from "../actions/people.ts";
import { createApiToken, TOKEN_DAYS } from "../actions/tokens.ts";
import { csrfField, EMPTY_FORM, type FormState, formState, problemSummary, selectField, textField } from "./forms.ts";
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

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

async function tokensPage(c: WorkspaceContext, form: FormState = EMPTY_FORM, problem?: string) {
  const origin = c.get("deps").services.config.origin;
  const manages = can(c.get("person").role, "manage");
  const body = html`<h1>API tokens</h1>
<p class="lead">A token lets a script or another program (a stock spreadsheet, your accounts software, a shell script) use this node's API without anyone signing in. The program sends it with every request, in the header <code>Authorization: Bearer</code> followed by the token.</p>
<section class="panel" aria-labelledby="how">
<h2 id="how">What to know first</h2>
<ul>
<li>A token is shown once, right after you create it. Copy it then into the program that needs it; the node keeps no copy.</li>
<li>A token stays valid until it expires: 1 day to 1 year after you create it, as you choose. It cannot be withdrawn on its own yet, so give each program the smallest scope it needs and the shortest time that works.</li>
<li>To end every token at once, change the node's secret (<code>WEFT_SECRET</code>, or delete the <code>api-secret</code> file in the node's data folder) and restart the node.</li>
<li>The <code>weft</code> command on the node's own machine makes its own short-lived tokens; you need one here only for other tools. <code>weft token create</code> makes the same tokens from a terminal.</li>
</ul>
<p>For example, a script reads the co-op's profile with:</p>
<pre class="code"><code>curl -H "Authorization: Bearer $TOKEN" ${origin}/api/v1/node</code></pre>
<p>The API and its reference are at <a href="/api/v1/docs">/api/v1/docs</a>.</p>
</section>
${
  manages
    ? html`<section class="panel" aria-labelledby="create">
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
    : html`<p>Only an owner can create API tokens.</p>`
}`;
  return settingsPage(c, "API tokens", body, problem ? 400 : 200);
}

export function registerTokenSettings(app: Hono<WorkspaceEnv>, refuse: Refuse): void {
  app.use(PATH, allowOnly("manage", refuse));
  app.get(PATH, (c) => tokensPage(c));
  app.post(PATH, async (c) => {
    const fields = await formFields(c);
    const values = { name: fields.name ?? "", scope: fields.scope ?? "", days: fields.days ?? "" };
    try {
      const made = await createApiToken(c.get("deps"), c.get("actor"), c.get("deps").secret, values);
      setFlash(c, {
        message: `Token "${made.name}" created with the ${made.scope} scope, valid until ${day(made.expiresAt)}. Copy it now: it is shown only once.`,
        secret: { label: "Token:", value: made.token },
      });
      return c.redirect(PATH, 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "forbidden") return refuse(c, error.message);
      return tokensPage(c, formState(values, error.errors), error.message);
    }
  });
}
