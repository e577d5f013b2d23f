Feature: Stock and reservations
  Each SKU keeps its own stock. Received stock is on hand; an order reserves part of it, and a
  reservation is later released back or allocated to the order. What is available is what is on
  hand less what is reserved and allocated, and it never goes below zero. Stock is reserved for
  placed orders, up to what they hold of each SKU.

  Background:
    Given orders ORD-1 and ORD-2 are placed, each for 20 units of SKU-1 and of SKU-2

  Rule: received stock adds to what is available

    Scenario: stock is received
      Given 4 units of SKU-1 are in stock
      When 6 units of SKU-1 are received
      Then StockReceived is recorded
      And SKU-1 has 10 available

    Scenario Outline: receiving <quantity> units is refused
      When <quantity> units of SKU-1 are received
      Then it is refused with INVENTORY.INVALID_QUANTITY
      And nothing was stored

      Examples:
        | quantity |
        | 0        |
        | -3       |
        | 2.5      |

  Rule: available is on hand less what is reserved and allocated

    Scenario: reservations and allocations both hold stock back
      Given 10 units of SKU-1 are in stock
      And order ORD-1 has reserved 3 units of SKU-1
      And order ORD-2 has reserved 2 units of SKU-1
      And the reservation of SKU-1 for order ORD-1 has been allocated
      Then SKU-1 has 10 on hand, 2 reserved, 3 allocated and 5 available

  Rule: a reservation never exceeds what is available

    Background:
      Given 10 units of SKU-1 are in stock

    Scenario: an order reserves part of the stock
      When order ORD-1 reserves 4 units of SKU-1
      Then InventoryReserved is recorded
      And SKU-1 has 10 on hand, 4 reserved, 0 allocated and 6 available

    Scenario: an order reserves everything available
      When order ORD-1 reserves 10 units of SKU-1
      Then InventoryReserved is recorded
      And SKU-1 has 0 available

    Scenario: a reservation of more than is on hand is refused
      When order ORD-1 reserves 11 units of SKU-1
      Then it is refused with INVENTORY.INSUFFICIENT_STOCK
      And nothing was stored
      And SKU-1 has 10 available

    Scenario: stock reserved by another order is not available
      Given order ORD-1 has reserved 7 units of SKU-1
      When order ORD-2 reserves 4 units of SKU-1
      Then it is refused with INVENTORY.INSUFFICIENT_STOCK
      And nothing was stored
      And SKU-1 has 3 available

    Scenario: stock allocated to another order is not available
      Given order ORD-1 has reserved 7 units of SKU-1
      And the reservation of SKU-1 for order ORD-1 has been allocated
      When order ORD-2 reserves 4 units of SKU-1
      Then it is refused with INVENTORY.INSUFFICIENT_STOCK
      And nothing was stored
      When order ORD-2 reserves 3 units of SKU-1
      Then InventoryReserved is recorded
      And SKU-1 has 0 available

    Scenario: a SKU never received has nothing to reserve
      When order ORD-1 reserves 1 unit of SKU-2
      Then it is refused with INVENTORY.INSUFFICIENT_STOCK
      And nothing was stored

    Scenario Outline: a reservation of <quantity> units is refused
      When order ORD-1 reserves <quantity> units of SKU-1
      Then it is refused with INVENTORY.INVALID_QUANTITY
      And nothing was stored

      Examples:
        | quantity |
        | 0        |
        | -1       |
        | 1.5      |

  Rule: an order holds one reservation per SKU

    Background:
      Given 10 units of SKU-1 are in stock
      And 10 units of SKU-2 are in stock
      And order ORD-1 has reserved 2 units of SKU-1

    Scenario: a second reservation by the same order for the same SKU is refused
      When order ORD-1 reserves 1 unit of SKU-1
      Then it is refused with INVENTORY.ALREADY_RESERVED
      And nothing was stored
      And SKU-1 has 10 on hand, 2 reserved, 0 allocated and 8 available

    Scenario: an order whose reservation was allocated cannot reserve the same SKU again
      Given the reservation of SKU-1 for order ORD-1 has been allocated
      When order ORD-1 reserves 1 unit of SKU-1
      Then it is refused with INVENTORY.ALREADY_RESERVED
      And nothing was stored

    Scenario: the same order may reserve another SKU
      When order ORD-1 reserves 1 unit of SKU-2
      Then InventoryReserved is recorded

    Scenario: another order may reserve the same SKU
      When order ORD-2 reserves 1 unit of SKU-1
      Then InventoryReserved is recorded

  Rule: a released reservation goes back to available

    Background:
      Given 10 units of SKU-1 are in stock
      And order ORD-1 has reserved 4 units of SKU-1

    Scenario: an order's reservation is released
      When the reservation of SKU-1 for order ORD-1 is released
      Then InventoryReleased is recorded
      And SKU-1 has 10 on hand, 0 reserved, 0 allocated and 10 available

    Scenario: a reservation cannot be released twice
      Given the reservation of SKU-1 for order ORD-1 has been released
      When the reservation of SKU-1 for order ORD-1 is released
      Then it is refused with INVENTORY.UNKNOWN_RESERVATION
      And nothing was stored

    Scenario: an allocated reservation cannot be released
      Given the reservation of SKU-1 for order ORD-1 has been allocated
      When the reservation of SKU-1 for order ORD-1 is released
      Then it is refused with INVENTORY.UNKNOWN_RESERVATION
      And nothing was stored
      And SKU-1 has 10 on hand, 0 reserved, 4 allocated and 6 available

    Scenario: an order without a reservation has nothing to release
      When the reservation of SKU-1 for order ORD-2 is released
      Then it is refused with INVENTORY.UNKNOWN_RESERVATION
      And nothing was stored

  Rule: a reservation becomes allocated to its order

    Background:
      Given 10 units of SKU-1 are in stock
      And order ORD-1 has reserved 4 units of SKU-1

    Scenario: an order's reservation is allocated
      When the reservation of SKU-1 for order ORD-1 is allocated
      Then InventoryAllocated is recorded
      And SKU-1 has 10 on hand, 0 reserved, 4 allocated and 6 available

    Scenario: a reservation cannot be allocated twice
      Given the reservation of SKU-1 for order ORD-1 has been allocated
      When the reservation of SKU-1 for order ORD-1 is allocated
      Then it is refused with INVENTORY.UNKNOWN_RESERVATION
      And nothing was stored

    Scenario: a released reservation cannot be allocated
      Given the reservation of SKU-1 for order ORD-1 has been released
      When the reservation of SKU-1 for order ORD-1 is allocated
      Then it is refused with INVENTORY.UNKNOWN_RESERVATION
      And nothing was stored

    Scenario: an order without a reservation has nothing to allocate
      When the reservation of SKU-1 for order ORD-2 is allocated
      Then it is refused with INVENTORY.UNKNOWN_RESERVATION
      And nothing was stored
