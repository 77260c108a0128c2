// Usage lines, kept in one place: `weft help` prints them all, and each bad
// command line ends with the usage of the command it was meant to be.

export const USAGE = {
  start: "weft start",
  token: "weft token create --scope read|write|admin [--scope …] [--expires 30d|12h|15m|never] [--name <label>]",
  tokenList: "weft token list [--all] [--json]",
  tokenRevoke: "weft token revoke <id>",
  keysRotate: "weft keys rotate [--json]",
  follow: "weft follow <handle-or-actor-URL> [--json]",
  unfollow: "weft unfollow <id-or-handle>",
  following: "weft following [--json]",
  followers: "weft followers [--pending] [--json]",
  approve: "weft followers approve <id-or-handle> [--json]",
  reject: "weft followers reject <id-or-handle>",
  remove: "weft followers remove <id-or-handle>",
  status: "weft status [--json]",
  listing: "weft listing create|list|show|update|remove …",
  listingCreate: "weft listing create --file <listing.json|-> [--json]",
  listingList: "weft listing list [--kind offer|capacity|need] [--category <path>] [--status active|paused] [--json]",
  listingShow: "weft listing show <id> [--json]",
  listingUpdate: "weft listing update <id> --file <patch.json|-> [--json]",
  listingRemove: "weft listing remove <id>",
  timeline:
    "weft timeline [--kind offer|capacity|need] [--category <path>] [--limit N] [--cursor <next>|--all] [--json]",
  order: "weft order create|list|show|accept|reject|propose-changes|accept-changes|change|cancel|ship|receive|ubl …",
  orderCreate: "weft order create --file <order.json|-> [--json]",
  orderList: "weft order list [--role buyer|seller] [--state <state>] [--partner <actor URL>] [--json]",
  orderShow: "weft order show <id> [--json]",
  orderAccept: "weft order accept <id> [--json]",
  orderReject: "weft order reject <id> [--reason <text>] [--json]",
  orderProposeChanges: "weft order propose-changes <id> --file <changes.json|-> [--json]",
  orderAcceptChanges: "weft order accept-changes <id> [--json]",
  orderChange: "weft order change <id> --file <changes.json|-> [--json]",
  orderCancel: "weft order cancel <id> --reason <text> [--json]",
  orderShip:
    "weft order ship <id> --line <line>=<quantity> [--line …] [--tracking <text>] [--date YYYY-MM-DD] [--json]",
  orderReceive: "weft order receive <id> --line <line>=<quantity> [--line …] [--date YYYY-MM-DD] [--json]",
  orderUbl: "weft order ubl <id> [--out <file.xml>]",
  search:
    "weft search [<words>…] [--kind K] [--category C] [--region R] [--near lat,lon [--radius km]] [--from D] [--until D] [--min-quantity N --unit U] [--max-price N --currency C] [--sort relevance|distance|newest] [--limit N] [--cursor <next>|--all] [--json]",
  coops: "weft coops [--region <code>] [--category <path>] [--json]",
  relay: "weft relay add|list|remove|members|approve|reject …",
  relayAdd: "weft relay add <relay@host-or-actor-URL> [--json]",
  relayList: "weft relay list [--json]",
  relayRemove: "weft relay remove <id-or-actor-URL>",
  relayMembers: "weft relay members [--json]",
  relayApprove: "weft relay approve <member-actor-URL>",
  relayReject: "weft relay reject <member-actor-URL>",
  block: "weft block <domain> [--note <text>] [--json]",
  unblock: "weft unblock <domain>",
  allow: "weft allow <domain> [--note <text>] [--json]",
  disallow: "weft disallow <domain>",
  domains: "weft domains [--json]",
  crawl: "weft crawl [--depth N] [--max-actors N] [--rate N] [--no-wait] [--json]",
  crawlShow: "weft crawl show <id> [--json]",
  matches: "weft matches [--new] [--json]",
  matchesSeen: "weft matches seen [--json]",
  user: "weft user add|list …",
  userAdd: "weft user add <email> --role owner|member|viewer [--json]",
  userList: "weft user list [--json]",
  backup: "weft backup --out <file>",
  restore: "weft restore <file> [--data-dir <folder> | --database-url <postgres://…>]",
  help: "weft help",
} as const;

