deploy:
  cmd.run:
    - name: echo deploy
stop:
  test.succeed_with_changes:
    - prereq:
      - cmd: deploy
