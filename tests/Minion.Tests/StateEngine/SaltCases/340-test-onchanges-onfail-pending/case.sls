chg:
  test.succeed_with_changes
flt:
  test.succeed_with_changes
h:
  test.succeed_with_changes:
    - onchanges:
      - test: chg
    - onfail:
      - test: flt
