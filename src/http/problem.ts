// RFC 9457 problem details, the one shape every error of this node leaves in
// (application/problem+json): the admin API (api/problem.ts builds on it)
// and the inbox front door (federation/front-door.ts) alike.

const TITLES: Record<number, string> = {
  400: "Invalid request",
  401: "Authentication required",
  403: "Not allowed",
  404: "Not found",
  409: "Conflict",
  413: "Request too large",
  415: "Unsupported media type",
  422: "Cannot be processed",
  429: "Too many requests",
  500: "Internal error",
  502: "Remote server failed",
};

const SLUGS: Record<number, string> = {
  400: "invalid-request",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  413: "too-large",
  415: "unsupported-media-type",
  422: "unprocessable",
  429: "too-many-requests",
  500: "internal",
  502: "bad-gateway",
};

export function problemBody(status: number, detail?: string, extra: Record<string, unknown> = {}) {
  return {
    type: `urn:weft:problem:${SLUGS[status] ?? "error"}`,
    title: TITLES[status] ?? "Error",
    status,
    ...(detail === undefined ? {} : { detail }),
    ...extra,
  };
}

export function problemResponse(status: number, detail?: string, extra: Record<string, unknown> = {}): Response {
  return new Response(JSON.stringify(problemBody(status, detail, extra)), {
    status,
    headers: { "content-type": "application/problem+json" },
  });
}
