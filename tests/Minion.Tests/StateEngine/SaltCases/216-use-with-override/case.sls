template:
  test.configurable_test_state:
    - changes: False
    - comment: from template
    - result: True
user:
  test.configurable_test_state:
    - comment: own comment
    - use:
      - test: template
