changer:
  test.succeed_with_changes
both:
  test.succeed_without_changes:
    - watch:
      - test: changer
    - listen:
      - test: changer
