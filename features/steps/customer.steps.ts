import assert from 'node:assert/strict';
import { Given, Then, When, type DataTable } from '@cucumber/cucumber';
import { Customer, type PersonalDetails, type SupportChannel } from '../../src/domain/index.js';
import { instantOf } from '../support/feature-notation.js';
import { registerCustomer, sendCustomer } from '../support/commands.js';
import { personalDetailsOf } from '../support/mothers.js';
import type { PersonalDetail } from '../support/parameter-types.js';
import type { FeatureWorld, Send } from '../support/world.js';

const register = registerCustomer;

const changeDetail = (world: FeatureWorld, customer: string, detail: PersonalDetail, value: string): Send =>
  sendCustomer(world, { type: 'ChangeCustomerDetails', customerId: world.id(customer), personal: { [detail]: value } });

// The channel goes as the client typed it: the domain decides which channels exist.
const contactSupport = (world: FeatureWorld, customer: string, channel: string, summary: string): Send =>
  sendCustomer(world, { type: 'RecordSupportInteraction', customerId: world.id(customer), channel: channel.toUpperCase() as SupportChannel, summary, agent: 'agent-7' });

const customerStream = (world: FeatureWorld, customer: string): string => world.streamOf('Customer', customer);

Given('customer {word} is registered', async function (this: FeatureWorld, customer: string) {
  await this.given(register(this, customer, personalDetailsOf(customer)));
});

When('customer {word} registers', async function (this: FeatureWorld, customer: string) {
  await this.attempt(customerStream(this, customer), register(this, customer, personalDetailsOf(customer)));
});

When('customer {word} registers with:', async function (this: FeatureWorld, customer: string, table: DataTable) {
  // Only the rows the table has: a missing row is a detail the client did not send.
  const personal = table.rowsHash() as unknown as PersonalDetails;
  await this.attempt(customerStream(this, customer), register(this, customer, personal));
});

When('the {detail} of customer {word} is changed to {string}', async function (this: FeatureWorld, detail: PersonalDetail, customer: string, value: string) {
  await this.attempt(customerStream(this, customer), changeDetail(this, customer, detail, value));
});

Given('the {detail} of customer {word} has been changed to {string}', async function (this: FeatureWorld, detail: PersonalDetail, customer: string, value: string) {
  await this.given(changeDetail(this, customer, detail, value));
});

When('customer {word} contacts support by {word} about {string}', async function (this: FeatureWorld, customer: string, channel: string, summary: string) {
  await this.attempt(customerStream(this, customer), contactSupport(this, customer, channel, summary));
});

Given('customer {word} has contacted support by {word} about {string}', async function (this: FeatureWorld, customer: string, channel: string, summary: string) {
  await this.given(contactSupport(this, customer, channel, summary));
});

Then('the {detail} of customer {word} is {string}', async function (this: FeatureWorld, detail: PersonalDetail, customer: string, value: string) {
  assert.equal((await this.stateOf(Customer, customer)).personal?.[detail], value);
});

Then('as of {instant} the {detail} of customer {word} was {string}', async function (this: FeatureWorld, asOf: string, detail: PersonalDetail, customer: string, value: string) {
  assert.equal((await this.stateOf(Customer, customer, { asOf })).personal?.[detail], value);
});

Then('customer {word} has {int} support interaction(s) on record', async function (this: FeatureWorld, customer: string, count: number) {
  assert.equal((await this.stateOf(Customer, customer)).interactions.length, count);
});

Then('as of {instant} customer {word} had {int} support interaction(s) on record', async function (this: FeatureWorld, asOf: string, customer: string, count: number) {
  assert.equal((await this.stateOf(Customer, customer, { asOf })).interactions.length, count);
});

Then('the history of customer {word} reads:', async function (this: FeatureWorld, customer: string, table: DataTable) {
  const history = await this.app.eventStore.readStream(customerStream(this, customer));
  assert.deepEqual(
    history.map((event) => ({ event: event.type, at: event.occurredAt })),
    table.hashes().map((row) => ({ event: row.event, at: instantOf(row.at ?? '') })),
  );
});

Then('the personal data of customer {word} is held only in the personal fields of its events', async function (this: FeatureWorld, customer: string) {
  const history = await this.app.eventStore.readStream(customerStream(this, customer));
  const personal = history.flatMap((event) => Object.values((event.data as { personal?: Partial<PersonalDetails> }).personal ?? {}));
  assert.ok(personal.length > 0, `customer ${customer} has no personal data on record`);
  for (const event of history) {
    const { personal: _marked, ...rest } = event.data as { personal?: unknown };
    const outside = JSON.stringify({ data: rest, metadata: event.metadata });
    assert.deepEqual(
      personal.filter((value) => outside.includes(value)),
      [],
      `${event.type} holds personal data outside its personal fields`,
    );
  }
});
