include:
  - helpers
exclude:
  - id: dropped
mine:
  test.nop
