// /api/v1/people: the people who use the workspace. An admin token acts as
// an owner, so `weft user add` can create the first account of a new node.
import { createRoute, z } from "@hono/zod-openapi";
import { API_ADMIN, invitePerson, listPeople, PERSON_ROLES } from "../actions/people.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { json, problems } from "./schemas.ts";

const PersonSchema = z
  .object({
    id: z.string(),
    email: z.string().openapi({ example: "sam@knit.example" }),
    name: z.string(),
    role: z.enum(PERSON_ROLES),
    createdAt: z.string(),
  })
  .openapi("Person");

const InvitationRequest = z
  .object({
    email: z.string().openapi({ example: "sam@knit.example" }),
    role: z.enum(PERSON_ROLES, { error: "must be owner, member or viewer" }),
  })
  .openapi("InvitationRequest");

const InvitationSchema = z
  .object({
    email: z.string(),
    role: z.enum(PERSON_ROLES),
    setupUrl: z.string().openapi({ description: "One-time link where the person chooses a password" }),
    expiresAt: z.string().openapi({ description: "When the link stops working (24 hours)" }),
  })
  .openapi("Invitation");

export function peopleRoutes() {
  return router()
    .openapi(
      createRoute({
        method: "post",
        path: "/people",
        tags: ["People"],
        summary: "Invite a person: returns a one-time set-up link, valid for 24 hours",
        ...scoped("admin"),
        request: { body: { content: { "application/json": { schema: InvitationRequest } }, required: true } },
        responses: { 201: json(InvitationSchema, "The invitation and its link"), ...problems(400, 409) },
      }),
      async (c) => {
        // A use case's refusal becomes a problem in the API's error handler (api/index.ts).
        const invitation = await invitePerson(c.get("deps").actions, API_ADMIN, c.req.valid("json"));
        return c.json({ ...invitation, expiresAt: invitation.expiresAt.toISOString() }, 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/people",
        tags: ["People"],
        summary: "The people with an account on this node",
        ...scoped("admin"),
        responses: { 200: json(z.object({ items: z.array(PersonSchema) }), "People, by name") },
      }),
      async (c) => {
        const people = await listPeople(c.get("deps").actions);
        return c.json(
          {
            items: people.map((p) => ({
              id: p.id,
              email: p.email,
              name: p.name,
              role: p.role,
              createdAt: p.createdAt.toISOString(),
            })),
          },
          200,
        );
      },
    );
}
