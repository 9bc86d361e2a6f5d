conf:
  file.managed:
    - name: /tmp/acc/345/app.conf
    - contents: hello
stop:
  test.succeed_with_changes:
    - prereq:
      - file: conf
