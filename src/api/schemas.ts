// Shapes shared by several API resources, and the row → JSON mapping.
import { z } from "@hono/zod-openapi";
import { ProblemSchema } from "./problem.ts";

export const IdParam = z.object({
  id: z.uuid({ error: "must be an id as returned by the API (a UUID)" }).openapi({ param: { name: "id", in: "path" } }),
});

export const RemoteActorSchema = z
  .object({
    iri: z.string().openapi({ example: "https://knit.example/coops/coop" }),
    handle: z.string().nullable().openapi({ example: "coop@knit.example" }),
    name: z.string().nullable(),
    summary: z.string().nullable(),
    url: z.string().nullable(),
    type: z.string().openapi({ example: "Organization" }),
  })
  .openapi("RemoteActor");

export const FollowingSchema = z
  .object({
    id: z.string(),
    state: z.enum(["pending", "accepted", "rejected"]),
    actor: RemoteActorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Following");

export const FollowerSchema = z
  .object({
    id: z.string(),
    state: z.enum(["pending", "accepted"]),
    actor: RemoteActorSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Follower");

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 422 | 502;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: "Invalid request: the failing fields are named in `errors`",
  401: "No valid API token",
  403: "The token lacks the scope this route needs",
  404: "No such resource",
  409: "Conflicts with the current state",
  422: "Understood but cannot be done",
  502: "The remote server failed or could not be reached",
};

type ProblemResponse = { description: string; content: typeof problemContent };

/**
 * The error responses every authenticated route can give, keyed by their
 * literal statuses so the typed client (hono/client) knows each of them.
 */
export function problems<const S extends ProblemStatus[]>(...statuses: S) {
  return Object.fromEntries(
    ([401, 403, ...statuses] as ProblemStatus[]).map((s) => [
      s,
      { description: PROBLEM_DESCRIPTIONS[s], content: problemContent },
    ]),
  ) as { [K in 401 | 403 | S[number]]: ProblemResponse };
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}
