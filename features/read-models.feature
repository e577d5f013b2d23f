Feature: Order read models
  The order summary and a customer's orders are fed from the committed events. Once they have
  caught up, they show every order as its events left it.

  Background:
    Given it is 2026-03-02 09:00 UTC
    And customer Ada is registered
    And customer Bob is registered

  Scenario: the order summary follows the order
    Given Ada has placed order ORD-1 for 2 units of SKU-1 at 19.99 EUR
    And order ORD-1 has been confirmed
    And order ORD-1 has been shipped
    When the read models catch up
    Then the summary of order ORD-1 shows:
      | customer | Ada         |
      | status   | SHIPPED     |
      | items    | 2           |
      | total    | 39.98 EUR   |
    And catching up again finds nothing new

  Scenario: a customer's orders, oldest first, each in its latest state
    Given Ada has placed order ORD-1 for 2 units of SKU-1 at 19.99 EUR
    And 1 day passes
    And Bob has placed order ORD-2 for 1 unit of SKU-1 at 19.99 EUR
    And Ada has placed order ORD-3 for 3 units of SKU-2 at 5.00 EUR
    And order ORD-3 has been cancelled
    When the read models catch up
    Then the orders of customer Ada are, oldest first:
      | order | status    | items | total     |
      | ORD-1 | CREATED   | 2     | 39.98 EUR |
      | ORD-3 | CANCELLED | 3     | 15.00 EUR |
    And the orders of customer Bob are, oldest first:
      | order | status  | items | total     |
      | ORD-2 | CREATED | 1     | 19.99 EUR |

  Scenario: events committed after a catch-up show at the next one
    Given Ada has placed order ORD-1 for 2 units of SKU-1 at 19.99 EUR
    And the read models catch up
    And order ORD-1 has been confirmed
    When the read models catch up
    Then the summary of order ORD-1 shows:
      | status | CONFIRMED |
