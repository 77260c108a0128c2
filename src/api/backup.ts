// GET /api/v1/backup: a consistent backup of the running node (admin only:
// it holds the co-op's private keys and the API secret). `weft backup`
// saves it; `weft restore` brings it back (docs/operations.md).
import { createRoute, z } from "@hono/zod-openapi";
import { createBackup } from "../actions/backups.ts";
import { scoped } from "./auth.ts";
import { router } from "./router.ts";
import { problems } from "./schemas.ts";

export function backupRoutes() {
  return router().openapi(
    createRoute({
      method: "get",
      path: "/backup",
      tags: ["Node"],
      summary: "A backup of everything: data, keys and the API secret",
      description:
        "Gzip-compressed JSON lines read in one consistent transaction while the node runs; restore it with `weft restore`.",
      ...scoped("admin"),
      responses: {
        200: {
          description: "The backup file",
          content: { "application/gzip": { schema: z.string().openapi({ format: "binary" }) } },
        },
        ...problems(),
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      const bytes = await createBackup(deps.actions, { driver: deps.database.driver, secret: deps.secret });
      const name = `weft-backup-${new Date().toISOString().replace(/[:.]/g, "-")}.gz`;
      return c.body(new Uint8Array(bytes), 200, {
        "content-type": "application/gzip",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      });
    },
  );
}
