import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import { allocatedQuantity, availableQuantity, Inventory, reservedQuantity } from '../../src/domain/index.js';
import { givenPlaced, sendInventory } from '../support/commands.js';
import { DEFAULT_UNIT_PRICE } from '../support/mothers.js';
import type { ReservationAction } from '../support/parameter-types.js';
import type { FeatureWorld, Send } from '../support/world.js';

const receive = (world: FeatureWorld, sku: string, quantity: number): Send => sendInventory(world, { type: 'ReceiveStock', sku: world.id(sku), quantity });

const reserve = (world: FeatureWorld, order: string, sku: string, quantity: number): Send =>
  sendInventory(world, { type: 'ReserveStock', sku: world.id(sku), orderId: world.id(order), quantity });

const settleReservation = (world: FeatureWorld, order: string, sku: string, action: ReservationAction): Send => {
  const [sku_, orderId] = [world.id(sku), world.id(order)];
  return sendInventory(world, action === 'released' ? { type: 'ReleaseReservation', sku: sku_, orderId } : { type: 'AllocateReservation', sku: sku_, orderId });
};

const inventoryStream = (world: FeatureWorld, sku: string): string => world.streamOf('Inventory', sku);

Given('{int} unit(s) of {word} is/are in stock', async function (this: FeatureWorld, quantity: number, sku: string) {
  await this.given(receive(this, sku, quantity));
});

When('{quantity} unit(s) of {word} is/are received', async function (this: FeatureWorld, quantity: number, sku: string) {
  await this.attempt(inventoryStream(this, sku), receive(this, sku, quantity));
});

Given('order {word} has reserved {int} unit(s) of {word}', async function (this: FeatureWorld, order: string, quantity: number, sku: string) {
  // Stock is reserved for a placed order holding it: placed here unless the scenario placed it.
  await givenPlaced(this, order, [{ sku: this.id(sku), quantity, unitPrice: DEFAULT_UNIT_PRICE.unitPrice }]);
  await this.given(reserve(this, order, sku, quantity));
});

When('order {word} reserves {quantity} unit(s) of {word}', async function (this: FeatureWorld, order: string, quantity: number, sku: string) {
  await this.attempt(inventoryStream(this, sku), reserve(this, order, sku, quantity));
});

Given('the reservation of {word} for order {word} has been {reservation-action}', async function (this: FeatureWorld, sku: string, order: string, action: ReservationAction) {
  await this.given(settleReservation(this, order, sku, action));
});

When('the reservation of {word} for order {word} is {reservation-action}', async function (this: FeatureWorld, sku: string, order: string, action: ReservationAction) {
  await this.attempt(inventoryStream(this, sku), settleReservation(this, order, sku, action));
});

Then('{word} has {int} available', async function (this: FeatureWorld, sku: string, available: number) {
  assert.equal(availableQuantity(await this.stateOf(Inventory, sku)), available);
});

Then(
  '{word} has {int} on hand, {int} reserved, {int} allocated and {int} available',
  async function (this: FeatureWorld, sku: string, onHand: number, reserved: number, allocated: number, available: number) {
    const state = await this.stateOf(Inventory, sku);
    assert.deepEqual(
      { onHand: state.onHand, reserved: reservedQuantity(state), allocated: allocatedQuantity(state), available: availableQuantity(state) },
      { onHand, reserved, allocated, available },
    );
  },
);
