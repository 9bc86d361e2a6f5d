pkgs:
  test.succeed_with_changes:
    - names:
      - alpha
      - beta
needs_beta:
  test.nop:
    - require:
      - test: beta
