failer:
  test.fail_without_changes
ok:
  test.succeed_with_changes
handler:
  test.succeed_with_changes:
    - onfail_all:
      - test: failer
      - test: ok
