// Settings › Profile: what partners see of this co-op (name, description,
// region, website, whether other nodes may find it). Owners edit it through
// the profile use case, which sends the change to followers; members and
// viewers read it.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { can } from "../actions/people.ts";
import { editProfile, getProfile, type ProfileJson } from "../actions/profile.ts";
import { csrfField, type FormState, formState, problemSummary, textareaField, textField } from "./forms.ts";
import { allowOnly, formFields, setFlash, type WorkspaceContext, type WorkspaceEnv } from "./session.ts";
import { settingsPage } from "./settings-frame.ts";

type Refuse = (c: WorkspaceContext, reason: string) => Promise<Response>;

const PATH = "/app/settings/profile";

function valuesOf(profile: ProfileJson): Record<string, string> {
  return {
    name: profile.name,
    summary: profile.summary ?? "",
    region: profile.region ?? "",
    website: profile.website ?? "",
    discoverable: profile.discoverable ? "on" : "",
  };
}

function readOnly(profile: ProfileJson) {
  return html`<dl class="facts">
<dt>Name</dt><dd>${profile.name}</dd>
<dt>About the co-op</dt><dd>${profile.summary ?? html`<span class="meta">Not written yet</span>`}</dd>
<dt>Region</dt><dd>${profile.region ?? html`<span class="meta">Not given</span>`}</dd>
<dt>Website</dt><dd>${profile.website ?? html`<span class="meta">Not given</span>`}</dd>
<dt>Found by other co-ops</dt><dd>${profile.discoverable ? "Yes: hubs, crawls and directories may list this co-op" : "No: crawls and directories leave this co-op out"}</dd>
</dl>
<p>Only an owner can change the profile.</p>`;
}

function editForm(csrf: string, form: FormState, problem?: string) {
  const checked = form.values.discoverable === "on";
  return html`${problemSummary(problem)}
<form method="post" action="${PATH}" novalidate class="panel">
${csrfField(csrf)}
${textField({ name: "name", label: "Name", form, required: true, hint: "The co-op's name as partners see it." })}
${textareaField({ name: "summary", label: "About the co-op", form, rows: 5, hint: "What you make and what you look for, in a few sentences. Up to 5000 characters; leave empty for none." })}
${textField({ name: "region", label: "Region", form, hint: "A country (PT) or a state or province (US-NC) code; search and matching use it to find co-ops near you." })}
${textField({ name: "website", label: "Website", form, autocomplete: "url", hint: "Starts with https:// (or http://); leave empty for none." })}
<div class="field check"><input type="checkbox" id="f-discoverable" name="discoverable" value="on"${checked ? html` checked` : ""} aria-describedby="f-discoverable-hint">
<label for="f-discoverable">Let other co-ops find us</label>
<span class="hint" id="f-discoverable-hint">When ticked, other nodes' crawls and co-op directories may list this co-op. Partners who follow you see you either way.</span></div>
<button type="submit">Save the profile</button>
</form>`;
}

async function profilePage(c: WorkspaceContext, form?: FormState, problem?: string) {
  const profile = await getProfile(c.get("deps"));
  const manages = can(c.get("person").role, "manage");
  const body = html`<h1>Profile</h1>
<p class="lead">What partners and other co-ops see of ${profile.name}: on <a href="/">its public page</a> and on the network as <strong>${profile.account}</strong>. A change is sent at once to the co-ops that follow you.</p>
${manages ? editForm(c.get("csrfToken"), form ?? formState(valuesOf(profile)), problem) : readOnly(profile)}`;
  return settingsPage(c, "Profile", body, problem ? 400 : 200);
}

export function registerProfileSettings(app: Hono<WorkspaceEnv>, refuse: Refuse): void {
  app.use(PATH, allowOnly("manage", refuse));
  app.get(PATH, (c) => profilePage(c));
  app.post(PATH, async (c) => {
    const fields = await formFields(c);
    const values = {
      name: (fields.name ?? "").trim(),
      summary: (fields.summary ?? "").trim(),
      region: (fields.region ?? "").trim().toUpperCase(),
      website: (fields.website ?? "").trim(),
      discoverable: fields.discoverable === "on" ? "on" : "",
    };
    try {
      await editProfile(c.get("deps"), {
        name: values.name,
        summary: values.summary || null,
        region: values.region || null,
        website: values.website || null,
        discoverable: values.discoverable === "on",
      });
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const message =
        error.kind === "invalid" ? "The profile was not saved: correct the fields marked below." : error.message;
      return profilePage(c, formState(values, error.errors), message);
    }
    setFlash(c, { message: "The profile is saved. The co-ops that follow you receive the change." });
    return c.redirect(PATH, 303);
  });
}
