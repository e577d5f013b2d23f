Feature: An order's life from placed to delivered
  A placed order is paid, confirmed, then shipped, then delivered. It can be cancelled until it ships.
  A step out of turn is refused and leaves the order as it was.

  Scenario: an order goes from placed to delivered
    Given a placed order ORD-1 for 2 units of SKU-1
    And order ORD-1 has been paid in full
    When order ORD-1 is confirmed
    Then OrderConfirmed is recorded
    When order ORD-1 is shipped
    Then OrderShipped is recorded
    When order ORD-1 is delivered
    Then OrderDelivered is recorded
    And the status of order ORD-1 is delivered

  Scenario Outline: an order that was never placed cannot be <action>
    When order ORD-404 is <action>
    Then it is refused with ORDER.NOT_FOUND
    And nothing was stored

    Examples:
      | action    |
      | confirmed |
      | shipped   |
      | delivered |
      | cancelled |
      | returned  |

  Rule: only a placed order can be confirmed

    Scenario Outline: a <status> order cannot be confirmed
      Given a <status> order ORD-1 for 2 units of SKU-1
      When order ORD-1 is confirmed
      Then it is refused with ORDER.CANNOT_CONFIRM
      And nothing was stored
      And the status of order ORD-1 is <status>

      Examples:
        | status    |
        | confirmed |
        | shipped   |
        | delivered |
        | cancelled |
        | returned  |

  Rule: only a confirmed order can be shipped

    Scenario Outline: a <status> order cannot be shipped
      Given a <status> order ORD-1 for 2 units of SKU-1
      When order ORD-1 is shipped
      Then it is refused with ORDER.CANNOT_SHIP
      And nothing was stored
      And the status of order ORD-1 is <status>

      Examples:
        | status    |
        | placed    |
        | shipped   |
        | delivered |
        | cancelled |
        | returned  |

  Rule: only a shipped order can be delivered

    Scenario Outline: a <status> order cannot be delivered
      Given a <status> order ORD-1 for 2 units of SKU-1
      When order ORD-1 is delivered
      Then it is refused with ORDER.CANNOT_DELIVER
      And nothing was stored
      And the status of order ORD-1 is <status>

      Examples:
        | status    |
        | placed    |
        | confirmed |
        | delivered |
        | cancelled |
        | returned  |

  Rule: an order can be cancelled only before it ships

    Scenario Outline: a <status> order can be cancelled
      Given a <status> order ORD-1 for 2 units of SKU-1
      When order ORD-1 is cancelled
      Then OrderCancelled is recorded
      And the status of order ORD-1 is cancelled

      Examples:
        | status    |
        | placed    |
        | confirmed |

    Scenario Outline: a <status> order cannot be cancelled
      Given a <status> order ORD-1 for 2 units of SKU-1
      When order ORD-1 is cancelled
      Then it is refused with ORDER.CANNOT_CANCEL
      And nothing was stored
      And the status of order ORD-1 is <status>

      Examples:
        | status    |
        | shipped   |
        | delivered |
        | cancelled |
        | returned  |
