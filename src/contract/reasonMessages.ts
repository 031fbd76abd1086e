// Why a sale earned what it did, in words: the console shows these beside each reason code, and
// outbound events (src/events) send them rendered. One catalogue for both; {{name}} are named parameters
// from the reason's data. Keys are the stable reason codes (./reasons.ts).

export const reasonMessagesEn = {
  NO_CUSTOMER: 'No customer attached, so there is nobody to credit.',
  CUSTOMER_SEGMENT_EXCLUDED: 'The {{segmentWord}} “{{segmentName}}” is excluded by the rules; the balance is kept.',
  CUSTOMER_EXEMPT: "Lightspeed's loyalty switch is off for this customer, and the rules respect Lightspeed's loyalty switch: no points; the balance is kept.",
  MISSING_IDENTITY: 'The customer has neither an email nor a mobile number, which the rules require.',
  SALE_NOT_COMPLETED: 'The sale is not completed yet; points are decided when it is.',
  SALE_VOIDED: 'The sale was voided; it earns nothing.',
  BEFORE_START_DATE: 'The sale ({{saleDate}}) is before rewards started ({{startDate}}).',
  AWAITING_REWARDS_BUTTON: 'Autorewards are off: the sale earns once the rewards button is pressed.',
  LINE_PRODUCT_EXEMPT: 'A product of the sale is exempt from points.',
  LINE_CATEGORY_EXEMPT: 'A category of the sale is exempt from points.',
  LINE_GIFT_CARD: 'A gift card line never earns points.',
  TENDER_EXCLUDED:
    '{{share}} of what was paid went to tenders that do not earn points, so that share of the eligible amount before tax ({{reducedBy}}) earns nothing.',
  BELOW_STEP: 'The eligible amount is below what one point needs.',
  PENDING_UNTIL: '{{points}} points are pending until {{availableAt}}.',
  CREDITED: '{{points}} points credited.',
  RETURN_REVERSED: 'A return reversed points of the original sale.',
  VOID_REVERSED: 'A void reversed the points of the sale.',
  STALE_VERSION: 'An older version arrived after a newer one; it changed nothing.',
  MERCHANT_PAUSED: 'The merchant is paused; the sale waits.',
  CUSTOMER_CHANGED: 'The sale now names another customer: the {{points}} points customer {{fromCustomerId}} had for it were reversed.',
  NOTHING_ELIGIBLE: 'Nothing in this sale can earn points: it has no lines, or its lines come to nothing (a coupon, a free item).',
};

export const reasonMessagesFr: typeof reasonMessagesEn = {
  NO_CUSTOMER: 'Aucun client associé : personne à créditer.',
  CUSTOMER_SEGMENT_EXCLUDED: 'Le {{segmentWord}} « {{segmentName}} » est exclu par les règles ; le solde est conservé.',
  CUSTOMER_EXEMPT:
    'L’interrupteur de fidélité de Lightspeed est éteint pour ce client, et les règles respectent l’interrupteur de fidélité de Lightspeed : aucun point ; le solde est conservé.',
  MISSING_IDENTITY: 'Le client n’a ni courriel ni cellulaire, ce que les règles exigent.',
  SALE_NOT_COMPLETED: 'La vente n’est pas encore complétée ; les points sont décidés à ce moment.',
  SALE_VOIDED: 'La vente a été annulée ; elle ne rapporte rien.',
  BEFORE_START_DATE: 'La vente ({{saleDate}}) est antérieure au début des récompenses ({{startDate}}).',
  AWAITING_REWARDS_BUTTON: 'Récompenses automatiques désactivées : la vente rapporte une fois le bouton de récompenses appuyé.',
  LINE_PRODUCT_EXEMPT: 'Un produit de la vente est exempté des points.',
  LINE_CATEGORY_EXEMPT: 'Une catégorie de la vente est exemptée des points.',
  LINE_GIFT_CARD: 'Une ligne de carte-cadeau ne rapporte jamais de points.',
  TENDER_EXCLUDED:
    '{{share}} du montant payé l’a été par des modes de paiement qui ne rapportent pas de points : cette part du montant admissible avant taxes ({{reducedBy}}) ne rapporte rien.',
  BELOW_STEP: 'Le montant admissible est inférieur à ce qu’exige un point.',
  PENDING_UNTIL: '{{points}} points en attente jusqu’au {{availableAt}}.',
  CREDITED: '{{points}} points crédités.',
  RETURN_REVERSED: 'Un retour a annulé des points de la vente d’origine.',
  VOID_REVERSED: 'Une annulation a retiré les points de la vente.',
  STALE_VERSION: 'Une version plus ancienne est arrivée après une plus récente ; elle n’a rien changé.',
  NOTHING_ELIGIBLE:
    'Rien dans cette vente ne peut rapporter de points : elle n’a aucune ligne, ou ses lignes ne totalisent rien (un coupon, un article gratuit).',
  MERCHANT_PAUSED: 'Le marchand est en pause ; la vente attend.',
  CUSTOMER_CHANGED: 'La vente nomme maintenant un autre client ; les {{points}} points du client {{fromCustomerId}} pour cette vente ont été annulés.',
};
