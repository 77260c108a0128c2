// POST /api/v1/node/keys/rotate: new key pairs for the co-op actor, the old
// ones kept as retiring for WEFT_KEY_GRACE (spec/actor.md#key-rotation).
import { createRoute, z } from "@hono/zod-openapi";
import { rotateKeys } from "../actions/keys.ts";
import { API_ADMIN } from "../actions/people.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { json, problems } from "./schemas.ts";

const RotationSchema = z
  .object({
    rotatedAt: z.string(),
    retiringUntil: z.string().openapi({ description: "Until when the replaced keys stay published and verify" }),
    announcedTo: z.object({
      followers: z.number().openapi({ description: "Accepted followers sent the Update of the actor" }),
      others: z
        .number()
        .openapi({ description: "Co-ops we follow or have orders with, not following us, sent it too" }),
    }),
  })
  .openapi("KeyRotation");

export function keyRoutes() {
  return router().openapi(
    createRoute({
      method: "post",
      path: "/node/keys/rotate",
      tags: ["Node"],
      summary: "Rotate the co-op's keys: new ones sign from now on, the old ones stay published for a grace period",
      ...scoped("admin"),
      responses: { 200: json(RotationSchema, "The keys were rotated and the actor's Update queued"), ...problems() },
    }),
    async (c) => {
      const rotation = await rotateKeys(c.get("deps").actions, API_ADMIN);
      return c.json(
        {
          rotatedAt: rotation.rotatedAt.toISOString(),
          retiringUntil: rotation.retiringUntil.toISOString(),
          announcedTo: rotation.announcedTo,
        },
        200,
      );
    },
  );
}
