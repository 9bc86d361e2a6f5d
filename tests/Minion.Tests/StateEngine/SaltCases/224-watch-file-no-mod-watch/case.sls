changer:
  test.succeed_with_changes
touched:
  file.touch:
    - name: /tmp/acc/224/touched
    - watch:
      - test: changer
listening:
  file.touch:
    - name: /tmp/acc/224/listening
    - listen:
      - test: changer
