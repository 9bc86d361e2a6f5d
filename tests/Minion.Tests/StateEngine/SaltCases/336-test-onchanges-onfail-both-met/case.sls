chg:
  test.succeed_with_changes
flt:
  test.fail_without_changes
h:
  test.succeed_with_changes:
    - onchanges:
      - test: chg
    - onfail:
      - test: flt
