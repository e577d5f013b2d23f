Feature: Placing an order
  An order is placed once, with at least one line. Each line is a positive whole quantity of a SKU
  at a price that is not negative, in whole cents. The order has one currency, and its total is
  computed by the business, never taken from what the client sends. Orders are placed by registered
  customers, and may come with the payment method their payment is to be requested with.

  Background:
    Given customer Ada is registered

  Rule: the total is the lines plus tax, computed by the business

    Scenario: the total adds up every line and the tax on them
      When Ada places order ORD-1 in EUR with 23% tax:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
        | SKU-2 | 1        | 5.00       |
      Then OrderCreated is recorded
      And order ORD-1 totals 55.33 EUR, of which 10.35 is tax
      And the status of order ORD-1 is placed

    Scenario: a total sent by the client is ignored
      When Ada places order ORD-1 in EUR claiming a total of 0.01:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      Then OrderCreated is recorded
      And order ORD-1 totals 39.98 EUR, of which 0.00 is tax

    Scenario: a line may be free of charge
      When Ada places order ORD-1 in EUR:
        | sku   | quantity | unit price |
        | SKU-1 | 1        | 19.99      |
        | GIFT  | 1        | 0.00       |
      Then OrderCreated is recorded
      And order ORD-1 totals 19.99 EUR, of which 0.00 is tax

    Scenario Outline: a tax rate outside 0 to 100 % is refused
      When Ada places order ORD-1 in EUR with <rate> tax:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      Then it is refused with ORDER.INVALID_TAX_RATE
      And nothing was stored

      Examples:
        | rate   |
        | 101%   |
        | -1%    |
        | 0.005% |

  Rule: an order has at least one line

    Scenario: an order without lines is refused
      When Ada places order ORD-1 in EUR with no lines
      Then it is refused with ORDER.NO_LINES
      And nothing was stored

    Scenario: a line without a SKU is refused
      When Ada places order ORD-1 in EUR:
        | sku | quantity | unit price |
        |     | 2        | 19.99      |
      Then it is refused with ORDER.INVALID_SKU
      And nothing was stored

  Rule: quantities are positive whole numbers

    Scenario Outline: a quantity of <quantity> is refused
      When Ada places order ORD-1 in EUR:
        | sku   | quantity   | unit price |
        | SKU-1 | 1          | 19.99      |
        | SKU-2 | <quantity> | 19.99      |
      Then it is refused with ORDER.INVALID_QUANTITY
      And nothing was stored

      Examples:
        | quantity |
        | 0        |
        | -1       |
        | 1.5      |

  Rule: unit prices are not negative, in whole cents

    Scenario Outline: a unit price of <price> is refused
      When Ada places order ORD-1 in EUR:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | <price>    |
      Then it is refused with ORDER.INVALID_UNIT_PRICE
      And nothing was stored

      Examples:
        | price  |
        | -0.01  |
        | 19.999 |

  Rule: an order has one currency, an ISO 4217 code

    Scenario: every line is priced in the order's currency
      When Ada places order ORD-1 in USD:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
        | SKU-2 | 3        | 1.50       |
      Then OrderCreated is recorded
      And order ORD-1 totals 44.48 USD, of which 0.00 is tax

    Scenario Outline: a currency written as <currency> is refused
      When Ada places order ORD-1 in <currency>:
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      Then it is refused with ORDER.INVALID_CURRENCY
      And nothing was stored

      Examples:
        | currency |
        | euro     |
        | eur      |
        | EURO     |

  Rule: an order may come with its payment method, a token the payment provider issued

    Scenario: an order placed with a payment method keeps it
      When Ada places order ORD-1 in EUR with payment method "tok_approve_4242":
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      Then OrderCreated and OrderPaymentMethodProvided are recorded
      And the payment method of order ORD-1 is "tok_approve_4242"

    Scenario: a placed order is given its payment method later
      Given a placed order ORD-1 for 2 units of SKU-1
      When the payment method "tok_approve_4242" is given for order ORD-1
      Then OrderPaymentMethodProvided is recorded
      And the payment method of order ORD-1 is "tok_approve_4242"

    Scenario: a card number given as the payment method is refused and never stored
      Given a placed order ORD-1 for 2 units of SKU-1
      When the payment method "4111 1111 1111 1111" is given for order ORD-1
      Then it is refused with ORDER.CARD_NUMBER_REFUSED
      And nothing was stored

    Scenario: an order placed with a card number as its payment method is refused whole
      When Ada places order ORD-1 in EUR with payment method "4111111111111111":
        | sku   | quantity | unit price |
        | SKU-1 | 2        | 19.99      |
      Then it is refused with ORDER.CARD_NUMBER_REFUSED
      And nothing was stored

    Scenario Outline: a <status> order is not given a payment method
      Given a <status> order ORD-1 for 2 units of SKU-1
      When the payment method "tok_approve_4242" is given for order ORD-1
      Then it is refused with ORDER.CANNOT_PROVIDE_PAYMENT_METHOD
      And nothing was stored

      Examples:
        | status    |
        | confirmed |
        | cancelled |

  Rule: an order is placed only once

    Scenario: placing the same order again is refused
      Given a placed order ORD-1 for 2 units of SKU-1
      When Ada places order ORD-1 in EUR:
        | sku   | quantity | unit price |
        | SKU-9 | 1        | 5.00       |
      Then it is refused with ORDER.ALREADY_EXISTS
      And nothing was stored
