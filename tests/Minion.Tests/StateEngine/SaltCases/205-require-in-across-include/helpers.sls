helper:
  test.succeed_with_changes:
    - require_in:
      - test: final
