@workflow
Feature: Fulfilling an order
  Once an order is placed, the fulfilment workflow takes it from there on its own: it reserves the stock of every
  line, requests and charges the payment with the order's payment method, confirms the order with that payment
  and allocates the stock. Whatever stops it on the way is undone: reservations are released, a payment still
  pending is cancelled, one already captured is refunded, and the order is cancelled with the reason.

  An order waits 15 minutes for its payment. The payment gateway answers by the payment method's token:
  "tok_decline..." declines, "tok_silent..." never answers, "tok_slow..." approves after 5 seconds, and any
  other token approves at once.

  Background:
    Given customer Ada is registered
    And 10 units of SKU-1 are in stock

  Rule: a placed order is paid, confirmed and allocated without anyone driving it

    Scenario: an order placed with a payment method is fulfilled
      When Ada places order ORD-1 in EUR with payment method "tok_approve_visa":
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      And the fulfilment workflow runs
      Then the status of order ORD-1 is confirmed
      And order ORD-1 is confirmed with its payment
      And the payment of order ORD-1 is processed for 39.98 EUR
      And SKU-1 has 10 on hand, 0 reserved, 2 allocated and 8 available
      And the fulfilment of order ORD-1 was completed
      And the fulfilment history of order ORD-1 reads:
        | input                 | step             | sent                                           |
        | OrderPlaced           | RESERVING_STOCK  | ScheduleDeadline, ReserveStock                 |
        | PaymentMethodProvided | RESERVING_STOCK  |                                                |
        | StockReserved         | AWAITING_PAYMENT | RequestPayment, ChargePayment                  |
        | PaymentSucceeded      | CONFIRMING       | CancelDeadline, ScheduleDeadline, ConfirmOrder |
        | OrderConfirmed        | ALLOCATING       | AllocateStock                                  |
        | StockAllocated        | COMPLETED        | CancelDeadline                                 |

    Scenario: an order placed without a payment method waits for one
      Given a placed order ORD-1 for 2 units of SKU-1
      When the fulfilment workflow runs
      Then the fulfilment of order ORD-1 waits for a payment method until 2026-03-02 09:15 UTC
      And SKU-1 has 10 on hand, 2 reserved, 0 allocated and 8 available
      When the payment method "tok_approve_visa" is given for order ORD-1
      And the fulfilment workflow runs
      Then the fulfilment of order ORD-1 was completed
      And order ORD-1 is confirmed with its payment
      And SKU-1 has 10 on hand, 0 reserved, 2 allocated and 8 available

  Rule: an order that cannot be fulfilled is cancelled, and what was done for it is undone

    Scenario: no payment method is given before the deadline
      Given a placed order ORD-1 for 2 units of SKU-1
      And the fulfilment workflow has run
      When 15 minutes pass
      And the fulfilment workflow runs
      Then the status of order ORD-1 is cancelled
      And order ORD-1 was cancelled because "no payment arrived before the deadline"
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And no payment was requested for order ORD-1
      And the fulfilment of order ORD-1 timed out

    Scenario: a line that cannot be reserved cancels the order
      Given 1 unit of SKU-2 is in stock
      When Ada places order ORD-1 in EUR with payment method "tok_approve_visa":
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
        | SKU-2 | 3        | 5.00       |
      And the fulfilment workflow runs
      Then the status of order ORD-1 is cancelled
      And order ORD-1 was cancelled because SKU-2 could not be reserved
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And SKU-2 has 1 on hand, 0 reserved, 0 allocated and 1 available
      And no payment was requested for order ORD-1
      And the fulfilment of order ORD-1 was compensated

    Scenario: a declined payment cancels the order
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_decline_insufficient_funds"
      When the fulfilment workflow runs
      Then the payment of order ORD-1 is failed
      And the status of order ORD-1 is cancelled
      And order ORD-1 was cancelled because "payment declined: card declined"
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And the fulfilment of order ORD-1 was compensated

    Scenario: no payment arrives before the deadline
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_silent_visa"
      When the fulfilment workflow runs
      And 14 minutes pass
      And the fulfilment workflow runs
      Then the fulfilment of order ORD-1 waits for the payment until 2026-03-02 09:15 UTC
      And SKU-1 has 10 on hand, 2 reserved, 0 allocated and 8 available
      When 1 minute passes
      And the fulfilment workflow runs
      Then the payment of order ORD-1 is cancelled
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And the status of order ORD-1 is cancelled
      And order ORD-1 was cancelled because "no payment arrived before the deadline"
      And the fulfilment of order ORD-1 timed out
      When the payment deadline of order ORD-1 passes again
      Then nothing more is recorded for order ORD-1

  Rule: an order the customer cancels is undone, and a payment captured for it is refunded

    Scenario: the customer cancels while the payment is awaited
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_slow_visa"
      And the fulfilment workflow has run
      When order ORD-1 is cancelled
      And the fulfilment workflow runs
      Then the payment of order ORD-1 is cancelled
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And the fulfilment of order ORD-1 was compensated
      # The gateway's approval comes in late, for a payment cancelled already: it is refused.
      When 5 seconds pass
      And the fulfilment workflow runs
      Then the payment of order ORD-1 is cancelled
      And no payment was captured for order ORD-1

    Scenario: the customer cancels after paying, before the order is confirmed
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_slow_visa"
      And the fulfilment workflow has run
      When 5 seconds pass
      Then the payment of order ORD-1 is processed
      When order ORD-1 is cancelled
      And the fulfilment workflow runs
      Then the status of order ORD-1 is cancelled
      And the payment of order ORD-1 is refunded in full
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And the fulfilment of order ORD-1 was compensated

    Scenario: a payment that completes after the order was cancelled is refunded
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_slow_visa"
      And the fulfilment workflow has run
      When order ORD-1 is cancelled
      And 5 seconds pass
      And the fulfilment workflow runs
      Then the payment of order ORD-1 is refunded in full
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available
      And the fulfilment of order ORD-1 was compensated

    Scenario: a fulfilled order the customer cancels before it ships is refunded
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_approve_visa"
      And the fulfilment workflow has run
      When order ORD-1 is cancelled
      And the fulfilment workflow runs
      Then the status of order ORD-1 is cancelled
      And the payment of order ORD-1 is refunded in full

  Rule: the workflow acts on each event once, however often it is delivered

    Scenario: every event delivered again changes nothing
      Given Ada has placed order ORD-1 for 2 units of SKU-1 with payment method "tok_approve_visa"
      And the fulfilment workflow has run
      When every event is delivered to the workflow again
      Then nothing more is recorded for order ORD-1
      And the payment of order ORD-1 was captured once
      And the fulfilment of order ORD-1 was completed
