orphan:
  test.succeed_without_changes:
    - require_in:
      - test: nowhere
