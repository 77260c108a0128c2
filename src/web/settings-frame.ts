// The frame shared by the settings pages (profile, people, sessions, API
// tokens, servers): the workspace page with the settings sub-navigation on top, so
// each settings page lives in its own file without importing the others.

import { html } from "hono/html";
import { respondWithPage } from "./respond.ts";
import type { WorkspaceContext } from "./session.ts";

type Html = ReturnType<typeof html>;

export const SETTINGS_SECTIONS = [
  { href: "/app/settings/profile", label: "Profile" },
  { href: "/app/settings/people", label: "People" },
  { href: "/app/settings/sessions", label: "Sessions" },
  { href: "/app/settings/tokens", label: "API tokens" },
  { href: "/app/settings/servers", label: "Servers" },
] as const;

export async function settingsPage(c: WorkspaceContext, title: string, body: Html, status: 200 | 400 = 200) {
  const sub = html`<nav aria-label="Settings" class="subnav"><ul>${SETTINGS_SECTIONS.map(
    (s) =>
      html`<li>${
        s.href === c.req.path
          ? html`<a href="${s.href}" aria-current="page">${s.label}</a>`
          : html`<a href="${s.href}">${s.label}</a>`
      }</li>`,
  )}</ul></nav>`;
  return respondWithPage(c, title, html`${sub}${body}`, status);
}
