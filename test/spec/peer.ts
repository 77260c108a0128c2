// A minimal ActivityPub peer for protocol tests: it serves an Organization
// actor with an RSA key at Weft's paths, records every POST to its inboxes
// (headers and body, without verifying them), and sends activities signed
// with its key. It lets a test see exactly what a Weft node puts on the wire
// and feed the node hand-written payloads (the spec's examples).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  generateCryptoKeyPair,
  type HttpMessageSignaturesSpec,
  signJsonLd,
  signObject,
  signRequest,
} from "@fedify/fedify";
import { type Activity, CryptographicKey, Endpoints, Multikey, Organization } from "@fedify/vocab";

export interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
  /** What the peer answered: 202, or 401 when it refused the signature scheme. */
  status: number;
}

export interface PeerOptions {
  /** Answer 401 to RFC 9421 signatures, as Mastodon does (it only knows draft-cavage). */
  refuseRfc9421?: boolean;
}

export class RecordingPeer {
  readonly deliveries: Delivery[] = [];
  readonly origin: string;
  readonly #server: Server;
  readonly #keys: CryptoKeyPair;
  readonly #ed25519: CryptoKeyPair;
  readonly #options: PeerOptions;
  /** The name the actor document shows; tests change it to see Update at work. */
  name = "Recording peer";

  private constructor(server: Server, keys: CryptoKeyPair, ed25519: CryptoKeyPair, options: PeerOptions) {
    this.#server = server;
    this.#keys = keys;
    this.#ed25519 = ed25519;
    this.#options = options;
    this.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(options: PeerOptions = {}): Promise<RecordingPeer> {
    const keys = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
    const ed25519 = await generateCryptoKeyPair("Ed25519");
    let peer: RecordingPeer | undefined;
    const server = createServer((req, res) => {
      peer?.handle(req, res).catch((error) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    peer = new RecordingPeer(server, keys, ed25519, options);
    return peer;
  }

  get actorUrl(): string {
    return `${this.origin}/coops/coop`;
  }

  get keyId(): URL {
    return new URL(`${this.actorUrl}#main-key`);
  }

  /** The Ed25519 key for object integrity proofs (FEP-8b32). */
  get multikeyId(): URL {
    return new URL(`${this.actorUrl}#ed25519-key`);
  }

  async actorDocument(): Promise<unknown> {
    const id = new URL(this.actorUrl);
    return await new Organization({
      id,
      preferredUsername: "coop",
      name: this.name,
      inbox: new URL(`${this.actorUrl}/inbox`),
      endpoints: new Endpoints({ sharedInbox: new URL("/inbox", this.origin) }),
      outbox: new URL(`${this.actorUrl}/outbox`),
      followers: new URL(`${this.actorUrl}/followers`),
      following: new URL(`${this.actorUrl}/following`),
      publicKey: new CryptographicKey({ id: this.keyId, owner: id, publicKey: this.#keys.publicKey }),
      assertionMethod: new Multikey({ id: this.multikeyId, controller: id, publicKey: this.#ed25519.publicKey }),
    }).toJsonLd();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", this.origin).pathname;
    if (req.method === "GET" && path === "/coops/coop") {
      res.writeHead(200, { "content-type": "application/activity+json" });
      res.end(JSON.stringify(await this.actorDocument()));
      return;
    }
    if (req.method === "POST" && (path === "/inbox" || path === "/coops/coop/inbox")) {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
      );
      const status = this.#options.refuseRfc9421 && "signature-input" in headers ? 401 : 202;
      this.deliveries.push({ path, headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")), status });
      res.writeHead(status).end();
      return;
    }
    res.writeHead(404).end();
  }

  /** Deliveries the peer accepted (202) whose activity has this type. */
  accepted(type: string): Delivery[] {
    return this.deliveries.filter((d) => d.status === 202 && d.body.type === type);
  }

  /**
   * POSTs `activity` to `inbox`, signed with the peer's key, or with
   * `signingKey` (a forgery) when given.
   */
  async send(
    inbox: string,
    activity: unknown,
    options: { spec?: HttpMessageSignaturesSpec; signingKey?: CryptoKey; unsigned?: boolean } = {},
  ): Promise<Response> {
    const request = new Request(inbox, {
      method: "POST",
      headers: { "content-type": "application/activity+json", accept: "application/activity+json" },
      body: JSON.stringify(activity),
    });
    const signed = options.unsigned
      ? request
      : await signRequest(request, options.signingKey ?? this.#keys.privateKey, this.keyId, {
          spec: options.spec ?? "draft-cavage-http-signatures-12",
        });
    return await fetch(signed);
  }

  /** GETs `url` as ActivityPub JSON with an HTTP signature (draft-cavage) by the peer's key, as its actor would. */
  async signedGet(url: string): Promise<Response> {
    const request = new Request(url, { headers: { accept: "application/activity+json" } });
    return await fetch(
      await signRequest(request, this.#keys.privateKey, this.keyId, { spec: "draft-cavage-http-signatures-12" }),
    );
  }

  /** `activity` as JSON-LD with an FEP-8b32 proof (eddsa-jcs-2022) by the peer's Ed25519 key. */
  async withProof(activity: Activity): Promise<unknown> {
    return await (await signObject(activity, this.#ed25519.privateKey, this.multikeyId)).toJsonLd();
  }

  /** `json` with a Linked Data Signature (RsaSignature2017) by the peer's RSA key. */
  async withLdSignature(json: unknown): Promise<unknown> {
    return await signJsonLd(json, this.#keys.privateKey, this.keyId, {});
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
