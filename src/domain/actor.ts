// Where a node's co-op actor lives: /coops/{handle} on its origin. Fedify's
// actor dispatcher is registered on ACTOR_PATH, so the IRI made here without
// a Fedify context (use cases, UBL, pages) is the one Fedify serves.

export const ACTOR_PATH = "/coops/{identifier}";

/** The co-op actor's IRI, e.g. `https://knit.example/coops/coop`. */
export function actorIri(node: { origin: string; handle: string }): string {
  return new URL(ACTOR_PATH.replace("{identifier}", encodeURIComponent(node.handle)), node.origin).href;
}
