Feature: Customer records
  A customer registers with a name, an email address and a postal address, may change them
  later, and every contact with support is recorded, so that the customer's history can be
  reconstructed. Name, email and address are personal data and are kept apart from the rest.

  Rule: a customer registers once, with a name, an email and an address

    Scenario: a customer registers
      When customer Ada registers with:
        | name    | Ada Lovelace               |
        | email   | ada@example.com            |
        | address | 12 St James Square, London |
      Then CustomerRegistered is recorded
      And the email of customer Ada is "ada@example.com"

    Scenario Outline: a registration with <what> is refused
      When customer Ada registers with:
        | name    | <name>    |
        | email   | <email>   |
        | address | <address> |
      Then it is refused with CUSTOMER.INVALID_DETAILS
      And nothing was stored

      Examples:
        | what              | name         | email           | address                    |
        | an empty name     |              | ada@example.com | 12 St James Square, London |
        | a malformed email | Ada Lovelace | ada-at-example  | 12 St James Square, London |
        | an empty address  | Ada Lovelace | ada@example.com |                            |

    Scenario: a registration without an address is refused
      When customer Ada registers with:
        | name  | Ada Lovelace    |
        | email | ada@example.com |
      Then it is refused with CUSTOMER.INVALID_DETAILS
      And nothing was stored

    Scenario: a customer cannot register twice
      Given customer Ada is registered
      When customer Ada registers
      Then it is refused with CUSTOMER.ALREADY_REGISTERED
      And nothing was stored

  Rule: a registered customer's details can change

    Scenario: a customer changes email address
      Given customer Ada is registered
      When the email of customer Ada is changed to "ada@lovelace.example"
      Then CustomerDetailsChanged is recorded
      And the email of customer Ada is "ada@lovelace.example"

    Scenario: a change to the details already held is refused
      Given customer Ada is registered
      And the address of customer Ada has been changed to "7 Marylebone Road, London"
      When the address of customer Ada is changed to "7 Marylebone Road, London"
      Then it is refused with CUSTOMER.NOTHING_CHANGED
      And nothing was stored

    Scenario: a malformed new email is refused
      Given customer Ada is registered
      When the email of customer Ada is changed to "ada at example dot com"
      Then it is refused with CUSTOMER.INVALID_DETAILS
      And nothing was stored

    Scenario: a customer who never registered has no details to change
      When the name of customer Nobody is changed to "No One"
      Then it is refused with CUSTOMER.NOT_FOUND
      And nothing was stored

  Rule: every contact with support is recorded

    Scenario: a phone call with support is recorded
      Given customer Ada is registered
      When customer Ada contacts support by phone about "where is my parcel"
      Then SupportInteractionRecorded is recorded
      And customer Ada has 1 support interaction on record

    Scenario: support is reached only by email, phone or chat
      Given customer Ada is registered
      When customer Ada contacts support by fax about "where is my parcel"
      Then it is refused with CUSTOMER.INVALID_CHANNEL
      And nothing was stored

    Scenario: a support interaction says what it was about
      Given customer Ada is registered
      When customer Ada contacts support by chat about ""
      Then it is refused with CUSTOMER.INVALID_INTERACTION
      And nothing was stored

    Scenario: support interactions are recorded only for registered customers
      When customer Nobody contacts support by email about "where is my parcel"
      Then it is refused with CUSTOMER.NOT_FOUND
      And nothing was stored

  Rule: a customer's history can be reconstructed

    Scenario: the history tells what was known of the customer at any time
      Given it is 2026-03-02 09:00 UTC
      And customer Ada is registered
      And 2 days pass
      And the email of customer Ada has been changed to "ada@lovelace.example"
      And 1 day passes
      And customer Ada has contacted support by email about "asked to be called back"
      Then the history of customer Ada reads:
        | event                      | at                   |
        | CustomerRegistered         | 2026-03-02 09:00 UTC |
        | CustomerDetailsChanged     | 2026-03-04 09:00 UTC |
        | SupportInteractionRecorded | 2026-03-05 09:00 UTC |
      And as of 2026-03-03 UTC the email of customer Ada was "ada@example.com"
      And as of 2026-03-03 UTC customer Ada had 0 support interactions on record
      And the email of customer Ada is "ada@lovelace.example"
      And customer Ada has 1 support interaction on record

  Rule: personal data is kept in the events' personal fields only

    Scenario: name, email and address appear nowhere else
      Given customer Ada is registered
      And the address of customer Ada has been changed to "7 Marylebone Road, London"
      And customer Ada has contacted support by phone about "asked for an invoice"
      Then the personal data of customer Ada is held only in the personal fields of its events
