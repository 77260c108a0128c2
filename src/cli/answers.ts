// The API's answers as the CLI names them, read off the API's own type (the
// routes' response schemas) rather than declared again here, so a change to
// a route's JSON is a compile error in the command that reads it.
import type { InferRequestType } from "hono/client";
import type { Answer, Api } from "./client.ts";

/** The success JSON of one typed call, such as `AnswerOf<Api["node"]["$get"]>`. */
export type AnswerOf<F extends (...args: never[]) => Promise<unknown>> = Answer<Awaited<ReturnType<F>>>;

export type Listing = AnswerOf<Api["listings"][":id"]["$get"]>;
export type Order = AnswerOf<Api["orders"][":id"]["$get"]>;
export type OrderLine = Order["lines"][number];
export type Crawl = AnswerOf<Api["crawls"][":id"]["$get"]>;
export type Relay = AnswerOf<Api["relays"]["$get"]>["items"][number];
export type Following = AnswerOf<Api["following"]["$get"]>["items"][number];
export type Follower = AnswerOf<Api["followers"]["$get"]>["items"][number];
export type SearchPage = AnswerOf<Api["search"]["$get"]>;
export type Coop = AnswerOf<Api["coops"]["$get"]>["items"][number];

/**
 * What a route takes, for requests the CLI passes on as the person wrote them
 * (a JSON file, option values): the CLI checks their form, the node their
 * content, and refuses with a problem the CLI prints.
 */
export type QueryOf<F> = InferRequestType<F> extends { query: infer Q } ? Q : never;
export type BodyOf<F> = InferRequestType<F> extends { json: infer J } ? J : never;
