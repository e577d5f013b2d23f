Feature: Card numbers never enter the store
  A payment method is a token issued by the payment provider. A value that looks like a card
  number (13 to 19 digits passing the Luhn check, in any script's digits, with or without spaces, dashes, dots,
  underscores or slashes between them) is refused
  with a clear error and never stored: stored events cannot be changed afterwards.

  Background:
    Given a placed order ORD-1 totalling 49.18 EUR

  Scenario Outline: a card number given as the payment method is refused and never stored
    When payment PAY-1 of 49.18 EUR is requested for order ORD-1 with payment method "<method>"
    Then it is refused with PAYMENT.CARD_NUMBER_REFUSED
    And nothing was stored
    And no stored payment request holds the digits of "<method>"

    Examples: card numbers as people type them
      | method              |
      | 4111111111111111    |
      | 4111 1111 1111 1111 |
      | 4111-1111-1111-1111 |
      | 5500 0000-0000 0004 |

    Examples: other separators and digits people type
      | method                 |
      | 4111.1111.1111.1111    |
      | 4111_1111_1111_1111    |
      | 4111  1111  1111  1111 |
      | 4111/1111/1111/1111    |
      | 4111 – 1111 – 1111 – 1111 |
      | ４１１１ １１１１ １１１１ １１１１ |

    Examples: card numbers hidden inside a longer value
      | method                 |
      | tok_4111111111111111   |
      | 4111111111111111/12/27 |

    Examples: the shortest and the longest card numbers
      | method              |
      | 4222222222222       |
      | 378282246310005     |
      | 6011000990139424009 |

  Scenario Outline: a value that is not a card number is accepted as a token
    When payment PAY-1 of 49.18 EUR is requested for order ORD-1 with payment method "<method>"
    Then PaymentRequested is recorded

    Examples:
      | method               | why                          |
      | tok_visa_4242        | a provider token             |
      | 4111 1111 1111 1112  | fails the Luhn check         |
      | 411111111117         | 12 digits: too short         |
      | 12345678901234567894 | 20 digits: too long          |
