Feature: Returning an order
  A delivered order can be returned within the return window: 30 days from its delivery.

  Rule: a return is accepted within 30 days of delivery

    Background:
      Given it is 2026-03-02 09:00 UTC
      And a delivered order ORD-1 for 2 units of SKU-1

    Scenario: a return on the day of delivery is accepted
      When order ORD-1 is returned
      Then OrderReturned is recorded
      And the status of order ORD-1 is returned

    Scenario: a return exactly 30 days after delivery is accepted
      Given 30 days pass
      When order ORD-1 is returned
      Then OrderReturned is recorded

    Scenario: a return a minute after the window closed is refused
      Given 30 days and 1 minute pass
      When order ORD-1 is returned
      Then it is refused with ORDER.RETURN_WINDOW_CLOSED
      And nothing was stored
      And the status of order ORD-1 is delivered

  Rule: the window runs from delivery, not from when the order was placed

    Scenario: an order delivered late can be returned long after it was placed
      Given it is 2026-01-05 09:00 UTC
      And a shipped order ORD-1 for 1 unit of SKU-1
      And 20 days pass
      And order ORD-1 has been delivered
      And 25 days pass
      When order ORD-1 is returned
      Then OrderReturned is recorded

  Rule: only a delivered order can be returned

    Scenario Outline: a <status> order cannot be returned
      Given a <status> order ORD-1 for 2 units of SKU-1
      When order ORD-1 is returned
      Then it is refused with ORDER.CANNOT_RETURN
      And nothing was stored
      And the status of order ORD-1 is <status>

      Examples:
        | status    |
        | placed    |
        | confirmed |
        | shipped   |
        | cancelled |
        | returned  |
