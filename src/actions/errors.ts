// The one way a use case says "no": what kind of refusal, a sentence for a
// person, and the fields it concerns. The API turns it into RFC 9457
// problem+json (src/api/problem.ts), the pages into a message next to each
// field, the CLI into one line.

export type RefusalKind =
  | "invalid" // the input breaks a rule (400)
  | "forbidden" // this person or token may not do it (403)
  | "not_found" // what it names does not exist here (404)
  | "conflict" // it clashes with the current state (409)
  | "unprocessable" // well-formed but cannot be done, e.g. a handle that is not a co-op (422)
  | "unreachable"; // another server did not answer (502)

export interface FieldError {
  /** A dotted path into the input, e.g. `lines.0.quantity`; `body` for the whole input. */
  field: string;
  message: string;
}

export class ActionError extends Error {
  readonly kind: RefusalKind;
  readonly errors: FieldError[];
  /** Extra members for the problem document (e.g. the id of the existing follow). */
  readonly extra: Record<string, unknown>;

  constructor(kind: RefusalKind, message: string, errors: FieldError[] = [], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = "ActionError";
    this.kind = kind;
    this.errors = errors;
    this.extra = extra;
  }
}

/** Zod issues as field errors, one per failing field (`prefix` names where the input came from). */
export function fieldErrorsOf(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix?: string,
): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    const field = [prefix, path].filter(Boolean).join(".") || (prefix ?? "body");
    return { field, message: issue.message };
  });
}

/** The refusal for input that breaks rules: "Invalid a, b" naming each failing field once. */
export function invalidInput(errors: FieldError[]): ActionError {
  return new ActionError("invalid", `Invalid ${[...new Set(errors.map((e) => e.field))].join(", ")}`, errors);
}
