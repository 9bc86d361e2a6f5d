changer:
  test.succeed_with_changes
quiet:
  test.succeed_without_changes
reactor:
  test.succeed_without_changes:
    - onchanges_any:
      - test: quiet
      - test: changer
