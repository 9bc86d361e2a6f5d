include:
  - helpers
extend:
  configurable:
    test.configurable_test_state:
      - comment: extended
      - result: False
after:
  test.nop
