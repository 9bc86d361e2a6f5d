changer:
  test.succeed_with_changes
failer:
  test.fail_without_changes
handler:
  test.succeed_without_changes:
    - watch:
      - test: changer
    - onfail:
      - test: failer
