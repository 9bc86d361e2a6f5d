all_true:
  cmd.run:
    - name: echo skipped
    - unless:
      - "true"
      - "true"
one_false:
  cmd.run:
    - name: echo ran
    - unless:
      - "true"
      - "false"
generic:
  test.succeed_with_changes:
    - onlyif: "false"
