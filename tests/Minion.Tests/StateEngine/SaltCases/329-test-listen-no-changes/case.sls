quiet:
  test.succeed_without_changes
listener:
  test.succeed_without_changes:
    - listen:
      - test: quiet
