Feature: Orders, payments and stock agree with each other
  An order is placed by a registered customer. It is confirmed only with a processed payment made
  for it, of exactly its total in its currency, and shipped only while that payment stands. A payment
  is requested for a placed order, in its currency, for no more than its total. Stock is reserved for
  a placed order, of a SKU it contains, up to the quantity it holds. Each refusal stores nothing.

  Each rule is checked against the other side as it stands when the command is decided: the order
  fulfilment workflow is the backstop for what changes in between.

  Rule: an order is placed by a registered customer

    Scenario: an order for a customer who never registered is refused
      Given customer Nobody never registered
      When Nobody places order ORD-1 in EUR:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      Then it is refused with ORDER.CUSTOMER_NOT_REGISTERED
      And nothing was stored

  Rule: an order is confirmed with a processed payment for it, of its total in its currency

    Background:
      Given a placed order ORD-1 totalling 49.18 EUR

    Scenario: a confirmation that names no payment is refused
      When order ORD-1 is confirmed without a payment
      Then it is refused with ORDER.PAYMENT_REQUIRED
      And nothing was stored
      And the status of order ORD-1 is placed

    Scenario: a confirmation with a payment that does not exist is refused
      When order ORD-1 is confirmed with payment PAY-404
      Then it is refused with ORDER.PAYMENT_NOT_FOUND
      And nothing was stored

    Scenario Outline: a confirmation with a <stage> payment is refused
      Given a <stage> payment PAY-1 of 49.18 EUR for order ORD-1
      When order ORD-1 is confirmed with payment PAY-1
      Then it is refused with ORDER.PAYMENT_NOT_COMPLETED
      And nothing was stored
      And the status of order ORD-1 is placed

      Examples:
        | stage              |
        | requested          |
        | failed             |
        | cancelled          |
        | partially refunded |
        | refunded           |

    Scenario: a confirmation with another order's payment is refused
      Given a placed order ORD-2 totalling 49.18 EUR
      And a processed payment PAY-2 of 49.18 EUR for order ORD-2
      When order ORD-1 is confirmed with payment PAY-2
      Then it is refused with ORDER.PAYMENT_FOR_ANOTHER_ORDER
      And nothing was stored

    Scenario: a confirmation with a 1-cent payment for a 49.18 EUR order is refused
      Given a processed payment PAY-1 of 0.01 EUR for order ORD-1
      When order ORD-1 is confirmed with payment PAY-1
      Then it is refused with ORDER.PAYMENT_AMOUNT_MISMATCH
      And nothing was stored

    Scenario: a confirmation with the processed payment of the whole total is accepted
      Given a processed payment PAY-1 of 49.18 EUR for order ORD-1
      When order ORD-1 is confirmed with payment PAY-1
      Then OrderConfirmed is recorded

  Rule: an order ships only while the payment it was confirmed with stands processed

    Scenario: an order whose payment was refunded after confirmation is not shipped
      Given a confirmed order ORD-1 for 2 units of SKU-1
      And the payment of order ORD-1 has been refunded in full
      When order ORD-1 is shipped
      Then it is refused with ORDER.PAYMENT_NOT_COMPLETED
      And nothing was stored
      And the status of order ORD-1 is confirmed

    Scenario: an order confirmed without a payment, before confirmations checked one, is not shipped
      Given a placed order ORD-1 for 2 units of SKU-1
      And order ORD-1 was confirmed without a payment, before confirmations checked one
      When order ORD-1 is shipped
      Then it is refused with ORDER.PAYMENT_NOT_COMPLETED
      And nothing was stored

  Rule: a payment is requested for a placed order, in its currency, for no more than its total

    Scenario: a payment for an order that does not exist is refused
      When payment PAY-1 of 10.00 EUR is requested for order ORD-404
      Then it is refused with PAYMENT.ORDER_NOT_FOUND
      And nothing was stored

    Scenario Outline: a payment for a <status> order is refused
      Given a <status> order ORD-1 for 2 units of SKU-1
      When payment PAY-9 of 39.98 EUR is requested for order ORD-1
      Then it is refused with PAYMENT.ORDER_NOT_PAYABLE
      And nothing was stored

      Examples:
        | status    |
        | cancelled |
        | confirmed |

    Scenario: a payment in another currency than the order's is refused
      Given a placed order ORD-1 for 2 units of SKU-1
      When payment PAY-1 of 39.98 USD is requested for order ORD-1
      Then it is refused with PAYMENT.CURRENCY_MISMATCH
      And nothing was stored

    Scenario: a payment of more than the order's total is refused
      Given a placed order ORD-1 for 2 units of SKU-1
      When payment PAY-1 of 39.99 EUR is requested for order ORD-1
      Then it is refused with PAYMENT.EXCEEDS_AMOUNT_DUE
      And nothing was stored

  Rule: stock is reserved for a placed order, of a SKU it contains, up to what it holds

    Background:
      Given 10 units of SKU-1 are in stock
      And 10 units of SKU-2 are in stock

    Scenario: a reservation for an order that does not exist is refused
      When order ORD-404 reserves 1 unit of SKU-1
      Then it is refused with INVENTORY.ORDER_NOT_FOUND
      And nothing was stored
      And SKU-1 has 10 available

    Scenario: a reservation for a cancelled order is refused
      Given a cancelled order ORD-1 for 2 units of SKU-1
      When order ORD-1 reserves 2 units of SKU-1
      Then it is refused with INVENTORY.ORDER_NOT_OPEN
      And nothing was stored

    Scenario: a reservation of a SKU the order does not contain is refused
      Given a placed order ORD-1 for 2 units of SKU-1
      When order ORD-1 reserves 1 unit of SKU-2
      Then it is refused with INVENTORY.SKU_NOT_IN_ORDER
      And nothing was stored
      And SKU-2 has 10 available

    Scenario: a reservation of more than the order holds is refused
      Given a placed order ORD-1 for 2 units of SKU-1
      When order ORD-1 reserves 3 units of SKU-1
      Then it is refused with INVENTORY.QUANTITY_NOT_ORDERED
      And nothing was stored
      And SKU-1 has 10 available
