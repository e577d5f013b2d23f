import assert from 'node:assert/strict';
import { Given, Then, When } from '@cucumber/cucumber';
import type { CommandResult, FeatureWorld } from '../support/world.js';

const DAY_MS = 86_400_000;

/** What a command came to, in a line that a failed assertion shows whole. */
const outcomeOf = (result: CommandResult): string =>
  result.isOk() ? `accepted: ${result.value.eventTypes.join(', ')}` : `refused: ${result.error.code}`;

Then('it is refused with {error-code}', function (this: FeatureWorld, code: string) {
  const { result } = this.lastAttempt;
  assert.equal(outcomeOf(result), `refused: ${code}`);
  assert.match(result._unsafeUnwrapErr().message, /\S/, 'a refusal says what was wrong');
});

Then('{word} is recorded', async function (this: FeatureWorld, eventType: string) {
  const { result, streamId, versionBefore } = this.lastAttempt;
  assert.equal(outcomeOf(result), `accepted: ${eventType}`);
  assert.equal(result._unsafeUnwrap().version, versionBefore + 1);
  const stored = await this.app.eventStore.readStream(streamId, { fromVersion: versionBefore + 1 });
  assert.deepEqual(
    stored.map((event) => event.type),
    [eventType],
  );
});

Then('nothing was stored', async function (this: FeatureWorld) {
  const { streamId, versionBefore } = this.lastAttempt;
  assert.equal(await this.versionOf(streamId), versionBefore, `${streamId} changed`);
});

Given('the next command carries idempotency key {string}', function (this: FeatureWorld, key: string) {
  this.carryIdempotencyKey(key);
});

When('the client sends the same command again', async function (this: FeatureWorld) {
  await this.repeatLast();
});

Then('it returns the first outcome', function (this: FeatureWorld) {
  const [first, repeat] = this.attempts.slice(-2);
  assert.ok(first !== undefined && repeat !== undefined, 'a repeat needs a command sent twice');
  assert.deepEqual(repeat.result, first.result);
});

Given('it is {instant}', function (this: FeatureWorld, instant: string) {
  this.clock.set(instant);
});

Given('{int} day(s) pass(es)', function (this: FeatureWorld, days: number) {
  this.clock.advance(days * DAY_MS);
});

Given('{int} day(s) and {int} minute(s) pass', function (this: FeatureWorld, days: number, minutes: number) {
  this.clock.advance(days * DAY_MS + minutes * 60_000);
});

Then('{word} and {word} are recorded', async function (this: FeatureWorld, first: string, second: string) {
  const { result, streamId, versionBefore } = this.lastAttempt;
  assert.equal(outcomeOf(result), `accepted: ${first}, ${second}`);
  assert.equal(result._unsafeUnwrap().version, versionBefore + 2);
  const stored = await this.app.eventStore.readStream(streamId, { fromVersion: versionBefore + 1 });
  assert.deepEqual(
    stored.map((event) => event.type),
    [first, second],
  );
});
