// Order activities are signed by Weft itself (signActivity) and handed to
// Fedify to deliver as they are: the body must be what Fedify would have
// sent, less the Linked Data signature, and its proof must verify.
import "../../src/temporal.ts";
import { generateCryptoKeyPair, getDocumentLoader, signObject, verifyObject } from "@fedify/fedify";
import { Activity, Multikey, Offer } from "@fedify/vocab";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderEnvelope } from "../../src/federation/order-vocab.ts";
import { activityOf } from "../../src/federation/order-vocab.ts";
import { type ProofKey, type SignedActivity, signActivity } from "../../src/federation/private-outbox.ts";

const KNIT = "https://knit.example/coops/coop";
const DYE = "https://dye.example/coops/coop";
const contextLoader = getDocumentLoader();

const envelope: OrderEnvelope = {
  order: "https://knit.example/orders/1",
  buyer: KNIT,
  seller: DYE,
  event: {
    id: "https://knit.example/activities/1",
    type: "order",
    actor: "buyer",
    base: 0,
    at: "2027-01-10T09:00:00.000Z",
    payload: {
      type: "order",
      terms: {
        lines: [
          {
            id: "1",
            listing: "https://dye.example/listings/1",
            title: "Jersey",
            quantity: { amount: "200", unit: "MTR" },
            unitPrice: { amount: "7.40", currency: "USD" },
          },
        ],
        currency: "USD",
        deliveryWindow: null,
        deliverTo: null,
        partialDelivery: true,
        note: null,
      },
    },
  },
};
const terms = envelope.event.payload.type === "order" ? envelope.event.payload.terms : null;
const offer = activityOf(envelope, KNIT, DYE, terms, null);

describe("signActivity", () => {
  let key: ProofKey;
  let publicKey: CryptoKey;
  /** Serves knit's Ed25519 Multikey, as knit's actor document lists it. */
  let documentLoader: (url: string) => Promise<{ documentUrl: string; contextUrl: null; document: unknown }>;

  beforeAll(async () => {
    const pair = await generateCryptoKeyPair("Ed25519");
    key = { privateKey: pair.privateKey, id: new URL(`${KNIT}#multikey-2`) };
    publicKey = pair.publicKey;
    const multikey = await new Multikey({ id: key.id, controller: new URL(KNIT), publicKey }).toJsonLd({
      format: "compact",
      contextLoader,
    });
    documentLoader = async (url) => {
      if (!url.startsWith(KNIT)) throw new Error(`Unexpected fetch of ${url}`);
      return { documentUrl: url, contextUrl: null, document: multikey };
    };
  });

  const verify = (json: unknown) => verifyObject(Activity, json, { documentLoader, contextLoader });

  it("gives the body Fedify sends, its single attachment as an array, without a Linked Data signature", async () => {
    const created = Temporal.Now.instant();
    const ours = await signActivity(offer, key, { contextLoader, created });
    const byFedify = (await (
      await signObject(offer, key.privateKey, key.id, { contextLoader, created })
    ).toJsonLd({
      format: "compact",
      contextLoader,
    })) as Record<string, unknown>;
    expect(ours).toEqual({ ...byFedify, attachment: [byFedify.attachment] });
    expect(ours).not.toHaveProperty("signature");
    expect(ours.proof).toMatchObject({ type: "DataIntegrityProof", verificationMethod: key.id.href });
  });

  it("makes a proof that Fedify verifies against the sender's Multikey, and that fails once the body is changed", async () => {
    const signed = await signActivity(offer, key, { contextLoader });
    expect(await verify(signed)).toBeInstanceOf(Offer);
    const altered: SignedActivity = { ...signed, published: "2027-01-11T09:00:00Z" };
    expect(await verify(altered)).toBeNull();
    const otherKey = await generateCryptoKeyPair("Ed25519");
    const forged = await signActivity(offer, { privateKey: otherKey.privateKey, id: key.id }, { contextLoader });
    expect(await verify(forged)).toBeNull();
  });
});
