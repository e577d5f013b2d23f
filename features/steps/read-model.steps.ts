import assert from 'node:assert/strict';
import { Then, When, type DataTable } from '@cucumber/cucumber';
import type { OrderSummary } from '../../src/application/ports/order-read-model.js';
import { hundredths } from '../support/feature-notation.js';
import type { FeatureWorld } from '../support/world.js';

type Row = Record<string, string>;

/** A summary in the columns the features' tables use, amounts in minor units. */
const shown = (summary: OrderSummary): Row => ({
  order: summary.orderId,
  customer: summary.customerId,
  status: summary.status,
  items: String(summary.itemCount),
  total: `${summary.totalAmount} ${summary.currency}`,
});

/** A table row as the read model holds it: this scenario's ids, amounts in minor units. */
const asHeld = (world: FeatureWorld, row: Row): Row => {
  const [amount, currency] = (row.total ?? '').split(' ');
  return {
    ...row,
    ...(row.order === undefined ? {} : { order: world.id(row.order) }),
    ...(row.customer === undefined ? {} : { customer: world.id(row.customer) }),
    ...(amount === undefined || currency === undefined ? {} : { total: `${hundredths(amount)} ${currency}` }),
  };
};

const only = (row: Row, columns: readonly string[]): Row => Object.fromEntries(columns.map((column) => [column, row[column] ?? '']));

When('the read models catch up', async function (this: FeatureWorld) {
  await this.app.catchUp();
});

Then('the summary of order {word} shows:', async function (this: FeatureWorld, order: string, table: DataTable) {
  const summary = await this.app.orderQueries.orderDetails(this.id(order));
  if (summary.isErr()) assert.fail(`order ${order} is not in the read model: ${summary.error.code}`);
  const expected = asHeld(this, table.rowsHash());
  assert.deepEqual(only(shown(summary.value), Object.keys(expected)), expected);
});

Then('the orders of customer {word} are, oldest first:', async function (this: FeatureWorld, customer: string, table: DataTable) {
  const columns = table.raw()[0] ?? [];
  const orders = await this.app.orderQueries.customerOrders(this.id(customer));
  assert.deepEqual(
    orders.map((summary) => only(shown(summary), columns)),
    table.hashes().map((row) => asHeld(this, row)),
  );
});

Then('catching up again finds nothing new', async function (this: FeatureWorld) {
  assert.equal(await this.app.catchUp(), 0);
});
