/** The API 2.0 view of a webhook's `register_sale` (what `GET /api/2.0/sales?after=` pages). */
export function toXSale20(sale: Record<string, unknown>): Record<string, unknown> & { id: string; version: number } {
  const lines = (sale.register_sale_products as Array<Record<string, unknown>> | undefined) ?? [];
  const payments = (sale.register_sale_payments as Array<Record<string, unknown>> | undefined) ?? [];
  return {
    id: String(sale.id),
    version: Number(sale.version),
    status: sale.status ?? null,
    outlet_id: sale.outlet_id ?? null,
    register_id: sale.register_id ?? null,
    customer_id: sale.customer_id ?? null,
    invoice_number: sale.invoice_number ?? null,
    return_for: sale.return_for ?? null,
    sale_date: sale.sale_date ?? null,
    updated_at: sale.updated_at ?? null,
    line_items: lines.map((line) => ({
      id: line.id,
      product_id: line.product_id,
      quantity: line.quantity,
      price: line.price,
      price_total: line.price_total,
      discount: line.discount,
      ...(line.gift_card_number ? { gift_card_number: line.gift_card_number } : {}),
    })),
    payments: payments.map((p) => ({
      amount: p.amount,
      name: (p.retailer_payment_type as { name?: string } | undefined)?.name ?? null,
      payment_type_id: p.payment_type_id ?? null,
    })),
  };
}
