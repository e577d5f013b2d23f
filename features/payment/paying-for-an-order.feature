Feature: Paying for an order
  A payment of a positive amount is requested for an order. The payment gateway's answer,
  given to the command, decides whether it is processed or failed; only a requested payment
  can be completed. A requested payment the gateway has not answered can be cancelled.

  Background:
    Given a placed order ORD-1 totalling 49.18 EUR

  Rule: a payment is for a positive amount, in whole cents of an ISO currency

    Scenario: a payment is requested
      When payment PAY-1 of 49.18 EUR is requested for order ORD-1
      Then PaymentRequested is recorded
      And the status of payment PAY-1 is requested

    Scenario Outline: a payment of <amount> EUR is refused
      When payment PAY-1 of <amount> EUR is requested for order ORD-1
      Then it is refused with PAYMENT.AMOUNT_NOT_POSITIVE
      And nothing was stored

      Examples:
        | amount |
        | 0.00   |
        | -5.00  |

    Scenario: a payment in fractions of a cent is refused
      When payment PAY-1 of 10.005 EUR is requested for order ORD-1
      Then it is refused with MONEY.INVALID_AMOUNT
      And nothing was stored

    Scenario: a payment in something that is not an ISO currency is refused
      When payment PAY-1 of 49.18 euro is requested for order ORD-1
      Then it is refused with MONEY.INVALID_CURRENCY
      And nothing was stored

    Scenario: a payment without a payment method is refused
      When payment PAY-1 of 49.18 EUR is requested for order ORD-1 with payment method "  "
      Then it is refused with PAYMENT.INVALID_METHOD_TOKEN
      And nothing was stored

    Scenario: a payment is requested only once
      Given a requested payment PAY-1 of 49.18 EUR for order ORD-1
      When payment PAY-1 of 49.18 EUR is requested for order ORD-1
      Then it is refused with PAYMENT.ALREADY_REQUESTED
      And nothing was stored

  Rule: the gateway's answer decides whether a payment is processed or failed

    Background:
      Given a requested payment PAY-1 of 49.18 EUR for order ORD-1

    Scenario: the gateway accepts the payment
      When the gateway accepts payment PAY-1
      Then PaymentProcessed is recorded
      And the status of payment PAY-1 is processed

    Scenario: the gateway declines the payment
      When the gateway declines payment PAY-1 with "insufficient funds"
      Then PaymentFailed is recorded
      And payment PAY-1 failed because "insufficient funds"

  Rule: only a requested payment can be completed

    Scenario Outline: a <stage> payment cannot be completed again
      Given a <stage> payment PAY-1 of 49.18 EUR for order ORD-1
      When the gateway accepts payment PAY-1
      Then it is refused with PAYMENT.CANNOT_COMPLETE
      And nothing was stored
      And the status of payment PAY-1 is <stage>

      Examples:
        | stage     |
        | processed |
        | failed    |

    Scenario: a payment that was never requested cannot be completed
      When the gateway accepts payment PAY-404
      Then it is refused with PAYMENT.NOT_FOUND
      And nothing was stored

  Rule: a requested payment can be cancelled until the gateway answers

    Scenario: a requested payment is cancelled
      Given a requested payment PAY-1 of 49.18 EUR for order ORD-1
      When payment PAY-1 is cancelled
      Then PaymentCancelled is recorded
      And the status of payment PAY-1 is cancelled

    Scenario: the gateway's late answer to a cancelled payment is refused
      Given a cancelled payment PAY-1 of 49.18 EUR for order ORD-1
      When the gateway accepts payment PAY-1
      Then it is refused with PAYMENT.CANNOT_COMPLETE
      And nothing was stored
      And the status of payment PAY-1 is cancelled

    Scenario Outline: a <stage> payment cannot be cancelled
      Given a <stage> payment PAY-1 of 49.18 EUR for order ORD-1
      When payment PAY-1 is cancelled
      Then it is refused with PAYMENT.CANNOT_CANCEL
      And nothing was stored

      Examples:
        | stage     |
        | processed |
        | failed    |
        | cancelled |
