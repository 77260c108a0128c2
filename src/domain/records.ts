// The stored shapes and value lists that the layers above domain/ may name.
// Only domain/ and db/ import the Drizzle schema (test/unit/layers.test.ts);
// use cases, the API and the pages take these names from here instead.
export {
  type ApiTokenRow,
  type CrawlJobRow,
  type DomainRuleRow,
  type FollowerRow,
  type FollowingRow,
  LISTING_KINDS,
  LISTING_STATUSES,
  type ListingKind,
  type ListingRow,
  type ListingSource,
  type ListingStatus,
  type OrderRow,
  PERSON_ROLES,
  type PersonRole,
  type PersonRow,
  type RelayMemberRow,
  type RelaySubscriptionRow,
  type RemoteActorRow,
  type SessionRow,
  type Visibility,
} from "../db/schema.ts";
