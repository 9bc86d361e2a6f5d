{#- Highstate for new cloud nodes. Map it in the master config (see README, "Provisioning: orch cloud"):
      reactor:
        - 'salt/cloud/*/created':
          - /path/to/reactor/cloud-highstate.sls
    salt/cloud/<name>/created comes once the node's minion has connected (its salt/minion/<name>/start is already on
    the bus), with {"name": <name>, "profile": ..., "provider": "<alias>:<driver>", "event": "created instance"}. Mapped
    to 'salt/minion/*/start' instead it also runs for every minion restart, as in Salt's docs; there data['id'] names
    the minion. The tag's second part is the node's name, which the master fired itself (minions may not fire
    salt/cloud/ tags). #}
{%- set node = data.get('id') or data.get('name') or tag.split('/')[2] %}
highstate-{{ node }}:
  local.state.apply:
    - tgt: {{ node }}
