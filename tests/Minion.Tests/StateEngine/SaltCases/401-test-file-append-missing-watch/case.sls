a:
  file.append:
    - name: /tmp/acc/401/f.txt
    - text: hello
w:
  test.succeed_without_changes:
    - watch:
      - file: a
