import { describe, expect, it } from 'vitest';
import { exclusionsIn } from '../../../features/support/store-exclusions.js';

const feature = `@workflow
Feature: Fulfilling an order

  # DynamoDB Streams keep no global order across shards:
  # the scenario counts on one.
  @not-on-dynamodb
  Scenario: every event in commit order
    Given something

  @not-on-pglite @slow
  Scenario: left out without a reason
    Given something
`;

describe('store exclusions in the features', () => {
  it('names each feature or scenario tagged for the store, with the comment above the tag as its reason', () => {
    expect(exclusionsIn('x.feature', feature, 'dynamodb')).toEqual([
      { where: 'x.feature:6', name: 'Scenario: every event in commit order', reason: 'DynamoDB Streams keep no global order across shards: the scenario counts on one.' },
    ]);
    expect(exclusionsIn('x.feature', feature, 'postgres')).toEqual([]);
  });

  it('refuses a tag that does not say why', () => {
    expect(() => exclusionsIn('x.feature', feature, 'pglite')).toThrow('x.feature:10: @not-on-pglite needs a comment line right above it');
  });
});
