configurable:
  test.configurable_test_state:
    - changes: False
    - comment: original
