// Refusing servers we do not talk to (domain blocks, and in allow-list mode
// everyone not allowed), at two doors:
// - the front door: before Fedify parses the body, fetches the signer's key
//   or checks anything, the host of the signature's key id is looked up
//   (one primary-key query), so a blocked server's flood costs us little;
// - each inbox listener: an activity a hub forwards is signed by the hub,
//   so the author (the activity's actor, whose proof Fedify has checked) is
//   looked up again before anything is stored.
import type { InboxContext } from "@fedify/fedify";
import type { Activity } from "@fedify/vocab";
import { refusalOf } from "../domain/domain-rules.ts";
import { problemResponse } from "../http/problem.ts";
import { logger } from "../logging.ts";
import type { NodeServices } from "../services.ts";

const log = logger("federation", "inbox", "refused");

/** The key id of a draft-cavage `Signature` or an RFC 9421 `Signature-Input` header. */
function signatureKeyId(request: Request): string | null {
  const cavage = request.headers.get("signature")?.match(/keyId="([^"]+)"/i)?.[1];
  if (cavage && !request.headers.has("signature-input")) return cavage;
  return request.headers.get("signature-input")?.match(/keyid="([^"]+)"/i)?.[1] ?? cavage ?? null;
}

/** A 403 for an inbox POST whose signer's server we refuse; null to let it through. */
export async function refuseAtFrontDoor(services: NodeServices, request: Request): Promise<Response | null> {
  const keyId = signatureKeyId(request);
  if (!keyId) return null;
  const refusal = await refusalOf(services.db, services.config.federation, keyId);
  if (!refusal) return null;
  const host = new URL(keyId).host;
  log.info("Refused an activity signed by {host}: the server is {refusal}", { host, refusal, keyId });
  return problemResponse(403, `This server does not accept activities from ${host}`);
}

type Listener<A extends Activity> = (ctx: InboxContext<NodeServices>, activity: A) => Promise<void>;

/** The listener, run only when the activity's author is a server we talk to. */
export function fromAllowedServer<A extends Activity>(listener: Listener<A>): Listener<A> {
  return async (ctx, activity) => {
    const actor = activity.actorId;
    const refusal = actor ? await refusalOf(ctx.data.db, ctx.data.config.federation, actor) : null;
    if (refusal) {
      log.info("Refused {type} {id} from {actor}: the server is {refusal}", {
        type: activity.constructor.name,
        id: activity.id?.href,
        actor: actor?.href,
        refusal,
      });
      return;
    }
    await listener(ctx, activity);
  };
}
