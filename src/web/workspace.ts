// The workspace in the browser: sign-in at /login, the pages under /app,
// the stylesheet at /assets/app.css. This file wires the guards (origin
// check, CSRF tokens, sessions) in front of the pages; the pages call the
// use cases (src/actions/) for every change.
import { Hono } from "hono";
import { html } from "hono/html";
import { serveAssets } from "./assets.ts";
import { registerHome } from "./home.ts";
import { registerHubs } from "./hubs.ts";
import { plainPage } from "./layout.ts";
import { registerListings } from "./listings.ts";
import { registerMatches } from "./matches-page.ts";
import { registerOrders } from "./orders.ts";
import { registerPartners } from "./partners.ts";
import { registerSearch } from "./search-page.ts";
import {
  originCheck,
  preSessionForms,
  requireSession,
  type WorkspaceContext,
  type WorkspaceDeps,
  type WorkspaceEnv,
} from "./session.ts";
import { registerSettings } from "./settings.ts";
import { registerProfileSettings } from "./settings-profile.ts";
import { registerServerSettings } from "./settings-servers.ts";
import { registerTokenSettings } from "./settings-tokens.ts";
import { coopName, registerSignIn } from "./sign-in.ts";

const STALE_FORM =
  "This form could not be accepted: it did not carry this workspace's security token, or it was sent from another site. This protects you from pages that try to act in your name. Nothing was changed. Go back, reload the page, and try again.";

export function createWorkspace(deps: WorkspaceDeps): Hono<WorkspaceEnv> {
  const app = new Hono<WorkspaceEnv>();

  /** The 403 page: why the action was refused, in words, and a way on. */
  const refusal = async (c: WorkspaceContext, reason: string) => {
    const body = html`<h1>Not done</h1>
<div class="problem" role="alert"><p>${reason}</p></div>
<p><a href="/app">Back to the workspace</a></p>`;
    return c.html(plainPage({ title: "Not done", coop: await coopName(c), body }), 403);
  };
  const refuseForm = (c: WorkspaceContext) => refusal(c, STALE_FORM);

  // "/app/*" also matches /app itself.
  const paths = ["/login", "/setup/*", "/logout", "/app/*"];
  for (const path of paths) {
    app.use(path, async (c, next) => {
      c.set("deps", deps);
      await next();
    });
    app.use(path, originCheck(refuseForm));
  }
  app.use("/login", preSessionForms(refuseForm));
  app.use("/setup/*", preSessionForms(refuseForm));
  app.use("/logout", requireSession(refuseForm));
  app.use("/app/*", requireSession(refuseForm));

  serveAssets(app);
  registerSignIn(app);
  registerHome(app);
  registerListings(app, refusal);
  registerSettings(app, refusal);
  registerOrders(app, refusal);
  registerPartners(app, refusal);
  registerSearch(app);
  registerMatches(app, refusal);
  registerProfileSettings(app, refusal);
  registerTokenSettings(app, refusal);
  registerServerSettings(app, refusal);
  registerHubs(app, refusal);
  return app;
}
