// Errors Hono raises inside the API keep their own status as a problem
// (they were all reported as 400 before).
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { httpExceptionProblem } from "../../src/api/problem.ts";

function appThrowing(error: HTTPException): Hono {
  const app = new Hono();
  app.get("/", () => {
    throw error;
  });
  app.onError((e, c) => httpExceptionProblem(c, e as HTTPException));
  return app;
}

describe("HTTPException as a problem", () => {
  it("keeps its status", async () => {
    for (const status of [401, 404, 413, 429, 503] as const) {
      const response = await appThrowing(new HTTPException(status, { message: "no" })).request("/");
      expect(response.status).toBe(status);
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      const body = await response.json();
      expect(body).toMatchObject({ status, detail: "no" });
      expect(body.errors).toBeUndefined();
    }
  });

  it("names the body as the failing field of a 400", async () => {
    const response = await appThrowing(new HTTPException(400, { message: "Malformed JSON in request body" })).request(
      "/",
    );
    expect(response.status).toBe(400);
    expect((await response.json()).errors).toEqual([{ field: "body", message: "Malformed JSON in request body" }]);
  });
});
