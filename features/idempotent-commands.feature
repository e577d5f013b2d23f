Feature: Repeating a command safely
  A client that is not sure its command arrived sends it again under the same idempotency key.
  The repeat returns what the first one returned and changes nothing; a key already used for
  another command is refused.

  Scenario: a repeated confirmation appends nothing and returns the first outcome
    Given a placed order ORD-1 for 2 units of SKU-1
    And order ORD-1 has been paid in full
    And the next command carries idempotency key "confirm-ORD-1"
    When order ORD-1 is confirmed
    Then OrderConfirmed is recorded
    When the client sends the same command again
    Then it returns the first outcome
    And nothing was stored

  Scenario: a repeated payment request returns the first outcome instead of a refusal
    Given a placed order ORD-1 totalling 49.18 EUR
    And the next command carries idempotency key "pay-ORD-1"
    When payment PAY-1 of 49.18 EUR is requested for order ORD-1
    Then PaymentRequested is recorded
    When the client sends the same command again
    Then it returns the first outcome
    And nothing was stored

  Scenario: a repeated refusal returns the first refusal, even after the order moved on
    Given a placed order ORD-1 for 2 units of SKU-1
    And the next command carries idempotency key "ship-ORD-1"
    When order ORD-1 is shipped
    Then it is refused with ORDER.CANNOT_SHIP
    Given order ORD-1 has been confirmed
    When the client sends the same command again
    Then it returns the first outcome
    And nothing was stored
    And the status of order ORD-1 is confirmed

  Scenario: a key used for another command is refused
    Given a placed order ORD-1 for 2 units of SKU-1
    And a placed order ORD-2 for 1 unit of SKU-1
    And the next command carries idempotency key "confirm-once"
    And order ORD-1 has been confirmed
    And the next command carries idempotency key "confirm-once"
    When order ORD-2 is confirmed
    Then it is refused with IDEMPOTENCY.KEY_REUSED
    And nothing was stored
    And the status of order ORD-2 is placed

  Scenario: a key used for the same command with other details is refused
    Given 10 units of SKU-1 are in stock
    And the next command carries idempotency key "reserve-ORD-1"
    And order ORD-1 has reserved 2 units of SKU-1
    And the next command carries idempotency key "reserve-ORD-1"
    When order ORD-1 reserves 3 units of SKU-1
    Then it is refused with IDEMPOTENCY.KEY_REUSED
    And nothing was stored
    And SKU-1 has 10 on hand, 2 reserved, 0 allocated and 8 available
