demo_root: /tmp/orch-demo
base_packages:
  - bash
  - coreutils
admins:
  - name: alice
    shell: /bin/bash
  - name: bob
    shell: /bin/sh
