broken:
  test.fail_with_changes
reactor:
  test.succeed_with_changes:
    - onchanges:
      - test: broken
