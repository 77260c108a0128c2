// A self-contained docs page for the admin API, rendered from the OpenAPI
// document: no scripts from a CDN, so it works on a node with no Internet.
import { escapeHtml } from "../domain/html.ts";

export interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths?: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, unknown> };
}

interface OperationObject {
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

/** The page's stylesheet, served beside it: the pages' policy allows no inline style. */
export const API_DOCS_CSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
pre{background:#f5f3ef;padding:.75rem;overflow:auto;font-size:13px}section{border-top:1px solid #ddd;padding:.5rem 0}
.m{background:#3d5a80;color:#fff;padding:0 .4rem;border-radius:3px;font-size:.85em}
`;

const json = (value: unknown) => escapeHtml(JSON.stringify(value, null, 2));

export function renderApiDocs(doc: OpenApiDoc): string {
  const sections: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? [])
        .map(
          (p) => `<li><code>${escapeHtml(p.name)}</code> (${escapeHtml(p.in)}${p.required ? ", required" : ""})</li>`,
        )
        .join("");
      const body = op.requestBody?.content?.["application/json"]?.schema;
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><b>${escapeHtml(status)}</b> ${escapeHtml(r.description ?? "")}</li>`)
        .join("");
      sections.push(`<section>
  <h3><span class="m">${method.toUpperCase()}</span> <code>/api/v1${escapeHtml(path)}</code></h3>
  <p>${escapeHtml(op.summary ?? "")}</p>
  ${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}
  ${body ? `<h4>Body (application/json)</h4><pre>${json(body)}</pre>` : ""}
  <h4>Responses</h4><ul>${responses}</ul>
</section>`);
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<h3 id="${escapeHtml(name)}">${escapeHtml(name)}</h3><pre>${json(schema)}</pre>`)
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<link rel="stylesheet" href="/api/v1/docs.css"></head>
<body><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? "")}</p>
<p>Every route needs <code>Authorization: Bearer &lt;token&gt;</code>; create a token with
<code>npx weft token create --scope admin</code>. Errors are RFC 9457 <code>application/problem+json</code>.
The machine-readable document is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
<h2>Routes</h2>${sections.join("\n")}
<h2>Schemas</h2>${schemas}
</body></html>`;
}
