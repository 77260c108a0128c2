// Signing in (/login), choosing a password from a set-up link (/setup/:token)
// and signing out (POST /logout). Every form posts and redirects; a refusal
// shows the form again with what was typed (never the password) and why.
import type { Hono } from "hono";
import { html } from "hono/html";
import { ActionError } from "../actions/errors.ts";
import { completeSetup, describeInvitation, linkRefusal, MIN_PASSWORD_LENGTH } from "../actions/people.ts";
import { signIn, signOut } from "../actions/sessions.ts";
import { getProfile } from "../domain/profile.ts";
import { csrfField, EMPTY_FORM, type FormState, formState, problemSummary, textField } from "./forms.ts";
import { plainPage } from "./layout.ts";
import {
  clearSessionCookie,
  clientAddress,
  formFields,
  preSessionToken,
  safeNext,
  setFlash,
  setSessionCookie,
  takeFlash,
  type WorkspaceContext,
  type WorkspaceEnv,
} from "./session.ts";

export async function coopName(c: WorkspaceContext): Promise<string> {
  const { db, config } = c.get("deps").services;
  return (await getProfile(db, config)).name;
}

async function loginPage(c: WorkspaceContext, form: FormState, problem?: string, status: 200 | 400 | 429 = 200) {
  const coop = await coopName(c);
  const next = safeNext(c.req.query("next") ?? form.values.next);
  const body = html`<h1>Sign in</h1>
<p class="lead">The workspace of ${coop}.</p>
${problemSummary(problem)}
<form method="post" action="/login" class="panel" novalidate>
${csrfField(preSessionToken(c))}
<input type="hidden" name="next" value="${next}">
${textField({ name: "email", label: "Email", type: "email", form, required: true, autocomplete: "username" })}
${textField({ name: "password", label: "Password", type: "password", form, required: true, autocomplete: "current-password" })}
<button type="submit">Sign in</button>
</form>
<p>No account yet? An owner of ${coop} can invite you; the invitation is a link where you choose your password.</p>`;
  return c.html(plainPage({ title: "Sign in", coop, body, flash: takeFlash(c) }), status);
}

async function setupPage(c: WorkspaceContext, token: string, form: FormState, problem?: string, status = 200) {
  const coop = await coopName(c);
  const link = await describeInvitation(c.get("deps"), token);
  if (link.state !== "valid") {
    const body = html`<h1>This link cannot be used</h1>
<div class="problem" role="alert"><p>${linkRefusal(link.state)}</p></div>
<p><a href="/login">Go to the sign-in page</a></p>`;
    return c.html(plainPage({ title: "Link cannot be used", coop, body }), link.state === "unknown" ? 404 : 410);
  }
  const body = html`<h1>Set up your account</h1>
<p class="lead">You are invited to ${coop}'s workspace as <strong>${link.role}</strong>, with the email
<strong>${link.email}</strong>. Choose the name your co-op knows you by and a password.</p>
${problemSummary(problem)}
<form method="post" action="/setup/${token}" class="panel" novalidate>
${csrfField(preSessionToken(c))}
<input type="text" name="email" value="${link.email}" autocomplete="username" hidden aria-hidden="true" tabindex="-1">
${textField({ name: "name", label: "Your name", form, required: true, autocomplete: "name" })}
${textField({ name: "password", label: "Password", type: "password", form, required: true, autocomplete: "new-password", hint: `At least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a good one.` })}
${textField({ name: "confirm", label: "Password again", type: "password", form, required: true, autocomplete: "new-password" })}
<button type="submit">Create my account</button>
</form>`;
  return c.html(plainPage({ title: "Set up your account", coop, body }), status as 200);
}

export function registerSignIn(app: Hono<WorkspaceEnv>): void {
  app.get("/login", (c) => loginPage(c, EMPTY_FORM));

  app.post("/login", async (c) => {
    const fields = await formFields(c);
    const values = { email: fields.email ?? "", next: fields.next ?? "" };
    try {
      const signedIn = await signIn(c.get("deps"), {
        email: values.email,
        password: fields.password ?? "",
        address: clientAddress(c),
        userAgent: c.req.header("user-agent") ?? null,
      });
      setSessionCookie(c, signedIn.token);
      return c.redirect(safeNext(values.next), 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      const limited = error.kind === "forbidden";
      return loginPage(c, formState(values, error.errors), error.message, limited ? 429 : 400);
    }
  });

  app.get("/setup/:token", (c) => setupPage(c, c.req.param("token"), EMPTY_FORM));

  app.post("/setup/:token", async (c) => {
    const token = c.req.param("token");
    const fields = await formFields(c);
    const password = fields.password ?? "";
    try {
      const person = await completeSetup(c.get("deps"), token, {
        name: fields.name ?? "",
        password,
        confirm: fields.confirm ?? "",
      });
      const signedIn = await signIn(c.get("deps"), {
        email: person.email,
        password,
        address: clientAddress(c),
        userAgent: c.req.header("user-agent") ?? null,
      });
      setSessionCookie(c, signedIn.token);
      setFlash(c, { message: `Welcome, ${person.name}. Your account is ready; you are signed in.` });
      return c.redirect("/app", 303);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      return setupPage(c, token, formState({ name: fields.name ?? "" }, error.errors), error.message, 400);
    }
  });

  app.post("/logout", async (c) => {
    await signOut(c.get("deps"), c.get("session").id);
    clearSessionCookie(c);
    setFlash(c, { message: "You are signed out." });
    return c.redirect("/login", 303);
  });
}
