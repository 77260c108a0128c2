// Settings: the people who use the workspace (everyone sees them; owners
// invite, change roles and remove) and the signed-in sessions (each person
// their own; owners everyone's), each revocable. Profile and API tokens have
// their own files; the sub-navigation is in settings-frame.ts.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { can, changeRole, invitePerson, listPeople, PERSON_ROLES, removePerson } from "../actions/people.ts";
import { listSessions, revokeSession } from "../actions/sessions.ts";
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
import { clearSessionCookie, formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { settingsPage } from "./settings-frame.ts";

const ROLE_OPTIONS = PERSON_ROLES.map((r) => ({ value: r, label: r[0]!.toUpperCase() + r.slice(1) }));
const ROLE_MEANING = {
  owner: "reads everything, publishes, handles orders, and manages people, tokens, profile, hubs and crawls",
  member: "reads everything, publishes listings and handles orders",
  viewer: "reads everything, changes nothing",
};

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function when(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** "Firefox on Android" from a user-agent string, enough to tell devices apart. */
export function device(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser = /Edg\//.test(userAgent)
    ? "Edge"
    : /Firefox\//.test(userAgent)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(userAgent)
        ? "Chrome"
        : /Safari\//.test(userAgent)
          ? "Safari"
          : "A browser";
  const system = /Android/.test(userAgent)
    ? "Android"
    : /iPhone|iPad/.test(userAgent)
      ? "iOS"
      : /Windows/.test(userAgent)
        ? "Windows"
        : /Mac OS/.test(userAgent)
          ? "macOS"
          : /Linux/.test(userAgent)
            ? "Linux"
            : "an unknown system";
  return `${browser} on ${system}`;
}

async function peoplePage(c: WorkspaceContext, form: FormState = EMPTY_FORM, problem?: string) {
  const weft = c.get("deps");
  const me = c.get("person");
  const manages = can(me.role, "manage");
  const csrf = c.get("csrfToken");
  const people = await listPeople(weft);
  const rows = people.map(
    (p) => html`<tr>
<td data-label="Name">${p.name}${p.id === me.id ? html` <span class="meta">(you)</span>` : ""}</td>
<td data-label="Email">${p.email}</td>
<td data-label="Role">${
      manages
        ? html`<form method="post" action="/app/settings/people/${p.id}/role" class="inline">${csrfField(csrf)}
<label class="sr-only" for="role-${p.id}">Role of ${p.name}</label>
<select id="role-${p.id}" name="role">${ROLE_OPTIONS.map((o) => html`<option value="${o.value}"${o.value === p.role ? html` selected` : ""}>${o.label}</option>`)}</select>
<button type="submit" class="secondary">Change<span class="sr-only"> the role of ${p.name}</span></button></form>`
        : p.role
    }</td>
<td data-label="Since">${day(p.createdAt)}</td>
${manages ? html`<td>${buttonForm({ action: `/app/settings/people/${p.id}/remove`, csrf, label: "Remove", detail: p.name, style: "danger" })}</td>` : ""}
</tr>`,
  );
  const body = html`<h1>People</h1>
<p class="lead">Who can sign in to this workspace. An owner ${ROLE_MEANING.owner}; a member ${ROLE_MEANING.member}; a viewer ${ROLE_MEANING.viewer}.</p>
<table class="cards">
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Since</th>${manages ? html`<th scope="col"><span class="sr-only">Actions</span></th>` : ""}</tr></thead>
<tbody>${rows}</tbody>
</table>
${
  manages
    ? html`<section class="panel spaced" aria-labelledby="invite">
<h2 id="invite">Invite someone</h2>
<p>They get a one-time link, valid for 24 hours, where they choose their own password. Send it to them yourself (by email or chat).</p>
${problemSummary(problem)}
<form method="post" action="/app/settings/people" novalidate>
${csrfField(csrf)}
${textField({ name: "email", label: "Email", type: "email", form, required: true })}
${selectField({ name: "role", label: "Role", options: ROLE_OPTIONS, selected: "member", form, hint: "Members publish listings and handle orders; viewers only read; owners also manage people and settings." })}
<button type="submit">Create the invitation link</button>
</form>
</section>`
    : html`<p>Only an owner can invite people or change roles.</p>`
}`;
  return settingsPage(c, "People", body, problem ? 400 : 200);
}

async function sessionsPage(c: WorkspaceContext) {
  const weft = c.get("deps");
  const me = c.get("person");
  const csrf = c.get("csrfToken");
  const current = c.get("session").id;
  const everyone = can(me.role, "manage");
  const sessions = await listSessions(weft, c.get("actor"));
  const rows = sessions.map(({ session, person }) => {
    const label = `${device(session.userAgent)}${everyone ? ` of ${person.name}` : ""}`;
    return html`<tr>
${everyone ? html`<td data-label="Person">${person.name}</td>` : ""}
<td data-label="Device">${device(session.userAgent)}${session.id === current ? html` <strong>(this browser)</strong>` : ""}</td>
<td data-label="Address">${session.address ?? "unknown"}</td>
<td data-label="Signed in">${when(session.createdAt)}</td>
<td data-label="Last used">${when(session.lastSeenAt)}</td>
<td>${buttonForm({ action: `/app/settings/sessions/${session.id}/revoke`, csrf, label: session.id === current ? "Sign out here" : "Revoke", detail: label, style: "danger" })}</td>
</tr>`;
  });
  const body = html`<h1>Sessions</h1>
<p class="lead">${everyone ? "Every browser signed in to this workspace." : "The browsers where you are signed in."} Revoking one signs it out at once; a session unused for 30 days ends by itself.</p>
<table class="cards">
<thead><tr>${everyone ? html`<th scope="col">Person</th>` : ""}<th scope="col">Device</th><th scope="col">Address</th><th scope="col">Signed in</th><th scope="col">Last used</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
  return settingsPage(c, "Sessions", body);
}

export function registerSettings(
  app: Hono<WorkspaceEnv>,
  refuse: (c: WorkspaceContext, reason: string) => Promise<Response>,
): void {
  /** Runs a change; a refusal for lack of rights is the 403 page, any other comes back as a flash. */
  const attempt = async (c: WorkspaceContext, back: string, work: () => Promise<string>) => {
    try {
      setFlash(c, { message: await work() });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "forbidden") return refuse(c, error.message);
      setFlash(c, { message: error.message, kind: "error" });
    }
    return c.redirect(back, 303);
  };

  app.get("/app/settings", (c) => c.redirect("/app/settings/people", 303));
  app.get("/app/settings/people", (c) => peoplePage(c));

  app.post("/app/settings/people", async (c) => {
    const fields = await formFields(c);
    const values = { email: fields.email ?? "", role: fields.role ?? "" };
    try {
      const invitation = await invitePerson(c.get("deps"), c.get("actor"), values);
      setFlash(c, {
        message: `Invited ${invitation.email} as ${invitation.role}. Copy the link now: it is shown only once, and works once until ${when(invitation.expiresAt)}.`,
        secret: { label: "Set-up link:", value: invitation.setupUrl },
      });
      return c.redirect("/app/settings/people", 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      if (error.kind === "forbidden") return refuse(c, error.message);
      return peoplePage(c, formState(values, error.errors), error.message);
    }
  });

  app.post("/app/settings/people/:id/role", async (c) => {
    const { role = "" } = await formFields(c);
    return attempt(c, "/app/settings/people", async () => {
      const person = await changeRole(c.get("deps"), c.get("actor"), c.req.param("id"), role);
      return `${person.name} is now ${person.role === "owner" ? "an" : "a"} ${person.role}.`;
    });
  });

  app.post("/app/settings/people/:id/remove", (c) =>
    attempt(c, "/app/settings/people", async () => {
      const person = await removePerson(c.get("deps"), c.get("actor"), c.req.param("id"));
      return `${person.name} was removed and signed out everywhere.`;
    }),
  );

  app.get("/app/settings/sessions", (c) => sessionsPage(c));

  app.post("/app/settings/sessions/:id/revoke", async (c) => {
    const id = c.req.param("id");
    if (id === c.get("session").id) {
      await revokeSession(c.get("deps"), c.get("actor"), id);
      clearSessionCookie(c);
      setFlash(c, { message: "You are signed out." });
      return c.redirect("/login", 303);
    }
    return attempt(c, "/app/settings/sessions", async () => {
      await revokeSession(c.get("deps"), c.get("actor"), id);
      return "The session was revoked; that browser is signed out.";
    });
  });
}
