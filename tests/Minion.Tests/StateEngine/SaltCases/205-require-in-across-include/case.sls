include:
  - .helpers
final:
  test.succeed_without_changes
first_here:
  test.nop
