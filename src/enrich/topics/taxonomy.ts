/**
 * The complaint-topic taxonomy, and how the labels of the bundled datasets map onto it
 * (documented for humans in docs/models.md; keep both in step).
 */

/** Topic names as stored on a mention. */
export const TOPICS = [
  'customer_service', 'delays', 'cancellations', 'billing_pricing', 'offer_not_honoured',
  'product_quality', 'delivery_luggage', 'booking_account_app', 'safety', 'other',
] as const;
export type Topic = (typeof TOPICS)[number];

/** Labels for people (dashboards, exports). */
export const TOPIC_LABELS: Record<Topic, string> = {
  customer_service: 'Customer service / staff behaviour',
  delays: 'Delays and waiting',
  cancellations: 'Cancellations',
  billing_pricing: 'Billing and pricing',
  offer_not_honoured: 'Offer or promise not honoured',
  product_quality: 'Product or service quality',
  delivery_luggage: 'Delivery / luggage / lost or damaged goods',
  booking_account_app: 'Booking / account / app / website',
  safety: 'Safety',
  other: 'Other',
};

/** airline-en `negativereason` → topic. */
export const AIRLINE_REASONS: Record<string, Topic> = {
  'Customer Service Issue': 'customer_service',
  'Flight Attendant Complaints': 'customer_service',
  'Late Flight': 'delays',
  longlines: 'delays',
  'Cancelled Flight': 'cancellations',
  'Lost Luggage': 'delivery_luggage',
  'Damaged Luggage': 'delivery_luggage',
  'Bad Flight': 'product_quality',
  'Flight Booking Problems': 'booking_account_app',
  "Can't Tell": 'other',
};

/**
 * GermEval 2017 aspect category (`Category#Subcategory`) → topic. A full `Category#Sub` entry wins over
 * its `Category` entry; categories not listed (Allgemein = "general", Image, Design, …) map to nothing.
 */
export const GERMEVAL_ASPECTS: Record<string, Topic> = {
  'Zugfahrt#Pünktlichkeit': 'delays',
  'Zugfahrt#Anschlusserreichung': 'delays',
  'Zugfahrt#Fahrtzeit_und_Schnelligkeit': 'delays',
  'Zugfahrt#Technische_Schäden_und_Störungen_am_Zug': 'product_quality',
  Sonstige_Unregelmässigkeiten: 'delays',
  Service_und_Kundenbetreuung: 'customer_service',
  Informationen: 'customer_service',
  Ticketkauf: 'billing_pricing',
  'Gastronomisches_Angebot#Preise': 'billing_pricing',
  Sicherheit: 'safety',
  DB_App_und_Website: 'booking_account_app',
  'QR-Code': 'booking_account_app',
  'Komfort_und_Ausstattung#Reservierung': 'booking_account_app',
  Atmosphäre: 'product_quality',
  Connectivity: 'product_quality',
  Komfort_und_Ausstattung: 'product_quality',
  Auslastung_und_Platzangebot: 'product_quality',
  Toiletten: 'product_quality',
  Gastronomisches_Angebot: 'product_quality',
  Barrierefreiheit: 'product_quality',
  Gepäck: 'delivery_luggage',
};

export function germevalTopic(aspect: string): Topic | undefined {
  return GERMEVAL_ASPECTS[aspect] ?? GERMEVAL_ASPECTS[aspect.split('#')[0] as string];
}

/** Topics of a labelled row of the given dataset (deduplicated, in taxonomy order). */
export function topicsOf(dataset: string, categories: readonly string[]): Topic[] {
  const map = dataset === 'airline-en' ? (c: string) => AIRLINE_REASONS[c] : germevalTopic;
  const found = new Set(categories.map(map).filter((t): t is Topic => t !== undefined));
  return TOPICS.filter((t) => found.has(t));
}
