web_one:
  test.succeed_without_changes
web_two:
  test.fail_without_changes
app:
  test.succeed_with_changes:
    - require:
      - test: 'web_*'