/** A long usage over several lines for the help, each option group whole. */
function wrap(usage: string, width = 100): string {
  const lines = [""];
  for (const part of usage.split(/ (?=\[)/)) {
    const last = lines.length - 1;
    if (lines[last] !== "" && lines[last]!.length + part.length + 1 > width) lines.push(`  ${part}`);
    else lines[last] = lines[last] === "" ? part : `${lines[last]} ${part}`;
  }
  return lines.join("\n  ");
}

export const HELP = `weft — run and manage a Weft co-op node

Usage:
  ${USAGE.start}
      Run the node (the same as "npm start").
  ${USAGE.token}
      Print a new API token for scripts and other tools; the default expiry is 30d.
      The running node records it, so it can be listed and revoked.
  ${USAGE.tokenList}
      The API tokens handed out and still valid (--all: revoked and expired ones too).
  ${USAGE.tokenRevoke}
      Revoke a token: the node refuses it from now on.
  ${USAGE.keysRotate}
      Make new keys for the co-op and announce them; the old ones still verify for WEFT_KEY_GRACE (7d).
  ${USAGE.follow}
      Ask a co-op to let this co-op follow it, e.g. weft follow coop@dyehouse.example
  ${USAGE.unfollow}
      Stop following a co-op.
  ${USAGE.following}
      List the co-ops this co-op follows, and whether they accepted.
  ${USAGE.followers}
      List the co-ops following this co-op (--pending: only those waiting for approval).
  ${USAGE.approve}
  ${USAGE.reject}
      Answer a co-op waiting for approval (WEFT_FOLLOW_APPROVAL=manual).
  ${USAGE.remove}
      Stop a co-op from following this co-op.
  ${USAGE.status}
      Show the co-op's name, account, database, follower counts and delivery queue.
  ${USAGE.listingCreate}
      Publish an offer, capacity or need from a JSON file (- reads stdin); followers receive it.
  ${USAGE.listingList}
      List this co-op's own listings, newest change first.
  ${USAGE.listingShow}
      Show one of this co-op's listings in full.
  ${USAGE.listingUpdate}
      Change a listing: the file holds only the fields to change (null clears one).
  ${USAGE.listingRemove}
      Withdraw a listing; co-ops that received it are told to delete it.
  ${USAGE.timeline}
      Active listings of the co-ops this co-op follows, and its own, newest first
      (--all: every page; otherwise the first page and how to get the next).
  ${USAGE.orderCreate}
      Place an order from a JSON file with lines from a followed co-op's listings.
  ${USAGE.orderList}
      List orders this co-op placed (buyer) and received (seller), newest change first.
  ${USAGE.orderShow}
      Show an order: terms, lines with what was shipped and received, allowed actions, history.
  ${USAGE.orderAccept}
  ${USAGE.orderReject}
      As seller: answer an order, or the buyer's change or cancellation request.
  ${USAGE.orderProposeChanges}
      As seller: accept an order on changed terms; the buyer answers with accept-changes or cancel.
  ${USAGE.orderAcceptChanges}
      As buyer: agree to the seller's proposed changes.
  ${USAGE.orderChange}
      As buyer: ask to change an accepted order; the seller accepts or rejects.
  ${USAGE.orderCancel}
      As buyer: cancel (before the seller accepted) or ask the seller to cancel.
  ${USAGE.orderShip}
  ${USAGE.orderReceive}
      Record a shipment (seller) or a receipt (buyer) of quantities per line (date: today).
  ${USAGE.orderUbl}
      Print the order as a UBL 2.1 Order document, or write it to a file.
  ${wrap(USAGE.search)}
      Search every listing this node knows (own, partners', from relays and crawls);
      words are matched in titles and descriptions. --radius needs --near.
  ${USAGE.coops}
      The directory of co-ops this node knows, with what they list and how it knows them.
  ${USAGE.relayAdd}
      Join a relay (a regional hub): its members' public listings reach this node.
  ${USAGE.relayList}
      List the relays this co-op joined, and whether they accepted.
  ${USAGE.relayRemove}
      Leave a relay.
  ${USAGE.relayMembers}
      When this node runs a hub (WEFT_RELAY=on): its members, those waiting for approval first.
  ${USAGE.relayApprove}
  ${USAGE.relayReject}
      Admit a co-op waiting to join the hub (WEFT_RELAY_ADMISSION=approval), or turn one away.
  ${USAGE.block}
  ${USAGE.unblock}
      Block a server (coop.example covers its sub-domains and every port; host:port that port only):
      its activities are refused, nothing is sent to it, its listings leave search and matches.
  ${USAGE.allow}
  ${USAGE.disallow}
      The allow list read when the node runs with WEFT_FEDERATION=allowlist.
  ${USAGE.domains}
      The blocked and allowed servers.
  ${USAGE.crawl}
      Discover co-ops through partners' followers and following, with a progress bar;
      --no-wait prints the crawl's id and returns.
  ${USAGE.crawlShow}
      Show a crawl's progress.
  ${USAGE.matches}
      This co-op's needs matched with known offers and capacity, and known needs with its own, best first.
  ${USAGE.matchesSeen}
      Mark every current match as seen (--new then leaves them out).
  ${USAGE.userAdd}
      Invite a person to the workspace: prints a one-time link (valid 24 hours) where they choose a password.
  ${USAGE.userList}
      List the people with an account, and their roles.
  ${USAGE.backup}
      Save a backup of the running node: its data, keys and API secret (keep it safe).
  ${USAGE.restore}
      Restore a backup into an empty data folder or database (default: WEFT_DATA_DIR or
      DATABASE_URL), with the node stopped; then start the node on it.
  ${USAGE.help}
      Show this help (also: weft --help).

weft reads the same environment as the node (PORT, WEFT_ORIGIN, WEFT_DATA_DIR
or WEFT_SECRET, ...) and talks to the node at http://127.0.0.1:$PORT, or at
WEFT_API_URL when set. --json prints the API's JSON instead of a table.

Exit codes: 0 done, 1 the node refused or could not be reached, 2 bad command line.
More: docs/cli.md`;
