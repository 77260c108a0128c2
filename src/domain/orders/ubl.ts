// An order as a UBL 2.1 Order document with the fields of Peppol BIS
// Ordering (poacc), so an accounting system can import it.
import type { Config } from "../../config.ts";
import type { Database } from "../../db/client.ts";
import type { OrderRow } from "../../db/schema.ts";
import { actorIri } from "../actor.ts";
import { findRemoteActor } from "../follows.ts";
import { escapeHtml as xml } from "../html.ts";
import { getProfile } from "../profile.ts";
import type { OrderView } from "./machine.ts";

type Node = { db: Database; config: Config };

async function partyName(node: Node, iri: string): Promise<{ name: string; handle: string | null }> {
  const me = actorIri(node.config);
  if (iri === me) {
    const profile = await getProfile(node.db, node.config);
    return { name: profile.name, handle: `${profile.handle}@${new URL(node.config.origin).host}` };
  }
  const remote = await findRemoteActor(node.db, iri);
  return { name: remote?.name ?? remote?.handle ?? iri, handle: remote?.handle ?? null };
}

function party(tag: string, iri: string, p: { name: string; handle: string | null }): string {
  return `  <cac:${tag}>
    <cac:Party>
      <cbc:EndpointID schemeID="0000">${xml(iri)}</cbc:EndpointID>
      <cac:PartyIdentification><cbc:ID>${xml(p.handle ?? iri)}</cbc:ID></cac:PartyIdentification>
      <cac:PartyName><cbc:Name>${xml(p.name)}</cbc:Name></cac:PartyName>
      <cac:PartyLegalEntity><cbc:RegistrationName>${xml(p.name)}</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:${tag}>`;
}

export async function orderUbl(node: Node, order: OrderRow): Promise<string> {
  const view = order.view as OrderView;
  const currency = view.currency;
  const [buyer, seller] = await Promise.all([partyName(node, order.buyerIri), partyName(node, order.sellerIri)]);
  const lines = view.lines.filter((l) => l.status !== "not_accepted");
  const window = view.terms.deliveryWindow;
  const to = view.terms.deliverTo;
  // UBL elements are ordered sequences: location, then requested period, then party.
  const deliveryParts = [
    to
      ? `    <cac:DeliveryLocation>
      <cac:Address>${
        to.address
          ? `
        <cbc:StreetName>${xml(to.address)}</cbc:StreetName>`
          : ""
      }${
        to.region
          ? `
        <cbc:CountrySubentityCode>${xml(to.region)}</cbc:CountrySubentityCode>
        <cac:Country><cbc:IdentificationCode>${xml(to.region.slice(0, 2))}</cbc:IdentificationCode></cac:Country>`
          : ""
      }
      </cac:Address>
    </cac:DeliveryLocation>`
      : "",
    window && (window.from || window.until)
      ? `    <cac:RequestedDeliveryPeriod>${
          window.from
            ? `
      <cbc:StartDate>${xml(window.from)}</cbc:StartDate>`
            : ""
        }${
          window.until
            ? `
      <cbc:EndDate>${xml(window.until)}</cbc:EndDate>`
            : ""
        }
    </cac:RequestedDeliveryPeriod>`
      : "",
    to
      ? `    <cac:DeliveryParty><cac:PartyName><cbc:Name>${xml(to.name)}</cbc:Name></cac:PartyName></cac:DeliveryParty>`
      : "",
  ].filter(Boolean);
  const delivery = deliveryParts.length > 0 ? `  <cac:Delivery>\n${deliveryParts.join("\n")}\n  </cac:Delivery>\n` : "";
  const orderLines = lines
    .map(
      (l) => `  <cac:OrderLine>
    <cac:LineItem>
      <cbc:ID>${xml(l.id)}</cbc:ID>
      <cbc:Quantity unitCode="${xml(l.quantity.unit)}">${xml(l.quantity.amount)}</cbc:Quantity>
      <cbc:LineExtensionAmount currencyID="${xml(currency)}">${xml(l.total)}</cbc:LineExtensionAmount>
      <cbc:PartialDeliveryIndicator>${view.terms.partialDelivery}</cbc:PartialDeliveryIndicator>
      <cac:Price>
        <cbc:PriceAmount currencyID="${xml(currency)}">${xml(l.unitPrice.amount)}</cbc:PriceAmount>
        <cbc:BaseQuantity unitCode="${xml(l.quantity.unit)}">1</cbc:BaseQuantity>
      </cac:Price>
      <cac:Item>
        <cbc:Name>${xml(l.title || l.listing)}</cbc:Name>
        <cac:SellersItemIdentification><cbc:ID>${xml(l.listing)}</cbc:ID></cac:SellersItemIdentification>
      </cac:Item>
    </cac:LineItem>
  </cac:OrderLine>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>
<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
       xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
       xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:fdc:peppol.eu:poacc:trns:order:3</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:poacc:bis:advanced_ordering:3</cbc:ProfileID>
  <cbc:ID>${xml(order.iri.split("/").filter(Boolean).at(-1) ?? order.id)}</cbc:ID>
  <cbc:IssueDate>${order.createdAt.toISOString().slice(0, 10)}</cbc:IssueDate>
  ${view.terms.note ? `<cbc:Note>${xml(view.terms.note)}</cbc:Note>` : ""}
  <cbc:DocumentCurrencyCode>${xml(currency)}</cbc:DocumentCurrencyCode>
  <cac:OrderDocumentReference><cbc:ID>${xml(order.iri)}</cbc:ID></cac:OrderDocumentReference>
${party("BuyerCustomerParty", order.buyerIri, buyer)}
${party("SellerSupplierParty", order.sellerIri, seller)}
${delivery}  <cac:AnticipatedMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="${xml(currency)}">${xml(view.total)}</cbc:LineExtensionAmount>
    <cbc:PayableAmount currencyID="${xml(currency)}">${xml(view.total)}</cbc:PayableAmount>
  </cac:AnticipatedMonetaryTotal>
${orderLines}
</Order>
`;
}
