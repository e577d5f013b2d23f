export interface OrderSummary {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: string;
  readonly totalAmount: number;
  readonly currency: string;
  readonly itemCount: number;
  readonly createdAt: string;
  readonly lastUpdated: string;
  /** The stream version this row reflects: makes re-delivered events harmless. */
  readonly version: number;
}

/** The ADR's order summary and customer orders views. */
export interface OrderReadModel {
  /** Keeps the newer row: one already at this version or later is left as it is (a late or repeated write cannot take it back). */
  upsert(summary: OrderSummary): Promise<void>;
  get(orderId: string): Promise<OrderSummary | null>;
  /** A batch's rows in one read: the orders found (absent ones are missing from the map). */
  getMany(orderIds: readonly string[]): Promise<Map<string, OrderSummary>>;
  /** A batch's rows in one write where the store allows it, each keeping the newer row as `upsert` does; one row per order. */
  upsertMany(summaries: readonly OrderSummary[]): Promise<void>;
  /** A customer's orders, oldest first. */
  listByCustomer(customerId: string): Promise<OrderSummary[]>;
}
