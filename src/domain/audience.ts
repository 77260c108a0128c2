// Who an activity or a listing is addressed to. The public collection has
// three spellings on the wire: the full IRI, and "as:Public" or "Public"
// where compacted JSON-LD left the term; all three mean the same everywhere.

/** The ActivityStreams public collection (PUBLIC_COLLECTION in @fedify/vocab, which domain/ does not import). */
export const PUBLIC_IRI = "https://www.w3.org/ns/activitystreams#Public";

export function isPublic(iri: string): boolean {
  return iri === PUBLIC_IRI || iri === "as:Public" || iri === "Public";
}

/** Whether any of `iris` (an activity's to, cc…) is the public collection. */
export function isPublicAudience(iris: Iterable<string>): boolean {
  for (const iri of iris) if (isPublic(iri)) return true;
  return false;
}
