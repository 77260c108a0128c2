// Settings › Servers: which other servers may talk to this node. Everyone
// reads the federation mode (open, or a closed network with an allow list)
// and the blocked and allowed servers; owners block, allow and remove a rule
// (allowOnly("manage")), removal after a confirmation page that needs no
// script. Every change goes through the use cases in actions/domains.ts.
import type { Hono } from "hono";
import { html } from "hono/html";
import {
  allowDomain,
  blockDomain,
  type DomainRuleJson,
  disallowDomain,
  listDomainRules,
  unblockDomain,
} from "../actions/domains.ts";
import { ActionError } from "../actions/errors.ts";
import { can } from "../actions/people.ts";
import { csrfField, EMPTY_FORM, type FormState, formState, problemSummary, textField } from "./forms.ts";
import { allowOnly, formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { settingsPage } from "./settings-frame.ts";

type Html = ReturnType<typeof html>;
type Refuse = (c: WorkspaceContext, reason: string) => Promise<Response>;
type Kind = DomainRuleJson["kind"];

const PATH = "/app/settings/servers";

const SERVER_HINT =
  "Such as spam.example (its sub-domains and every port too), spam.example:8443 (that port only), a co-op's handle like knit@spam.example, or a web address on that server.";

const WORDS = {
  block: {
    list: "Blocked servers",
    none: "No server is blocked.",
    field: "Server to block",
    button: "Block the server",
    removeLink: "Unblock",
    confirm: (d: string) => `Unblock ${d}?`,
    confirmLead:
      "Its co-ops may follow and trade with this co-op again, and their listings come back in Find capacity and matches.",
    confirmButton: "Unblock the server",
    keep: "Keep it blocked",
    done: (d: string) =>
      `${d} is blocked: nothing it sends is accepted, nothing goes to it, and its listings no longer show.`,
    undone: (d: string) => `${d} is no longer blocked.`,
  },
  allow: {
    list: "Allowed servers",
    none: "No server is on the allowed list.",
    field: "Server to allow",
    button: "Allow the server",
    removeLink: "Remove",
    confirm: (d: string) => `Take ${d} off the allowed list?`,
    confirmLead:
      "In a closed network its co-ops can then no longer follow, order from or be followed by this co-op. Orders already under way stop arriving.",
    confirmButton: "Take it off the list",
    keep: "Keep it allowed",
    done: (d: string) => `${d} is on the allowed list.`,
    undone: (d: string) => `${d} is no longer on the allowed list.`,
  },
} as const;

interface Forms {
  block?: { form: FormState; problem: string };
  allow?: { form: FormState; problem: string };
}

function ruleTable(rules: DomainRuleJson[], kind: Kind, manages: boolean): Html {
  const words = WORDS[kind];
  if (rules.length === 0) return html`<p class="empty">${words.none}</p>`;
  return html`<table class="cards">
<thead><tr><th scope="col">Server</th><th scope="col">Note</th><th scope="col">Since</th>${manages ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : ""}</tr></thead>
<tbody>${rules.map(
    (r) => html`<tr>
<td data-label="Server"><strong>${r.domain}</strong></td>
<td data-label="Note">${r.note ?? html`<span class="meta">no note</span>`}</td>
<td data-label="Since">${r.createdAt.slice(0, 10)}</td>
${manages ? html`<td><a href="${PATH}/remove?kind=${kind}&amp;domain=${encodeURIComponent(r.domain)}">${words.removeLink}<span class="sr-only"> ${r.domain}</span></a></td>` : ""}
</tr>`,
  )}</tbody>
</table>`;
}

function ruleForm(csrf: string, kind: Kind, state: Forms[Kind], lead: string): Html {
  const words = WORDS[kind];
  const form = state?.form ?? EMPTY_FORM;
  return html`<div class="subsection">
<h3>${kind === "block" ? "Block a server" : "Allow a server"}</h3>
<p>${lead}</p>
${problemSummary(state?.problem)}
<form method="post" action="${PATH}/${kind}" novalidate>
${csrfField(csrf)}
${textField({ id: kind, name: "domain", label: words.field, form, required: true, hint: SERVER_HINT })}
${textField({ id: kind, name: "note", label: "Note (optional)", form, hint: "Why, for whoever reads this list later. At most 500 characters." })}
<button type="submit"${kind === "block" ? html` class="danger"` : ""}>${words.button}</button>
</form>
</div>`;
}

async function serversPage(c: WorkspaceContext, forms: Forms = {}) {
  const weft = c.get("deps");
  const manages = can(c.get("person").role, "manage");
  const csrf = c.get("csrfToken");
  const { mode, items } = await listDomainRules(weft);
  const blocked = items.filter((r) => r.kind === "block");
  const allowed = items.filter((r) => r.kind === "allow");
  const closed = mode === "allowlist";
  const config = weft.services.config;
  const hubByList = config.relay && config.relayAdmission === "allowlist";
  // On an open node the list matters only to a hub admitting allowed servers: the form stays folded away.
  const listMatters = closed || hubByList;
  const allowMeaning = closed
    ? "Only the servers on this list may follow this co-op, order from it or be followed by it."
    : hubByList
      ? "This node is open, but its hub admits only co-ops on the servers of this list."
      : "This node is open, so this list matters only if whoever runs the node closes it, or runs a hub that admits allowed servers only.";
  const allowForm = ruleForm(csrf, "allow", forms.allow, "Add each server of your trade network.");
  const body = html`<h1>Servers</h1>
<p class="lead">Every co-op lives on a server (its node). This page shows which servers may talk to this one; owners change it.</p>
<section class="panel" aria-labelledby="mode">
<h2 id="mode">Who may trade with us</h2>
${
  closed
    ? html`<p><strong>Closed network: only the servers listed below under “Allowed servers”.</strong> Co-ops on any other server cannot follow this co-op, order from it or be followed by it.</p>`
    : html`<p><strong>Open: any server may follow and trade with us</strong>, except the blocked servers listed below.</p>`
}
<p class="meta">Whoever runs the node chooses this with the setting <code>WEFT_FEDERATION</code> (${closed ? "allowlist" : "open"}).</p>
</section>
<section class="panel" aria-labelledby="blocked">
<h2 id="blocked">${WORDS.block.list}</h2>
<p>A blocked server's messages are refused, nothing from this co-op is sent to it, and its listings leave Find capacity, Home and matches. A block wins over the allowed list.</p>
${ruleTable(blocked, "block", manages)}
${manages ? ruleForm(csrf, "block", forms.block, "For a server that sends spam or that your co-op no longer wants to deal with. Follows stay recorded, but nothing passes along them while the block holds.") : ""}
</section>
<section class="panel" aria-labelledby="allowed">
<h2 id="allowed">${WORDS.allow.list}</h2>
<p>${allowMeaning}</p>
${ruleTable(allowed, "allow", manages)}
${manages ? (listMatters || allowed.length > 0 || forms.allow ? allowForm : html`<details class="fold-away"><summary>Allow a server anyway</summary>${allowForm}</details>`) : ""}
</section>
${manages ? "" : html`<p>Only an owner can block or allow a server.</p>`}`;
  return settingsPage(c, "Servers", body, forms.block || forms.allow ? 400 : 200);
}

function kindOf(text: string | undefined): Kind | undefined {
  return text === "block" || text === "allow" ? text : undefined;
}

export function registerServerSettings(app: Hono<WorkspaceEnv>, refuse: Refuse): void {
  app.use(PATH, allowOnly("manage", refuse));
  app.use(`${PATH}/*`, allowOnly("manage", refuse));
  app.get(PATH, (c) => serversPage(c));

  for (const kind of ["block", "allow"] as const) {
    app.post(`${PATH}/${kind}`, async (c) => {
      const fields = await formFields(c);
      const values = { domain: fields.domain ?? "", note: fields.note ?? "" };
      try {
        const weft = c.get("deps");
        const input = { domain: values.domain, note: values.note };
        const rule = kind === "block" ? await blockDomain(weft, input) : await allowDomain(weft, input);
        setFlash(c, { message: WORDS[kind].done(rule.domain) });
        return c.redirect(PATH, 303);
      } catch (error) {
        if (!(error instanceof ActionError)) throw error;
        if (error.kind === "forbidden") return refuse(c, error.message);
        const problem = `${error.message}. Nothing was changed.`;
        return serversPage(c, { [kind]: { form: formState(values, error.errors), problem } });
      }
    });
  }

  app.get(`${PATH}/remove`, async (c) => {
    const kind = kindOf(c.req.query("kind"));
    const domain = c.req.query("domain") ?? "";
    const rule = (await listDomainRules(c.get("deps"))).items.find((r) => r.kind === kind && r.domain === domain);
    if (!kind || !rule) {
      setFlash(c, { message: "There is no such rule (any more); nothing was changed.", kind: "error" });
      return c.redirect(PATH, 303);
    }
    if (!can(c.get("person").role, "manage")) return refuse(c, "Only an owner of this workspace can change this.");
    const words = WORDS[kind];
    const body = html`<h1>${words.confirm(rule.domain)}</h1>
<p class="lead">${words.confirmLead}</p>
${rule.note ? html`<p>Note: ${rule.note}</p>` : ""}
<div class="inline"><form method="post" action="${PATH}/remove" class="inline">${csrfField(c.get("csrfToken"))}
<input type="hidden" name="kind" value="${kind}"><input type="hidden" name="domain" value="${rule.domain}">
<button type="submit"${kind === "block" ? "" : html` class="danger"`}>${words.confirmButton}</button></form>
<a href="${PATH}">${words.keep}</a></div>`;
    return settingsPage(c, words.confirm(rule.domain), body);
  });

  app.post(`${PATH}/remove`, async (c) => {
    const fields = await formFields(c);
    const kind = kindOf(fields.kind);
    const domain = fields.domain ?? "";
    try {
      if (!kind) throw new ActionError("invalid", "That rule is neither a block nor an allow");
      if (kind === "block") await unblockDomain(c.get("deps"), domain);
      else await disallowDomain(c.get("deps"), domain);
      setFlash(c, { message: WORDS[kind].undone(domain) });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      setFlash(c, { message: `${error.message}; nothing was changed.`, kind: "error" });
    }
    return c.redirect(PATH, 303);
  });
}
