make_config:
  test.succeed_with_changes:
    - name: /etc/app.conf
user:
  test.nop:
    - require:
      - test: /etc/app.conf
