// Form helpers for every workspace form: each field has a label, may have a
// hint, shows its error in words next to it, and keeps what the person
// typed. Errors are tied to fields with aria-describedby and aria-invalid.
import { html } from "hono/html";
import type { FieldError } from "../actions/errors.ts";

type Html = ReturnType<typeof html>;

/** What a form shows again after a refusal: the values typed and the errors by field. */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export const EMPTY_FORM: FormState = { values: {}, errors: {} };

export function formState(values: Record<string, string>, errors: FieldError[] = []): FormState {
  const byField: Record<string, string> = {};
  for (const e of errors) byField[e.field] ??= e.message;
  return { values, errors: byField };
}

interface FieldOptions {
  name: string;
  label: string;
  form?: FormState;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  /** The id prefix, when one page holds the same field twice. */
  id?: string;
}

function parts(o: FieldOptions) {
  const id = `${o.id ?? "f"}-${o.name}`;
  const error = o.form?.errors[o.name];
  const described = [o.hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  const top = html`<label for="${id}">${o.label}</label>${o.hint ? html`<span class="hint" id="${id}-hint">${o.hint}</span>` : ""}${error ? html`<span class="error" id="${id}-error">${error}</span>` : ""}`;
  return { id, error, described: described || undefined, top };
}

export function textField(
  o: FieldOptions & {
    type?: "text" | "email" | "password" | "search" | "date" | "number" | "url" | "tel";
    /** "decimal" for amounts typed as text (decimal strings, never floats). */
    inputmode?: "decimal";
    /** The id of a <datalist> of suggestions (free text still allowed). */
    list?: string;
  },
): Html {
  const p = parts(o);
  // Passwords are never sent back to the page.
  const value = o.type === "password" ? "" : (o.form?.values[o.name] ?? "");
  return html`<div class="field${p.error ? " invalid" : ""}">${p.top}
<input type="${o.type ?? "text"}" id="${p.id}" name="${o.name}" value="${value}"${o.required ? html` required` : ""}${o.inputmode ? html` inputmode="${o.inputmode}"` : ""}${o.list ? html` list="${o.list}"` : ""}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ""}${p.described ? html` aria-describedby="${p.described}"` : ""}${p.error ? html` aria-invalid="true"` : ""}></div>`;
}

export function textareaField(o: FieldOptions & { rows?: number }): Html {
  const p = parts(o);
  return html`<div class="field${p.error ? " invalid" : ""}">${p.top}
<textarea id="${p.id}" name="${o.name}" rows="${o.rows ?? 5}"${o.required ? html` required` : ""}${p.described ? html` aria-describedby="${p.described}"` : ""}${p.error ? html` aria-invalid="true"` : ""}>${o.form?.values[o.name] ?? ""}</textarea></div>`;
}

export function selectField(
  o: FieldOptions & { options: readonly { value: string; label: string }[]; selected?: string },
): Html {
  const p = parts(o);
  const selected = o.form?.values[o.name] ?? o.selected;
  return html`<div class="field${p.error ? " invalid" : ""}">${p.top}
<select id="${p.id}" name="${o.name}"${o.required ? html` required` : ""}${p.described ? html` aria-describedby="${p.described}"` : ""}${p.error ? html` aria-invalid="true"` : ""}>${o.options.map(
    (opt) => html`<option value="${opt.value}"${opt.value === selected ? html` selected` : ""}>${opt.label}</option>`,
  )}</select></div>`;
}

/** The hidden CSRF token every form carries. */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A form that is just one button (sign out, revoke, remove…), posting to `action`. */
export function buttonForm(o: {
  action: string;
  csrf: string;
  label: string;
  /** Says what the button acts on, for screen readers (several alike on a page). */
  detail?: string;
  style?: "secondary" | "danger" | "link";
  hidden?: Record<string, string>;
}): Html {
  return html`<form method="post" action="${o.action}" class="inline">${csrfField(o.csrf)}${Object.entries(
    o.hidden ?? {},
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit"${o.style ? html` class="${o.style}"` : ""}>${o.label}${o.detail ? html`<span class="sr-only"> ${o.detail}</span>` : ""}</button></form>`;
}

/** The sentence at the top of a refused form (the field errors sit by their fields). */
export function problemSummary(message: string | undefined): Html | string {
  return message ? html`<div class="problem" role="alert"><p>${message}</p></div>` : "";
}
