// A workspace page as the answer to a request: the frame (layout.ts) filled
// with what every page shows from the request itself — the co-op's name, the
// signed-in person, their CSRF token, the current path and the flash message.
import type { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { workspacePage } from "./layout.ts";
import { takeFlash, type WorkspaceContext } from "./session.ts";
import { coopName } from "./sign-in.ts";

type Html = ReturnType<typeof html>;

export async function respondWithPage(
  c: WorkspaceContext,
  title: string,
  body: Html,
  status: ContentfulStatusCode = 200,
  refreshSeconds?: number,
) {
  return c.html(
    workspacePage({
      title,
      coop: await coopName(c),
      person: c.get("person"),
      csrf: c.get("csrfToken"),
      path: c.req.path,
      flash: takeFlash(c),
      body,
      refreshSeconds,
    }),
    status,
  );
}
