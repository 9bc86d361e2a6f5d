a:
  test.succeed_with_changes
b:
  test.succeed_with_changes:
    - onchanges:
      - test: a
c:
  test.succeed_with_changes:
    - onchanges:
      - test: b
