// How the workspace shows crawls in words: the form that starts one (the
// bounds explained as "how far, how many, how fast"), the list with each
// crawl's progress, and one crawl's page, which reloads itself while the
// crawl runs (a meta refresh: no script needed).
import { html } from "hono/html";
import { CRAWL_BOUNDS, type CrawlJson } from "../actions/crawls.ts";
import { csrfField, type FormState, problemSummary, selectField, textField } from "./forms.ts";

type Html = ReturnType<typeof html>;

export const CRAWL_STATE: Record<CrawlJson["state"], string> = {
  running: "Running",
  done: "Finished",
  failed: "Stopped by an error",
  interrupted: "Cut short when the node stopped",
};

const DEPTH_OPTIONS = [
  { value: "1", label: "1 step" },
  { value: "2", label: "2 steps (usual)" },
  { value: "3", label: "3 steps" },
  { value: "4", label: "4 steps (the most)" },
];

export function when(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** The form that starts a crawl; an empty number field takes its default. */
export function crawlForm(csrf: string, form: FormState, problem?: string): Html {
  const { maxActors, ratePerSecond } = CRAWL_BOUNDS;
  return html`<div class="subsection">
<h3>Look for more co-ops</h3>
<p>A crawl looks through the partners of the co-ops we know (who they follow and who follows them), up to the number of steps you choose, and stores each co-op it finds with its public listings, so they show up in <a href="/app/search">Find capacity</a> and in matches. It never follows anyone, and it leaves out co-ops that asked not to be found.</p>
${problemSummary(problem)}
<form method="post" action="/app/hubs/crawls" novalidate>
${csrfField(csrf)}
${selectField({ name: "depth", label: "How far", options: DEPTH_OPTIONS, selected: String(CRAWL_BOUNDS.depth.default), form, hint: "1 step: the partners of the co-ops we know (whom they follow, who follows them). 2 steps: also their partners. And so on: each step finds more, and takes longer." })}
${textField({ name: "maxActors", label: "Stop after finding this many co-ops", form, hint: `A whole number from ${maxActors.min} to ${maxActors.max}; empty means ${maxActors.default}.` })}
${textField({ name: "ratePerSecond", label: "At most this many requests per second", form, hint: `From ${ratePerSecond.min} to ${ratePerSecond.max}; empty means ${ratePerSecond.default}. Slower is kinder to small servers.` })}
<button type="submit">Start the crawl</button>
</form>
</div>`;
}

function progress(crawl: CrawlJson): Html {
  return html`<label for="progress-${crawl.id}">Co-ops found: ${crawl.discovered} of at most ${crawl.maxActors}</label>
<progress id="progress-${crawl.id}" max="${crawl.maxActors}" value="${crawl.discovered}">${crawl.discovered} of ${crawl.maxActors}</progress>`;
}

export function crawlTable(crawls: CrawlJson[]): Html {
  if (crawls.length === 0) return html`<p class="empty">No crawl yet.</p>`;
  return html`<table class="cards">
<thead><tr><th scope="col">Started</th><th scope="col">How far</th><th scope="col">State</th><th scope="col">Co-ops found</th><th scope="col">Listings stored</th><th scope="col"><span class="sr-only">Details</span></th></tr></thead>
<tbody>${crawls.map(
    (crawl) => html`<tr>
<td data-label="Started">${when(crawl.startedAt)}</td>
<td data-label="How far">${crawl.depth === 1 ? "1 step" : `${crawl.depth} steps`}</td>
<td data-label="State">${CRAWL_STATE[crawl.state]}</td>
<td data-label="Co-ops found">${crawl.discovered}${crawl.state === "running" ? ` so far (of at most ${crawl.maxActors})` : ""}</td>
<td data-label="Listings stored">${crawl.listings}</td>
<td data-label="Details"><a href="/app/hubs/crawls/${crawl.id}">Progress<span class="sr-only"> of the crawl started ${when(crawl.startedAt)}</span></a></td>
</tr>`,
  )}</tbody>
</table>`;
}

/** One crawl: where it stands, in words and figures. */
export function crawlBody(crawl: CrawlJson): Html {
  const running = crawl.state === "running";
  return html`<p><a href="/app/hubs">← Hubs &amp; crawls</a></p>
<h1>Crawl started ${when(crawl.startedAt)}</h1>
<p class="lead" role="status"><strong>${CRAWL_STATE[crawl.state]}.</strong> ${
    running
      ? "This page refreshes itself every 3 seconds until the crawl ends."
      : crawl.finishedAt
        ? `Ended ${when(crawl.finishedAt)}.`
        : ""
  }</p>
${crawl.state === "failed" && crawl.error ? html`<div class="problem"><p>What went wrong: ${crawl.error}</p></div>` : ""}
${crawl.state === "interrupted" ? html`<p>The node stopped while this crawl ran. What it found until then is kept; start a new crawl to look further.</p>` : ""}
<section class="panel crawl-progress" aria-labelledby="figures">
<h2 id="figures">${running ? "So far" : "What it found"}</h2>
${running ? progress(crawl) : ""}
<dl class="facts">
<dt>Co-ops whose partner lists were read</dt><dd>${crawl.visited}</dd>
<dt>New co-ops found</dt><dd>${crawl.discovered}</dd>
<dt>Left out (they asked not to be found)</dt><dd>${crawl.skipped}</dd>
<dt>Listings stored (new or changed)</dt><dd>${crawl.listings}</dd>
<dt>How far</dt><dd>${crawl.depth === 1 ? "1 step" : `${crawl.depth} steps`} from the co-ops we know</dd>
</dl>
</section>
${crawl.state === "done" ? html`<p>See what it found in <a href="/app/search">Find capacity</a> and <a href="/app/matches">Matches</a>.</p>` : ""}`;
}
