Feature: Refunding a payment
  Only a processed payment can be refunded. Refunds may be partial, and together they never
  exceed what was paid.

  Rule: refunds may be partial, and never more than what is left

    Background:
      Given a processed payment PAY-1 of 49.18 EUR for order ORD-1

    Scenario: partial refunds add up to the amount paid
      When 10.00 of payment PAY-1 is refunded
      Then PaymentRefunded is recorded
      And payment PAY-1 has 39.18 EUR left to refund
      And the status of payment PAY-1 is partially refunded
      When 39.18 of payment PAY-1 is refunded
      Then PaymentRefunded is recorded
      And payment PAY-1 has 0.00 EUR left to refund
      And the status of payment PAY-1 is refunded

    Scenario: a refund of more than what is left is refused
      Given 10.00 of payment PAY-1 has been refunded
      When 39.19 of payment PAY-1 is refunded
      Then it is refused with PAYMENT.REFUND_EXCEEDS_REMAINING
      And nothing was stored
      And payment PAY-1 has 39.18 EUR left to refund

    Scenario: a refund of more than was paid is refused
      When 49.19 of payment PAY-1 is refunded
      Then it is refused with PAYMENT.REFUND_EXCEEDS_REMAINING
      And nothing was stored

    Scenario: nothing more can be refunded once everything was
      Given 49.18 of payment PAY-1 has been refunded
      When 0.01 of payment PAY-1 is refunded
      Then it is refused with PAYMENT.CANNOT_REFUND
      And nothing was stored

    Scenario Outline: a refund of <amount> is refused
      When <amount> of payment PAY-1 is refunded
      Then it is refused with PAYMENT.INVALID_REFUND_AMOUNT
      And nothing was stored
      And payment PAY-1 has 49.18 EUR left to refund

      Examples:
        | amount |
        | 0.00   |
        | -1.00  |
        | 0.005  |

  Rule: only a processed payment can be refunded

    Scenario Outline: a <stage> payment cannot be refunded
      Given a <stage> payment PAY-1 of 49.18 EUR for order ORD-1
      When 10.00 of payment PAY-1 is refunded
      Then it is refused with PAYMENT.CANNOT_REFUND
      And nothing was stored

      Examples:
        | stage     |
        | requested |
        | failed    |

    Scenario: a payment that was never requested cannot be refunded
      When 10.00 of payment PAY-404 is refunded
      Then it is refused with PAYMENT.NOT_FOUND
      And nothing was stored
