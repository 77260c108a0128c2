// On Hubs & crawls, when this node runs a hub (WEFT_RELAY=on): how the hub
// admits co-ops (WEFT_RELAY_ADMISSION) and its members, those waiting for an
// owner's answer first, with Approve / Turn down (owners; the posts are
// guarded by hubs.ts's allowOnly("manage") on /app/hubs/*).
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { can } from "../actions/people.ts";
import { approveRelayMember, listRelayMembers, type RelayMemberJson, rejectRelayMember } from "../actions/relays.ts";
import { RELAY_HANDLE } from "../config.ts";
import { buttonForm } from "./forms.ts";
import { formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";

type Html = ReturnType<typeof html>;

const ADMISSION = {
  open: "Open: every co-op that asks is admitted at once.",
  approval: "By approval: a co-op that asks waits here until an owner approves it.",
  allowlist: "Allowed servers only: a co-op is admitted when its server is on the allowed list in Settings › Servers.",
} as const;

/** "knit.example" for a member's actor, with the actor's last path part when it names the co-op. */
function memberName(actor: string): string {
  const url = new URL(actor);
  const name = url.pathname.split("/").filter(Boolean).at(-1);
  return name ? `${name}@${url.host}` : url.host;
}

function memberRow(m: RelayMemberJson, manages: boolean, csrf: string): Html {
  const name = memberName(m.actor);
  const pending = m.state === "pending";
  const actions = pending
    ? html`${buttonForm({ action: "/app/hubs/members/approve", csrf, label: "Approve", detail: name, hidden: { actor: m.actor } })}
${buttonForm({ action: "/app/hubs/members/reject", csrf, label: "Turn down", detail: name, style: "danger", hidden: { actor: m.actor } })}`
    : buttonForm({
        action: "/app/hubs/members/reject",
        csrf,
        label: "Remove",
        detail: `${name} from the hub`,
        style: "secondary",
        hidden: { actor: m.actor },
      });
  return html`<tr>
<td data-label="Co-op">${name}<span class="meta">${m.actor}</span></td>
<td data-label="State">${pending ? html`<strong>Waiting for your answer</strong>` : "Member"}</td>
<td data-label="Since">${m.createdAt.slice(0, 10)}</td>
${manages ? html`<td data-label="Answer"><div class="inline">${actions}</div></td>` : ""}
</tr>`;
}

/** The "Our hub" panel, or nothing when this node runs no hub. */
export async function ourHubSection(c: WorkspaceContext): Promise<Html | string> {
  const weft = c.get("deps");
  const config = weft.services.config;
  if (!config.relay) return "";
  const manages = can(c.get("person").role, "manage");
  const members = await listRelayMembers(weft);
  const waiting = members.filter((m) => m.state === "pending").length;
  const handle = `${RELAY_HANDLE}@${new URL(config.origin).host}`;
  const table =
    members.length === 0
      ? html`<p class="empty">No co-op has asked to join yet.</p>`
      : html`<table class="cards">
<thead><tr><th scope="col">Co-op</th><th scope="col">State</th><th scope="col">Since</th>${manages ? html`<th scope="col"><span class="sr-only">Answer</span></th>` : ""}</tr></thead>
<tbody>${members.map((m) => memberRow(m, manages, c.get("csrfToken")))}</tbody>
</table>`;
  return html`<section class="panel" aria-labelledby="our-hub">
<h2 id="our-hub">Our hub</h2>
<p>This node runs a hub. Co-ops join it with the handle <code>${handle}</code>; it passes each member's public listings to all the others.</p>
<p><strong>Who gets in:</strong> ${ADMISSION[config.relayAdmission]}</p>
${waiting > 0 ? html`<p>${waiting === 1 ? "One co-op is" : `${waiting} co-ops are`} waiting for your answer.</p>` : ""}
${table}
</section>`;
}

/** The owner's answers: approve a waiting co-op, or turn one down (waiting or member). */
export function registerHubMembers(app: Hono<WorkspaceEnv>): void {
  for (const answer of ["approve", "reject"] as const) {
    app.post(`/app/hubs/members/${answer}`, async (c) => {
      const actor = (await formFields(c)).actor ?? "";
      try {
        const weft = c.get("deps");
        if (answer === "approve") await approveRelayMember(weft, actor);
        else await rejectRelayMember(weft, actor);
        const name = memberName(actor);
        setFlash(c, {
          message:
            answer === "approve"
              ? `${name} is now a member of the hub: its public listings go to the other members.`
              : `${name} is not in the hub: it was told so.`,
        });
      } catch (error) {
        if (!(error instanceof ActionError)) throw error;
        setFlash(c, { message: `${error.message}; nothing was changed.`, kind: "error" });
      }
      return c.redirect("/app/hubs", 303);
    });
  }
}
